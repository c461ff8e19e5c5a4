"""The simulated building's own load."""

from __future__ import annotations

from datetime import datetime
import itertools

from evlb_sim.live.building import Building, BuildingSpec

TEATIME = datetime.fromisoformat("2026-01-14T16:30")  # local time
HOUR_S = 3600.0


def test_the_evening_peak_is_above_the_night_and_l1_carries_most() -> None:
    building = Building(BuildingSpec(), TEATIME)
    evening = building.households_a(2 * HOUR_S)  # 18:30
    night = building.households_a(11 * HOUR_S)  # 03:30 the next day
    assert evening[0] > 1.8 * night[0]
    assert evening[0] > evening[1] > evening[2]


def test_households_change_smoothly_between_minutes() -> None:
    building = Building(BuildingSpec(), TEATIME)
    samples = [building.households_a(second) for second in range(0, 7200, 10)]
    steps = [
        max(abs(a - b) for a, b in zip(one, two, strict=True))
        for one, two in itertools.pairwise(samples)
    ]
    assert max(steps) < 1.0


def test_the_heat_pump_ramps_up_and_the_lift_comes_and_goes() -> None:
    spec = BuildingSpec(heat_pump_off_s=(10.0, 10.0), heat_pump_ramp_s=30.0)
    building = Building(spec, TEATIME)
    assert building.heat_pump_a(5.0) == 0.0
    assert 0.0 < building.heat_pump_a(25.0) < spec.heat_pump_a
    assert building.heat_pump_a(45.0) == spec.heat_pump_a
    lift = [building.lift_a(float(second)) for second in range(1800)]
    assert max(lift) == spec.lift_a
    assert min(lift) == 0.0


def test_the_total_is_never_negative_and_goes_on_for_days() -> None:
    building = Building(BuildingSpec(jitter_a=5.0), TEATIME)
    for second in range(0, 3 * 86400, 600):
        currents = building.current_a(float(second), second / 60.0)
        assert len(currents) == 3
        assert min(currents) >= 0.0
