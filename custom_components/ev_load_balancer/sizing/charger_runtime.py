"""One charger during a replay: its EV (if any) and what it reports upward."""

from __future__ import annotations

from dataclasses import dataclass
import math

from ..balancer import ChargerInput, ChargerState
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


class ChargerRuntime:
    """A charger's state between events, and its reading for the controller."""

    __slots__ = (
        "_input",
        "_input_key",
        "_running",
        "_started",
        "_switches",
        "ev",
        "idle_input",
        "index",
        "load_phases",
        "next_event_s",
        "spec",
    )

    def __init__(self, spec: ChargerSpec, index: int) -> None:
        self.spec = spec
        self.index = index
        self.ev: SimulatedEv | None = None
        # When the EV's draw changes next by itself (cached: asked every event).
        self.next_event_s = math.inf
        self.load_phases: tuple[int, ...] = ()
        self.idle_input = ChargerInput(
            charger_id=spec.charger_id,
            wiring=spec.wiring,
            state=ChargerState.NO_EV,
            min_a=spec.min_a,
            max_a=spec.max_a,
            measured_a=(0.0,) * len(spec.wiring),
        )
        self._input = self.idle_input
        self._input_key: tuple[object, ...] = ()
        self._running: bool | None = None
        self._started = False
        self._switches = 0

    def plug_in(
        self, session: Session, model: EvModel, voltage_v: float
    ) -> SimulatedEv:
        """An EV arrives."""
        self.load_phases = ev_load_phases(self.spec, session)
        self.ev = SimulatedEv(
            session,
            phase_count=len(self.load_phases),
            model=model,
            voltage_v=voltage_v,
            min_a=self.spec.min_a,
        )
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
        self.ev = None
        self.load_phases = ()
        self.next_event_s = math.inf
        return SessionOutcome(ev.session, ev.delivered_kwh, ev.full_at, self._switches)

    def wants_energy(self, now: float) -> bool:
        """Whether an EV is plugged in and not yet full."""
        ev = self.ev
        return ev is not None and (ev.full_at is None or ev.full_at > now)

    def reading(self, now: float, timing: ControlTiming) -> ChargerInput:
        """What the charger reports at `now` (its current reading a lag late)."""
        ev = self.ev
        if ev is None:
            return self.idle_input
        measured = ev.measured_a(now)
        if not self.wants_energy(now):
            state = ChargerState.EV_FULL
            if timing.full_reads_zero:
                measured = 0.0
        elif measured >= _CHARGING_MIN_A:
            state = ChargerState.CHARGING
        else:
            state = ChargerState.CONNECTED
        departure: float | None = None
        wanted: float | None = None
        if timing.departure_known:
            departure = ev.session.departure_s
            wanted = round(ev.remaining_kwh, 3)
        key = (state, measured, wanted)
        if key != self._input_key:
            spec = self.spec
            drawing = len(self.load_phases)
            self._input = ChargerInput(
                charger_id=spec.charger_id,
                wiring=spec.wiring,
                state=state,
                min_a=spec.min_a,
                max_a=spec.max_a,
                measured_a=tuple(
                    measured if conductor < drawing else 0.0
                    for conductor in range(len(spec.wiring))
                ),
                departure=departure,
                energy_wanted_kwh=wanted,
            )
            self._input_key = key
        return self._input

    def note_limit(self, now: float, limit_a: float) -> None:
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
