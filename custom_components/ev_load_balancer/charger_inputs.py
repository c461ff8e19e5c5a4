"""From what a charger reports to what the balancer needs."""

from __future__ import annotations

from .balancer import ChargerInput, ChargerState
from .chargers.base import ChargerStatus
from .config_model import ChargerConfig
from .const import BOOST_PRIORITY
from .runtime_state import ChargerRuntime

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


def effective_priority(config: ChargerConfig, runtime: ChargerRuntime) -> int:
    if runtime.boost:
        return BOOST_PRIORITY
    return config.priority if runtime.priority is None else runtime.priority


def build_input(
    config: ChargerConfig,
    status: ChargerStatus,
    runtime: ChargerRuntime,
    *,
    controllable: bool,
    step_a: float,
    wall_to_clock_s: float,
) -> ChargerInput:
    """The balancer's view of one charger this round.

    `wall_to_clock_s` turns wall-clock times (a departure) into the
    balancer's monotonic clock.
    """
    measured = status.current_a or ()
    return ChargerInput(
        charger_id=config.charger_id,
        wiring=config.wiring,
        state=derived_state(status),
        min_a=config.min_a,
        max_a=config.max_a,
        measured_a=tuple(measured) if len(measured) == len(config.wiring) else (),
        priority=effective_priority(config, runtime),
        departure=None
        if runtime.departure is None
        else runtime.departure + wall_to_clock_s,
        energy_wanted_kwh=runtime.energy_wanted_kwh,
        # Unknown split over phases: reserve every wired one.
        ev_phases=None if status.phases_known else len(config.wiring),
        controllable=controllable,
        increase_interval_s=config.min_change_interval_s,
        step_a=step_a,
    )


def _drawing(status: ChargerStatus) -> bool:
    return bool(status.current_a) and max(status.current_a or (0.0,)) >= DRAWING_A
