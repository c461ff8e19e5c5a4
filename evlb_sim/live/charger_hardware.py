"""A charger and the EV plugged into it, without the protocol.

The EV is the capacity simulator's own (sizing/ev.py): it follows a new limit
a couple of seconds late, tapers near full, stops when full. Here it lives on
the simulated clock, with its delays stretched by the speed-up so that they
stay real seconds. The charger applies the limit of its charging profiles
(charging_profiles.py), runs transactions and keeps an energy register; what
it has to tell its central system goes into `outbox` for the link
(charger_link.py) to send.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from custom_components.ev_load_balancer.balancer import IEC_MIN_CURRENT_A
from custom_components.ev_load_balancer.sizing import (
    ChargerSpec,
    EvModel,
    Session,
    ev_load_phases,
)
from custom_components.ev_load_balancer.sizing.ev import SimulatedEv

from .charging_profiles import ChargingProfile, ProfileStack


class ConnectorStatus(StrEnum):
    """OCPP 1.6 ChargePointStatus of the connector."""

    AVAILABLE = "Available"
    PREPARING = "Preparing"
    CHARGING = "Charging"
    SUSPENDED_EVSE = "SuspendedEVSE"
    SUSPENDED_EV = "SuspendedEV"
    FINISHING = "Finishing"


@dataclass(slots=True, kw_only=True)
class Transaction:
    """A charging session as the central system knows it."""

    id_tag: str
    meter_start_wh: int
    started_at: datetime
    transaction_id: int | None = None  # given by the central system


@dataclass(frozen=True, slots=True)
class StatusChanged:
    status: ConnectorStatus


@dataclass(frozen=True, slots=True)
class TransactionStarted:
    transaction: Transaction


@dataclass(frozen=True, slots=True)
class TransactionStopped:
    transaction: Transaction
    meter_stop_wh: int
    stopped_at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class DrawChanged:
    """The EV draws something else now: worth a MeterValues."""


type Message = StatusChanged | TransactionStarted | TransactionStopped | DrawChanged


@dataclass(slots=True)
class EvPlugged:
    """The EV of the session being served."""

    session: Session
    ev: SimulatedEv
    load_phases: tuple[int, ...]  # site phases it loads
    conductors: int  # charger conductors it draws on (from L1)
    stopped_by_remote: bool = False


@dataclass(slots=True)
class ChargerCounters:
    """What the charger has done since it started."""

    sessions: int = 0
    delivered_kwh: float = 0.0  # of sessions that ended
    initial_register_wh: int = 0


class ChargerHardware:
    """One charger with one connector, and the EVs that come to it."""

    def __init__(
        self,
        spec: ChargerSpec,
        sessions: Iterator[Session],
        *,
        ev_model: EvModel,
        voltage_v: float = 230.0,
        register_wh: int = 0,
        unmanaged_a: float | None = None,
    ) -> None:
        self.spec = spec
        # What it offers while no charging profile applies: its installer
        # setting (None: its maximum, as out of the box).
        self.unmanaged_a = spec.max_a if unmanaged_a is None else unmanaged_a
        self.voltage_v = voltage_v
        self.profiles = ProfileStack()
        self.outbox: deque[Message] = deque()
        self.on_message: Callable[[], None] | None = None
        self.counters = ChargerCounters(initial_register_wh=register_wh)
        self.commissioned = False  # EVs come once the central system runs it
        self.plugged: EvPlugged | None = None
        self.transaction: Transaction | None = None
        self.status = ConnectorStatus.AVAILABLE
        self.limit_a = 0.0  # what the charger offers the EV now
        self._model = ev_model
        self._sessions = sessions
        self._next = next(sessions)
        self._sim_s = 0.0
        self._draw_a = 0.0

    # The simulation ------------------------------------------------------

    def tick(self, sim_s: float, wall_now: datetime) -> None:
        """Bring charger and EV to now: arrivals, limits, energy, departures."""
        self._sim_s = sim_s
        if self.plugged is None and self.commissioned:
            self._maybe_plug_in(sim_s, wall_now)
        plugged = self.plugged
        if plugged is not None:
            plugged.ev.advance(sim_s)
            if sim_s >= plugged.session.departure_s:
                self._unplug(sim_s, wall_now)
        self._apply_limit(sim_s, wall_now)
        self._update_status()
        draw = self.draw_a
        if draw != self._draw_a:
            self._draw_a = draw
            self._send(DrawChanged())

    @property
    def draw_a(self) -> float:
        """Current per loaded conductor."""
        return 0.0 if self.plugged is None else self.plugged.ev.draw_a

    def conductor_currents(self) -> tuple[float, float, float]:
        """What the charger measures on its L1, L2, L3."""
        if self.plugged is None:
            return (0.0, 0.0, 0.0)
        draw, conductors = self.plugged.ev.draw_a, self.plugged.conductors
        return (
            draw,
            draw if conductors > 1 else 0.0,
            draw if conductors > 2 else 0.0,
        )

    def site_currents(self, phases: int = 3) -> list[float]:
        """What the EV adds to each site phase."""
        currents = [0.0] * phases
        if self.plugged is not None:
            for phase in self.plugged.load_phases:
                currents[phase] += self.plugged.ev.draw_a
        return currents

    @property
    def power_w(self) -> float:
        if self.plugged is None:
            return 0.0
        return self.plugged.ev.draw_a * self.plugged.conductors * self.voltage_v

    @property
    def register_wh(self) -> int:
        """The energy meter of the charger (Wh, ever increasing)."""
        kwh = self.counters.delivered_kwh
        if self.plugged is not None:
            kwh += self.plugged.ev.delivered_kwh
        return self.counters.initial_register_wh + int(kwh * 1000)

    @property
    def delivered_kwh(self) -> float:
        """Energy given to EVs since the simulation started."""
        return (self.register_wh - self.counters.initial_register_wh) / 1000.0

    @property
    def wants_energy(self) -> bool:
        plugged = self.plugged
        return plugged is not None and plugged.ev.full_at is None

    # What the central system asks ----------------------------------------

    def set_profile(self, connector_id: int, profile: dict[str, Any]) -> str:
        """SetChargingProfile; answers the status."""
        if connector_id not in (0, 1):
            return "Rejected"
        try:
            parsed = ChargingProfile.from_call(connector_id, profile)
        except ValueError:
            return "Rejected"
        self.profiles.install(parsed)
        return "Accepted"

    def clear_profiles(self, criteria: dict[str, Any]) -> None:
        """ClearChargingProfile (answered Accepted whatever it removed)."""
        self.profiles.clear(
            profile_id=criteria.get("id"),
            purpose=criteria.get("charging_profile_purpose"),
            stack_level=criteria.get("stack_level"),
        )

    def remote_start(
        self, id_tag: str, profile: dict[str, Any] | None, wall_now: datetime
    ) -> bool:
        """RemoteStartTransaction: starts if an EV waits without a session."""
        if self.plugged is None or self.transaction is not None:
            return False
        if profile is not None:
            self.set_profile(1, profile)
        self.plugged.stopped_by_remote = False
        self._start_transaction(id_tag, wall_now)
        return True

    def remote_stop(self, transaction_id: int, wall_now: datetime) -> bool:
        """RemoteStopTransaction: the EV stays, the session ends."""
        transaction = self.transaction
        if transaction is None or transaction.transaction_id != transaction_id:
            return False
        if self.plugged is not None:
            self.plugged.stopped_by_remote = True
        self._stop_transaction(wall_now, "Remote")
        return True

    # Internals -------------------------------------------------------------

    def _send(self, message: Message) -> None:
        self.outbox.append(message)
        if self.on_message is not None:
            self.on_message()

    def _maybe_plug_in(self, sim_s: float, wall_now: datetime) -> None:
        while self._next.departure_s <= sim_s:
            self._next = next(self._sessions)  # missed while not commissioned
        session = self._next
        if session.arrival_s > sim_s:
            return
        self._next = next(self._sessions)
        if session.arrival_s < sim_s:  # it waited for the charger to be running
            session = replace(session, arrival_s=sim_s)
        load_phases = ev_load_phases(self.spec, session)
        ev = SimulatedEv(
            session,
            phase_count=len(load_phases),
            model=self._model,
            voltage_v=self.voltage_v,
            min_a=IEC_MIN_CURRENT_A,
        )
        self.plugged = EvPlugged(
            session=session,
            ev=ev,
            load_phases=load_phases,
            conductors=len(load_phases),
        )
        self.counters.sessions += 1
        self._update_status()
        self._start_transaction(f"EV-{self.spec.charger_id}", wall_now)

    def _unplug(self, sim_s: float, wall_now: datetime) -> None:
        plugged = self.plugged
        assert plugged is not None
        plugged.ev.unplug(sim_s)
        if self.transaction is not None:
            self._stop_transaction(wall_now, "EVDisconnected")
        self.counters.delivered_kwh += plugged.ev.delivered_kwh
        self.plugged = None

    def _start_transaction(self, id_tag: str, wall_now: datetime) -> None:
        self.transaction = Transaction(
            id_tag=id_tag, meter_start_wh=self.register_wh, started_at=wall_now
        )
        self._send(TransactionStarted(self.transaction))

    def _stop_transaction(self, wall_now: datetime, reason: str) -> None:
        transaction = self.transaction
        assert transaction is not None
        self.transaction = None
        self.profiles.end_transaction(transaction.transaction_id)
        self._send(
            TransactionStopped(
                transaction,
                meter_stop_wh=self.register_wh,
                stopped_at=wall_now,
                reason=reason,
            )
        )

    def _apply_limit(self, sim_s: float, wall_now: datetime) -> None:
        transaction = self.transaction
        limit = self.profiles.limit(
            wall_now,
            transaction_id=None if transaction is None else transaction.transaction_id,
            transaction_start=None if transaction is None else transaction.started_at,
            volts_times_phases=self.voltage_v
            * (3 if self.plugged is None else self.plugged.conductors),
        )
        offered = self.unmanaged_a if limit is None else min(limit, self.spec.max_a)
        self.limit_a = offered
        if self.plugged is not None:
            # Without a running session the charger gives nothing.
            self.plugged.ev.command(sim_s, offered if transaction is not None else 0.0)

    def _update_status(self) -> None:
        plugged = self.plugged
        if plugged is None:
            status = ConnectorStatus.AVAILABLE
        elif self.transaction is None:
            status = (
                ConnectorStatus.FINISHING
                if plugged.stopped_by_remote
                else ConnectorStatus.PREPARING
            )
        elif plugged.ev.full_at is not None:
            status = ConnectorStatus.SUSPENDED_EV
        elif plugged.ev.draw_a > 0:
            status = ConnectorStatus.CHARGING
        else:
            status = ConnectorStatus.SUSPENDED_EVSE
        if status != self.status:
            self.status = status
            self._send(StatusChanged(status))
