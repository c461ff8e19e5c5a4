"""A read-only charger (Tesla Wall Connector) is shown, never commanded, and
what it draws is the building's."""

from __future__ import annotations

from dataclasses import dataclass

from custom_components.ev_load_balancer.balancer import (
    ChargerLimit,
    ChargerState,
    Reason,
)
from custom_components.ev_load_balancer.chargers.base import ChargerGroup, ChargerStatus
from custom_components.ev_load_balancer.chargers.phase_sequence import PhaseSwitching
from custom_components.ev_load_balancer.loop import ChargerReport, EventKind

from .helpers import at, charging, complete, meter, new_loop


@dataclass
class _Controls:
    """A back end's capabilities, as the loop sees them."""

    read_only: bool = True
    group: ChargerGroup | None = None

    @property
    def phase_switching(self) -> PhaseSwitching | None:
        return None

    def observe_allocation(self, limit: ChargerLimit | None) -> None:
        return None


def _tesla(now: float, state: ChargerState, power_w: float) -> ChargerReport:
    # What the entity back end reports for a read-only charger: its power,
    # no per-phase currents, never available for commands.
    return ChargerReport(
        status=ChargerStatus(
            state=state, power_w=power_w, updated_at=now, phases_known=False
        ),
        available=False,
        controls=_Controls(),
    )


def test_a_read_only_charger_is_never_commanded_and_its_draw_is_building_load() -> None:
    loop = new_loop(2)
    tesla_a = 16.0
    events = []
    sends = []
    states = [ChargerState.CHARGING] * 30 + [ChargerState.EV_FULL] * 10
    states += [ChargerState.CHARGING] * 30
    for second, state in enumerate(states):
        now = float(second)
        drawing = state is ChargerState.CHARGING
        other = loop.last_allocation.limits["cp2"].current_a if second else 0.0
        site = 10.0 + (tesla_a if drawing else 0.0) + min(other, 16.0)
        result = loop.run_round(
            at(now),
            meter(now, site),
            {
                "cp1": _tesla(now, state, tesla_a * 3 * 230 if drawing else 0.0),
                "cp2": charging(now, min(other, 16.0)),
            },
        )
        complete(loop, result, now)
        sends.extend(result.sends)
        events.extend(result.events)
        limit = result.allocation.limits["cp1"]
        assert (limit.current_a, limit.reason) == (0.0, Reason.NOT_CONTROLLED)
    # Never told anything, not even to pause.
    assert [charger for charger, _ in sends if charger == "cp1"] == []
    assert {charger for charger, _ in sends} == {"cp2"}
    # Never "paused" by us when it charges again, never "ignoring" a limit.
    assert [e for e in events if e.charger_id == "cp1"] == []
    assert not loop.issues.chargers["cp1"].ignores_limit
    assert loop.issues.chargers["cp1"].unresponsive is None
    # Its 16 A are the building's: 38 - 10 - 16 = 12 A left for cp2.
    assert loop.last_allocation.limits["cp2"].current_a == 12.0
    assert not [e for e in events if e.kind is EventKind.OVERLOAD_STARTED]
