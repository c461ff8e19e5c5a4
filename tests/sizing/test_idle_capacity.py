"""No capacity left idle while EVs wait (issue 11), through the shared loop.

Twenty EVs wait at 0 A under a building that leaves no room; the building
steps down 32 A. The first EV must draw within what the chain itself takes:
the meter's next reading that shows the step, one round of the loop, and the
EV's own follow time. Found by a third-party charger simulator: the held
baseline kept the freed amperes for 5 s more, with every EV idle.
"""

from __future__ import annotations

import pytest

from custom_components.ev_load_balancer.balancer import Rotation, Site
from custom_components.ev_load_balancer.sizing import (
    BaselineSeries,
    ChargerSpec,
    ControlTiming,
    EvModel,
    Session,
    simulate,
)

from .helpers import HOUR, START

SITE = Site(phases=3, fuse_a=63.0, margin_a=3.0)
STEP_S = 600.0
EV_MODEL = EvModel()


def first_draw_after_step(meter_interval_s: float) -> float:
    rotations = list(Rotation)
    chargers = [
        ChargerSpec(charger_id=f"cp{i}", wiring=rotations[i % 3].wiring, max_a=16.0)
        for i in range(20)
    ]
    sessions = [
        Session(
            charger_id=charger.charger_id,
            arrival_s=60.0 + i,
            departure_s=2 * HOUR,
            energy_kwh=60.0,
        )
        for i, charger in enumerate(chargers)
    ]
    # No room at all for ten minutes (60 A of 63 A minus 3), then 32 A.
    minutes = [(60.0,) * 3] * 10 + [(28.0,) * 3] * 60
    baseline = BaselineSeries(START, 60.0, tuple(minutes))
    timing = ControlTiming(meter_interval_s=meter_interval_s, meter_lag_s=1.0)
    result = simulate(
        SITE, baseline, chargers, sessions, timing=timing, ev_model=EV_MODEL
    )
    trace = result.ev_trace
    assert all(
        max(current) == 0
        for time_s, current in zip(trace.times_s, trace.currents_a, strict=True)
        if time_s < STEP_S
    )
    return next(
        time_s
        for time_s, current in zip(trace.times_s, trace.currents_a, strict=True)
        if time_s >= STEP_S and max(current) > 0
    )


@pytest.mark.parametrize("meter_interval_s", [1.0, 10.0])
def test_waiting_evs_draw_what_the_building_frees_within_one_round(
    meter_interval_s: float,
) -> None:
    timing = ControlTiming(meter_interval_s=meter_interval_s, meter_lag_s=1.0)
    # The reading that shows the step comes at most a period and a lag late.
    seen_by = STEP_S + timing.meter_lag_s + meter_interval_s
    bound = seen_by + timing.tick_s + EV_MODEL.increase_delay_s
    assert first_draw_after_step(meter_interval_s) <= bound
