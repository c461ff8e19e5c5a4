"""Chargers that connected but are not adopted: seen, answered, never controlled."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .const import OcppVersion
from .payload import utc_now_iso
from .rpc import CallHandler
from .state import BootInfo
from .wire import ErrorCode, JsonObject, OcppError


@dataclass(frozen=True, slots=True, kw_only=True)
class PendingCharger:
    """A charger the user may adopt; boot details once it has sent them."""

    charger_id: str
    ocpp_version: OcppVersion
    connected_at: float  # epoch seconds
    boot: BootInfo | None = None
    address: str = ""  # where it connects from

    @property
    def vendor(self) -> str | None:
        """Vendor from the BootNotification."""
        return self.boot.vendor if self.boot else None

    @property
    def model(self) -> str | None:
        """Model from the BootNotification."""
        return self.boot.model if self.boot else None

    @property
    def serial_number(self) -> str | None:
        """Serial number from the BootNotification."""
        return self.boot.serial_number if self.boot else None


class PendingCalls(CallHandler):
    """Boot is answered Pending (the charger retries later); heartbeats are
    answered; everything else is refused, as OCPP asks of a CSMS before it
    accepts a charger."""

    def __init__(
        self,
        charger_id: str,
        version: OcppVersion,
        *,
        retry_s: int,
        on_boot: Callable[[str, BootInfo], None],
    ) -> None:
        self._charger_id = charger_id
        self._version = version
        self._retry_s = retry_s
        self._on_boot = on_boot

    def handle_call(self, action: str, payload: JsonObject) -> JsonObject:
        if action == "BootNotification":
            self._on_boot(
                self._charger_id, BootInfo.from_payload(self._version, payload)
            )
            return {
                "currentTime": utc_now_iso(),
                "interval": self._retry_s,
                "status": "Pending",
            }
        if action == "Heartbeat":
            return {"currentTime": utc_now_iso()}
        raise OcppError(
            ErrorCode.SECURITY_ERROR, "charger not accepted: adopt it first"
        )
