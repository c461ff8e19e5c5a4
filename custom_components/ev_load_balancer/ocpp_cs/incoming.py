"""What both versions share when answering an adopted charger's CALLs."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
import time
from typing import ClassVar, Protocol

from .config import ChargerConfig
from .const import OcppVersion
from .energy_register import MeterSource
from .meter_values import MeterSample
from .payload import as_float, utc_now_iso
from .plausibility import Quantity, plausible
from .sessions import SessionLog
from .state import DRAWING_STATUSES, BootInfo, ChargePointState
from .wire import ErrorCode, JsonObject, OcppError

type Route = Callable[[JsonObject], JsonObject]


class IncomingHost(Protocol):
    """The charger the calls come from, as the handlers need it."""

    @property
    def charger_id(self) -> str: ...
    @property
    def config(self) -> ChargerConfig: ...
    @property
    def state(self) -> ChargePointState: ...
    @property
    def sessions(self) -> SessionLog: ...
    @property
    def heartbeat_interval_s(self) -> int: ...
    @property
    def holds_paused(self) -> bool:
        """Whether our last limit to this charger was 0 A."""
        ...

    def authorize_id_tag(self, id_tag: str) -> bool: ...

    def implausible(self, quantities: set[Quantity]) -> None:
        """The charger sent absurd values of these: they were ignored."""
        ...


class IncomingCalls(ABC):
    """Answers one version's CALLs and updates the charger's state."""

    version: ClassVar[OcppVersion]
    # Notifications whose answer is empty and that need no action from us.
    acknowledged: ClassVar[frozenset[str]]

    def __init__(self, host: IncomingHost) -> None:
        self._host = host
        self._routes = self.routes()

    @abstractmethod
    def routes(self) -> Mapping[str, Route]:
        """Action -> handler."""

    def handle(self, action: str, payload: JsonObject) -> JsonObject:
        """The response to one CALL; raise OcppError for what we do not handle."""
        self._host.state.last_seen = time.time()
        route = self._routes.get(action)
        if route is not None:
            return route(payload)
        if action in self.acknowledged:
            return {}
        raise OcppError(ErrorCode.NOT_IMPLEMENTED, f"{action} is not handled")

    # Shared handlers -----------------------------------------------------

    def boot_notification(self, payload: JsonObject) -> JsonObject:
        """An adopted charger is always accepted."""
        self._host.state.boot = BootInfo.from_payload(self.version, payload)
        return {
            "currentTime": utc_now_iso(),
            "interval": self._host.heartbeat_interval_s,
            "status": "Accepted",
        }

    def heartbeat(self, payload: JsonObject) -> JsonObject:
        """Record liveness and give the charger our clock."""
        self._host.state.last_heartbeat = time.time()
        return {"currentTime": utc_now_iso()}

    def data_transfer(self, payload: JsonObject) -> JsonObject:
        """No vendor extensions are understood."""
        return {"status": "UnknownVendorId"}

    # Helpers -------------------------------------------------------------

    def authorization(self, id_tag: str | None) -> str:
        """Accepted or Invalid, by the integration's id tag policy."""
        if id_tag is None or self._host.authorize_id_tag(id_tag):
            return "Accepted"
        return "Invalid"

    def take_meter_sample(
        self, sample: MeterSample, *, own_connector: bool, live: bool = True
    ) -> None:
        """Merge meter values; the whole-charger meter only until the connector's own.

        On a single-connector charger the two are the same; on a larger one
        the connector's own values must win. A sample that is not `live`
        (stamped with a transaction that has ended) gives its register only.
        """
        if sample.rejected:
            self._host.implausible(sample.rejected)
        state = self._host.state
        if own_connector:
            state.connector_meter_seen = True
        elif state.connector_meter_seen:
            return
        source = MeterSource.CONNECTOR if own_connector else MeterSource.STATION
        state.merge(sample, time.time(), live=live, source=source)

    def register_reading(self, payload: JsonObject, key: str) -> float | None:
        """A register reading that is the point of its message (1.6 meterStart,
        meterStop): absurd is refused, so the charger can tell."""
        raw = as_float(payload.get(key))
        if raw is None:
            return None
        reading = plausible(Quantity.ENERGY, raw)
        if reading is None:
            raise OcppError(
                ErrorCode.PROPERTY_CONSTRAINT_VIOLATION,
                f"{key} is not a plausible register reading in Wh",
            )
        return reading

    def status_changed(self, status: str) -> None:
        """The balanced connector reported a new status."""
        state = self._host.state
        state.connector_status = status
        now = time.time()
        if status == "Available":
            state.unplugged(now)
        elif status not in DRAWING_STATUSES:
            state.stop_drawing(now)
        state.updated_at = now
