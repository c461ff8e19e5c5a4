"""From what a charger reports to what the balancer needs, for every host alike."""

from __future__ import annotations

from ..balancer import ChargerInput, ChargerState
from ..chargers.base import ChargerStatus
from ..const import BOOST_PRIORITY
from .clock import RoundTime
from .config import LoopCharger
from .runtime import ChargerRuntime

# Above this on any conductor an EV is drawing: it is charging.
DRAWING_A = 1.5


def derived_state(status: ChargerStatus) -> ChargerState:
    """The reported state, or one told from the current.

    Without a status, an idle charger is taken to have an EV waiting: that
    reserves its minimum in the queue, the safe side of not knowing.
    """
    if status.state is not None:
        if status.state is ChargerState.CONNECTED and _drawing(status):
            return ChargerState.CHARGING
        return status.state
    return ChargerState.CHARGING if _drawing(status) else ChargerState.CONNECTED


def effective_priority(charger: LoopCharger, runtime: ChargerRuntime) -> int:
    if runtime.boost:
        return BOOST_PRIORITY
    return charger.priority if runtime.priority is None else runtime.priority


def build_input(
    charger: LoopCharger,
    status: ChargerStatus,
    state: ChargerState,
    runtime: ChargerRuntime,
    time: RoundTime,
    *,
    controllable: bool,
    step_a: float,
    reading: tuple[tuple[float, ...] | None, float | None] | None = None,
) -> ChargerInput:
    """The balancer's view of one charger this round (one clock: the loop's).

    `reading`: the currents and when they were taken, when they are not the
    status's own (see ChargerTrack.reading_at).
    """
    return _new_input(
        charger,
        status,
        state,
        _session_facts(charger, runtime, time),
        controllable=controllable,
        step_a=step_a,
        reading=reading,
    )


class InputCache:
    """One charger's last balancer input, reused while nothing it is made of
    changed (most chargers report the same thing round after round)."""

    __slots__ = ("_charger", "_input", "_key", "_status")

    def __init__(self) -> None:
        self._charger: LoopCharger | None = None
        self._status: ChargerStatus | None = None
        self._key: tuple[object, ...] = ()
        self._input: ChargerInput | None = None

    def get(
        self,
        charger: LoopCharger,
        status: ChargerStatus,
        state: ChargerState,
        runtime: ChargerRuntime,
        time: RoundTime,
        *,
        controllable: bool,
        step_a: float,
        reading: tuple[tuple[float, ...] | None, float | None] | None = None,
    ) -> ChargerInput:
        """What build_input gives for the same arguments."""
        facts = _session_facts(charger, runtime, time)
        # Everything build_input makes the input of: the configuration and the
        # status (immutable: the same objects), the session's facts this round
        # (the runtime is mutated in place), the trust, the step, the reading.
        key = (state, facts, controllable, step_a, reading)
        cached = self._input
        if (
            cached is not None
            and status is self._status
            and charger is self._charger
            and key == self._key
        ):
            return cached
        self._charger, self._status, self._key = charger, status, key
        made = self._input = _new_input(
            charger,
            status,
            state,
            facts,
            controllable=controllable,
            step_a=step_a,
            reading=reading,
        )
        return made


def _session_facts(
    charger: LoopCharger, runtime: ChargerRuntime, time: RoundTime
) -> tuple[int, float | None, float | None]:
    """Priority, departure (loop clock) and energy still wanted this round."""
    departure, energy_kwh = runtime.departure, runtime.energy_wanted_kwh
    if departure is None:  # the user's departure wins over peak shaving's guess
        departure, energy_kwh = (
            runtime.estimated_departure,
            runtime.estimated_energy_kwh,
        )
    return (
        effective_priority(charger, runtime),
        None if departure is None else time.to_loop(departure),
        energy_kwh,
    )


def _new_input(
    charger: LoopCharger,
    status: ChargerStatus,
    state: ChargerState,
    facts: tuple[int, float | None, float | None],
    *,
    controllable: bool,
    step_a: float,
    reading: tuple[tuple[float, ...] | None, float | None] | None,
) -> ChargerInput:
    priority, departure, energy_kwh = facts
    currents, taken_at = (
        (status.current_a, status.updated_at) if reading is None else reading
    )
    measured = currents or ()
    return ChargerInput(
        charger_id=charger.charger_id,
        wiring=charger.wiring,
        state=state,
        min_a=charger.min_a,
        max_a=charger.max_a,
        measured_a=tuple(measured) if len(measured) == len(charger.wiring) else (),
        # The age of the reading goes with it (see balancer/credit.py).
        measured_at=taken_at,
        priority=priority,
        departure=departure,
        energy_wanted_kwh=energy_kwh,
        # Unknown split over phases: reserve every wired one.
        ev_phases=None if status.phases_known else len(charger.wiring),
        controllable=controllable,
        increase_interval_s=charger.increase_interval_s,
        step_a=step_a,
        circuit_id=charger.circuit_id,
    )


def _drawing(status: ChargerStatus) -> bool:
    return bool(status.current_a) and max(status.current_a or (0.0,)) >= DRAWING_A
