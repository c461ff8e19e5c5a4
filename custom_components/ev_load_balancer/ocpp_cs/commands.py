"""Commands to a charger, the same for both versions; one subclass per version."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .wire import JsonObject

type CallFn = Callable[[str, JsonObject], Awaitable[JsonObject]]


class ProfilePurpose(StrEnum):
    """The charging profile purposes we use (ChargePointMax would cap ours)."""

    TX_DEFAULT = "TxDefaultProfile"
    TX = "TxProfile"


class RateUnit(StrEnum):
    """Unit of a charging schedule limit."""

    AMPERE = "A"
    WATT = "W"


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargingProfile:
    """One single-period profile, whatever the version."""

    profile_id: int
    stack_level: int
    purpose: ProfilePurpose
    unit: RateUnit
    limit: float
    evse_id: int  # 1.6 connector id; 0 = every connector
    start: datetime
    duration_s: int | None = None  # None: valid until replaced
    transaction_id: str | None = None  # TxProfile only


@dataclass(frozen=True, slots=True, kw_only=True)
class Capabilities:
    """What the charger says about smart charging; None = it did not say."""

    rate_units: frozenset[RateUnit] | None = None
    max_stack_level: int | None = None


def parse_rate_units(text: str | None) -> frozenset[RateUnit] | None:
    """Units from '1.6: Current,Power' or '2.0.1: A,W'; None when not reported."""
    if not text:
        return None
    names = {part.strip() for part in text.split(",")}
    units = set()
    if names & {"Current", "A"}:
        units.add(RateUnit.AMPERE)
    if names & {"Power", "W"}:
        units.add(RateUnit.WATT)
    return frozenset(units) or None


def parse_int(text: str | None) -> int | None:
    """A configuration value as an integer, if it is one."""
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


class Commands(ABC):
    """The CALLs we send, bound to one connection. Methods raise CallFailedError."""

    # Where each OCPP version keeps the smart-charging capabilities.
    max_stack_level_key: str
    rate_unit_key: str

    def __init__(self, call: CallFn) -> None:
        self._call = call

    async def read_capabilities(self) -> Capabilities:
        """Allowed rate units and the highest stack level."""
        keys = (self.max_stack_level_key, self.rate_unit_key)
        values = await self.get_configuration(keys)
        return Capabilities(
            rate_units=parse_rate_units(values.get(self.rate_unit_key)),
            max_stack_level=parse_int(values.get(self.max_stack_level_key)),
        )

    @abstractmethod
    async def configure_metering(
        self, interval_s: int, measurands: Sequence[str]
    ) -> bool:
        """Ask for these measurands every interval during transactions."""

    @abstractmethod
    async def set_charging_profile(self, profile: ChargingProfile) -> str:
        """Install a profile; returns the charger's status (Accepted, ...)."""

    @abstractmethod
    async def clear_charging_profile(self, profile_id: int) -> str:
        """Remove one of our profiles."""

    @abstractmethod
    async def remote_start(
        self, *, evse_id: int, id_tag: str, profile: ChargingProfile | None
    ) -> str:
        """Start a transaction (1.6 RemoteStart, 2.0.1 RequestStart)."""

    @abstractmethod
    async def remote_stop(self, transaction_id: str) -> str:
        """Stop a transaction (1.6 RemoteStop, 2.0.1 RequestStop)."""

    @abstractmethod
    async def change_availability(self, evse_id: int, *, operative: bool) -> str:
        """Make a connector (2.0.1: EVSE) operative or inoperative."""

    @abstractmethod
    async def reset(self, *, hard: bool) -> str:
        """Reboot the charger (hard: at once; soft: when idle)."""

    @abstractmethod
    async def unlock_connector(self, evse_id: int) -> str:
        """Release the cable."""

    @abstractmethod
    async def trigger_message(self, message: str, evse_id: int | None = None) -> str:
        """Ask the charger to send a message now (BootNotification, MeterValues...)."""

    @abstractmethod
    async def get_configuration(self, keys: Sequence[str]) -> dict[str, str | None]:
        """Read settings (2.0.1: 'Component.Variable'); None = unknown key."""

    @abstractmethod
    async def change_configuration(self, key: str, value: str) -> str:
        """Write one setting; returns the charger's status."""
