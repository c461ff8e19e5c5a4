"""The planned level: flat under the night's baseline valley, deadlines kept."""

from __future__ import annotations

import pytest

from custom_components.ev_load_balancer.peak import EvNeed, planned_level_kw

HOUR = 3600.0


def evening_then_night(time_s: float) -> float:
    """40 kW until 22:00 (hour 4 from now at 18:00), then 10 kW."""
    return 40.0 if time_s < 4 * HOUR else 10.0


def test_energy_goes_into_the_low_hours() -> None:
    # 60 kWh by 8 h from now: the four night hours at 10 kW base can carry
    # it at 25 kW, below the evening's 40 kW baseline.
    level = planned_level_kw(
        0.0, [EvNeed(60.0, 8 * HOUR, 22.0)], evening_then_night, 200.0
    )
    assert level == pytest.approx(25.0, abs=0.01)


def test_an_early_deadline_raises_the_level() -> None:
    # The same EV leaving at 22:00 must charge during the evening peak.
    level = planned_level_kw(
        0.0, [EvNeed(60.0, 4 * HOUR, 22.0)], evening_then_night, 200.0
    )
    assert level == pytest.approx(55.0, abs=0.01)


def test_an_ev_maximum_bounds_what_a_slot_can_take() -> None:
    # 44 kWh in 4 night hours at most 11 kW each: only just, and the level
    # must also cover the baseline.
    level = planned_level_kw(
        0.0, [EvNeed(44.0, 8 * HOUR, 11.0)], evening_then_night, 200.0
    )
    assert level == pytest.approx(21.0, abs=0.01)
    # More than it can take: its maximum all the time, evening included.
    assert planned_level_kw(
        0.0, [EvNeed(100.0, 8 * HOUR, 11.0)], evening_then_night, 200.0
    ) == pytest.approx(51.0, abs=0.01)
    # The baseline alone above the ceiling: the ceiling.
    assert (
        planned_level_kw(0.0, [EvNeed(10.0, 4 * HOUR, 11.0)], evening_then_night, 30.0)
        == 30.0
    )


def test_no_need_no_level() -> None:
    assert planned_level_kw(0.0, [], evening_then_night, 200.0) == 0.0
