"""What the loop makes of readings: plausibility, energy, ages, idle chargers."""

from __future__ import annotations

import math

from hypothesis import given, strategies as st
import pytest

from custom_components.ev_load_balancer.balancer import ChargerState
from custom_components.ev_load_balancer.chargers.base import ChargerStatus
from custom_components.ev_load_balancer.loop import ChargerReport, RoundTime
from custom_components.ev_load_balancer.loop.energy import EnergyCounter
from custom_components.ev_load_balancer.loop.plausibility import plausible_status

from .helpers import at, charging, complete, idle, meter, new_loop


@given(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(allow_nan=True, allow_infinity=True),
)
def test_no_implausible_number_gets_through(
    current: float, power: float, energy: float
) -> None:
    status = ChargerStatus(
        state=ChargerState.CHARGING,
        current_a=(current, 0.0, 0.0),
        power_w=power,
        energy_kwh=energy,
    )
    checked, dropped = plausible_status(status, max_a=32.0)
    for value in (*(checked.current_a or ()), checked.power_w, checked.energy_kwh):
        assert value is None or (math.isfinite(value) and value >= 0)
    if checked.current_a is None:
        assert "current" in dropped
    if checked.current_a is not None:
        assert max(checked.current_a) <= 100.0


def test_a_register_counts_exactly_and_a_reset_counts_nothing() -> None:
    counter = EnergyCounter()
    step = counter.step
    assert step(ChargerStatus(state=None, energy_kwh=100.0), 0.0, 230.0) == 0.0
    assert step(ChargerStatus(state=None, energy_kwh=100.5), 10.0, 230.0) == 0.5
    assert step(ChargerStatus(state=None, energy_kwh=3.0), 20.0, 230.0) == 0.0
    assert step(ChargerStatus(state=None, energy_kwh=3.25), 30.0, 230.0) == 0.25


def test_without_a_register_power_is_integrated_and_gaps_are_not() -> None:
    counter = EnergyCounter()
    drawing = ChargerStatus(state=None, power_w=7200.0)
    counter.step(drawing, 0.0, 230.0)
    assert counter.step(drawing, 30.0, 230.0) == pytest.approx(7.2 * 30 / 3600)
    # Ten minutes without a round: at most a minute of it is counted.
    assert counter.step(drawing, 630.0, 230.0) == pytest.approx(7.2 * 60 / 3600)


def test_wall_instants_meet_the_loop_clock_in_one_place() -> None:
    time = RoundTime(now=100.0, wall=1_700_000_100.0)
    assert time.to_loop(1_700_000_700.0) == 700.0
    assert time.to_wall(700.0) == 1_700_000_700.0


def test_a_charger_newer_than_the_meter_is_set_against_its_earlier_reading() -> None:
    loop = new_loop(count=1)
    loop.run_round(at(0.0), meter(0.0, 10.0), {"cp1": charging(0.0, 0.0)})
    result = loop.run_round(at(1.0), meter(1.0, 26.0), {"cp1": charging(1.0, 16.0)})
    assert result.allocation is not None
    # The meter (at 1 s) and the charger (at 1 s) agree: 26 - 16 = 10 A.
    assert result.allocation.baseline_a[0] == pytest.approx(10.0)
    # The charger drops to 6 A at 3 s; the meter still shows 1 s: the
    # reading the meter saw (16 A) is credited, not the newer 6 A.
    result = loop.run_round(at(3.0), meter(1.0, 26.0), {"cp1": charging(3.0, 6.0)})
    assert result.allocation is not None
    assert result.allocation.baseline_a[0] == pytest.approx(10.0)


def test_idle_chargers_sit_out_rounds_and_come_back_with_an_ev() -> None:
    loop = new_loop(count=3)
    reports = {key: idle(0.0) for key in ("cp1", "cp2", "cp3")}
    result = loop.run_round(at(0.0), meter(0.0), reports)
    complete(loop, result, 0.0)
    loop.run_round(at(1.0), meter(1.0), reports)
    assert all(track.idle for track in loop.tracks.values())
    snapshot = loop.snapshot()
    assert {view.limit_a for view in snapshot.chargers.values()} == {0.0}
    # An EV arrives at cp2; only it takes part, and it gets current.
    plugged = ChargerReport(
        status=ChargerStatus(
            state=ChargerState.CONNECTED, current_a=(0.0,) * 3, updated_at=2.0
        ),
        step_a=1.0,
    )
    result = loop.run_round(at(2.0), meter(2.0), {**reports, "cp2": plugged})
    assert result.allocation is not None
    assert set(result.allocation.limits) == {"cp2"}
    # Its minimum and one ramp step (BalancerSettings.ramp_step_a) to start.
    assert result.allocation.limits["cp2"].current_a == 10.0
    assert [key for key, _ in result.sends] == ["cp2"]
