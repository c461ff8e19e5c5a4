"""One simulated charger in a replay: its EV (if any) and what it reports.

It reports as a real charger does: a status (no EV, EV connected, charging,
EV full), its current a lag late (per conductor, or only its power), its
energy register, and when the reading was taken. The loop sees this through
the same ChargerReport as Home Assistant's chargers.
"""

from __future__ import annotations

from dataclasses import dataclass
import math

from ..balancer import ChargerState
from ..chargers.base import ChargerStatus
from ..loop import ChargerReport
from .ev import SimulatedEv
from .model import ChargerSpec, ControlTiming, EvModel, Session, ev_load_phases

# A reading below this (A) reports "connected", not "charging".
_CHARGING_MIN_A = 0.1
# Delivered this close to wanted (kWh) counts as full by departure.
FULL_TOLERANCE_KWH = 0.01


@dataclass(frozen=True, slots=True)
class SessionOutcome:
    """What one session got."""

    session: Session
    delivered_kwh: float
    # When the EV stopped drawing by itself (full), if it did.
    full_at_s: float | None
    # Pause/resume switches while the EV still wanted energy.
    switches: int

    @property
    def full(self) -> bool:
        """Whether the EV got what it wanted before it left."""
        return self.delivered_kwh >= self.session.energy_kwh - FULL_TOLERANCE_KWH


class SimulatedCharger:
    """A charger's state between events, and its report for the loop."""

    __slots__ = (
        "_key",
        "_lag_s",
        "_register_kwh",
        "_report",
        "_running",
        "_started",
        "_switches",
        "ev",
        "index",
        "limit_a",
        "load_phases",
        "next_event_s",
        "spec",
    )

    def __init__(self, spec: ChargerSpec, index: int, model: EvModel) -> None:
        self.spec = spec
        self.index = index
        self.ev: SimulatedEv | None = None
        # When the EV's draw changes next by itself (cached: asked every event).
        self.next_event_s = math.inf
        self.load_phases: tuple[int, ...] = ()
        # The limit the charger holds (what it last accepted).
        self.limit_a = 0.0
        self._lag_s = (
            model.measurement_lag_s
            if spec.report_lag_s is None
            else (spec.report_lag_s)
        )
        self._register_kwh = 0.0
        self._report = ChargerReport(
            status=ChargerStatus(state=ChargerState.NO_EV),
            step_a=spec.step_a,
        )
        self._key: tuple[object, ...] = ()
        self._running: bool | None = None
        self._started = False
        self._switches = 0

    def plug_in(
        self, session: Session, model: EvModel, voltage_v: float
    ) -> SimulatedEv:
        """An EV arrives; it draws nothing until the charger allows it."""
        self.load_phases = ev_load_phases(self.spec, session)
        self.ev = SimulatedEv(
            session,
            phase_count=len(self.load_phases),
            model=model,
            voltage_v=voltage_v,
            min_a=self.spec.min_a,
            lag_s=self._lag_s,
            # Chargers do not all report at the same instant.
            offset_s=self.index * 0.37
            if self.spec.report_offset_s is None
            else self.spec.report_offset_s,
        )
        if self.limit_a:
            self.ev.command(session.arrival_s, self.limit_a)
        self._running = None
        self._started = False
        self._switches = 0
        self.next_event_s = self.ev.next_event_s()
        return self.ev

    def unplug(self, now: float) -> SessionOutcome:
        """The EV leaves; what it got."""
        ev = self.ev
        assert ev is not None
        ev.unplug(now)
        self._register_kwh += ev.delivered_kwh
        self.ev = None
        self.load_phases = ()
        self.next_event_s = math.inf
        return SessionOutcome(ev.session, ev.delivered_kwh, ev.full_at, self._switches)

    def wants_energy(self, now: float) -> bool:
        """Whether an EV is plugged in and not yet full."""
        ev = self.ev
        return ev is not None and (ev.full_at is None or ev.full_at > now)

    def report(self, now: float, timing: ControlTiming) -> ChargerReport:
        """What the charger reports at `now` (its reading a lag late)."""
        ev = self.ev
        spec = self.spec
        if ev is None:
            key: tuple[object, ...] = (ChargerState.NO_EV,)
            if key != self._key:
                self._key = key
                self._report = ChargerReport(
                    status=ChargerStatus(
                        state=ChargerState.NO_EV,
                        current_a=(0.0,) * len(spec.wiring),
                        power_w=0.0,
                        energy_kwh=self._register_kwh,
                        updated_at=now,
                    ),
                    step_a=spec.step_a,
                )
            return self._report
        measured, taken_at = ev.measured_a(now)
        if not self.wants_energy(now):
            state = ChargerState.EV_FULL
            if timing.full_reads_zero:
                measured = 0.0
        elif measured >= _CHARGING_MIN_A:
            state = ChargerState.CHARGING
        else:
            state = ChargerState.CONNECTED
        key = (state, measured, taken_at)
        if key != self._key:
            self._key = key
            drawing = len(self.load_phases)
            power = measured * drawing * ev.voltage_v
            conductors = len(spec.wiring)
            if spec.reports_phases:
                currents = tuple(
                    measured if conductor < drawing else 0.0
                    for conductor in range(conductors)
                )
            else:
                # A power reading: what certainly flows on L1 (see chargers/).
                currents = (power / (ev.voltage_v * conductors),) + (0.0,) * (
                    conductors - 1
                )
            self._report = ChargerReport(
                status=ChargerStatus(
                    state=state,
                    current_a=currents,
                    power_w=power,
                    energy_kwh=self._register_kwh + ev.delivered_kwh,
                    updated_at=taken_at,
                    phases_known=spec.reports_phases or conductors == 1,
                ),
                step_a=spec.step_a,
            )
        return self._report

    def accept(self, now: float, limit_a: float) -> None:
        """The charger accepted a new limit; its EV follows after a delay."""
        self.limit_a = limit_a
        ev = self.ev
        if ev is None:
            return
        self._note_limit(now, limit_a)
        ev.command(now, limit_a)
        ev.advance(now)  # a zero delay takes effect at once
        self.next_event_s = ev.next_event_s()

    def _note_limit(self, now: float, limit_a: float) -> None:
        """Count a pause or resume while the EV still wants energy.

        Waiting before the first start is not a switch; every later change
        between running and paused is.
        """
        if not self.wants_energy(now):
            self._running = None
            return
        running = limit_a > 0
        if running != self._running:
            if self._running is not None and self._started:
                self._switches += 1
            self._started = self._started or running
        self._running = running
