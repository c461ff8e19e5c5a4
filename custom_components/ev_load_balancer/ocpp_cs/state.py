"""What we know about one charger, as its messages tell it."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from .const import OcppVersion
from .energy_register import EnergyRegister, MeterSource
from .meter_values import MeterSample
from .payload import as_object, as_str
from .plausibility import Quantity, plausible
from .wire import JsonObject

# Statuses in which the EV may draw current; in any other the last measured
# current is stale and must not be subtracted from the building any more.
DRAWING_STATUSES = frozenset({"Charging", "SuspendedEV", "SuspendedEVSE", "Occupied"})
# Transactions that ended lately: their late meter values are not the draw now.
_ENDED_KEPT = 8


@dataclass(frozen=True, slots=True, kw_only=True)
class BootInfo:
    """Who the charger says it is (BootNotification)."""

    vendor: str | None = None
    model: str | None = None
    serial_number: str | None = None
    firmware_version: str | None = None

    @classmethod
    def from_payload(cls, version: OcppVersion, payload: JsonObject) -> BootInfo:
        """Read a BootNotification request of either version."""
        if version is OcppVersion.V16:
            return cls(
                vendor=as_str(payload.get("chargePointVendor")),
                model=as_str(payload.get("chargePointModel")),
                serial_number=as_str(payload.get("chargePointSerialNumber"))
                or as_str(payload.get("chargeBoxSerialNumber")),
                firmware_version=as_str(payload.get("firmwareVersion")),
            )
        station = as_object(payload.get("chargingStation")) or {}
        return cls(
            vendor=as_str(station.get("vendorName")),
            model=as_str(station.get("model")),
            serial_number=as_str(station.get("serialNumber")),
            firmware_version=as_str(station.get("firmwareVersion")),
        )


@dataclass(slots=True, kw_only=True)
class ChargePointState:
    """Mutable state of one adopted charger, fed by its messages."""

    phases: int
    version: OcppVersion | None = None
    connected: bool = False
    boot: BootInfo | None = None
    connector_status: str | None = None  # raw status of the balanced connector
    station_status: str | None = None  # 1.6 connector 0: the whole charger
    error_code: str | None = None  # 1.6 StatusNotification errorCode
    charging_state: str | None = None  # 2.0.1 TransactionEvent chargingState
    transaction_id: str | None = None
    id_tag: str | None = None
    meter_start_wh: float | None = None
    # The last session ended while we held the EV at 0 A: resume restarts it.
    stopped_while_paused: bool = False
    # A session ended and the EV is still plugged in (it does not want more).
    session_ended: bool = False
    current_a: tuple[float, ...] | None = None
    power_w: float | None = None
    # The import register (shared with the session log, which persists it).
    energy: EnergyRegister = field(default_factory=EnergyRegister)
    voltage_v: float | None = None
    soc_percent: float | None = None
    connector_meter_seen: bool = False
    last_heartbeat: float | None = None
    last_seen: float | None = None
    updated_at: float | None = None
    ended_transactions: deque[str] = field(
        default_factory=lambda: deque(maxlen=_ENDED_KEPT)
    )

    @property
    def energy_wh(self) -> float | None:
        """The charger's energy so far (never decreases)."""
        return self.energy.total_wh

    @property
    def session_energy_kwh(self) -> float | None:
        """Energy of the running session."""
        if self.transaction_id is None:
            return None
        if self.energy_wh is None or self.meter_start_wh is None:
            return None
        return max(0.0, self.energy_wh - self.meter_start_wh) / 1000.0

    def merge(
        self,
        sample: MeterSample,
        now: float,
        *,
        live: bool = True,
        source: MeterSource = MeterSource.CONNECTOR,
    ) -> None:
        """Take the newest values of a meter sample; only its register unless
        it is `live` (it tells what the charger draws now).

        A quantity the sample had absurd values of becomes unknown: an old
        value must not stand for the present one.
        """
        if sample.energy_wh is not None:
            self.energy.read(sample.energy_wh, source)
        if not live:
            return
        rejected = sample.rejected
        if Quantity.CURRENT in rejected:
            self.current_a = None
        elif sample.phase_current_a:
            self.current_a = tuple(
                sample.phase_current_a.get(index, 0.0) for index in range(self.phases)
            )
        elif sample.current_a is not None and self.phases == 1:
            self.current_a = (sample.current_a,)
        if Quantity.POWER in rejected or sample.power_w is not None:
            self.power_w = sample.power_w
        if Quantity.VOLTAGE in rejected or sample.voltage_v is not None:
            self.voltage_v = sample.voltage_v
        if Quantity.SOC in rejected or sample.soc_percent is not None:
            self.soc_percent = sample.soc_percent
        self.updated_at = now

    def read_energy(self, raw_wh: float | None) -> float | None:
        """A register reading from a transaction message, as a total."""
        reading = None if raw_wh is None else plausible(Quantity.ENERGY, raw_wh)
        return None if reading is None else self.energy.read(reading)

    def stop_drawing(self, now: float) -> None:
        """The EV draws nothing now; forget the last currents we measured."""
        if self.current_a is not None:
            self.current_a = tuple(0.0 for _ in self.current_a)
        if self.power_w is not None:
            self.power_w = 0.0
        self.updated_at = now

    def start_session(
        self, transaction_id: str, id_tag: str | None, meter_start_wh: float | None
    ) -> None:
        """A transaction began on the balanced connector."""
        if self.transaction_id not in (None, transaction_id):
            self.ended_transactions.append(self.transaction_id)  # ended unseen
        self.transaction_id = transaction_id
        self.id_tag = id_tag
        self.meter_start_wh = meter_start_wh
        self.stopped_while_paused = False
        self.session_ended = False

    def end_session(self, *, paused: bool, now: float) -> None:
        """The transaction on the balanced connector ended."""
        if self.transaction_id is not None:
            self.ended_transactions.append(self.transaction_id)
        self.transaction_id = None
        self.session_ended = True
        self.stopped_while_paused = paused
        self.stop_drawing(now)

    def unplugged(self, now: float) -> None:
        """The connector is free: no EV, no session."""
        self.session_ended = False
        self.stopped_while_paused = False
        self.id_tag = None
        self.charging_state = None
        self.stop_drawing(now)
