"""Rounds whose meter and charger readings come at any moment, of any age.

The credit rules (credit.py, ramp_evidence.py) branch on when the meter and
each charger took their readings against when limits were raised and cut.
The closed-loop tests read the meter at the round's moment; here the meter's
reading lags, repeats and skips, charger readings come late or not at all,
and EVs ramp, overshoot or stop by themselves. Found with this test's
predecessor, by hand: an empty median stopped a round.
"""

from __future__ import annotations

import random

from hypothesis import given, settings, strategies as st

from custom_components.ev_load_balancer.balancer import (
    Balancer,
    BalancerSettings,
    ChargerInput,
    ChargerState,
    Rotation,
    Site,
)

TOLERANCE_A = 1e-6
STATES = (
    ChargerState.CHARGING,
    ChargerState.CHARGING,
    ChargerState.CHARGING,
    ChargerState.CONNECTED,
    ChargerState.EV_FULL,
    ChargerState.NO_EV,
)


def _charger(rng: random.Random, index: int, now: float, limit: float) -> ChargerInput:
    wiring = rng.choice(list(Rotation)).wiring if rng.random() < 0.8 else (0,)
    state = rng.choice(STATES)
    drawing = rng.choice((1, 3)) if len(wiring) == 3 else 1
    # Near the limit it was given, or off by a ramp, an overshoot, a stop.
    draw = max(0.0, limit + rng.choice((0.0, 0.0, -4.0, 2.0, -limit)))
    measured: tuple[float, ...] = ()
    if rng.random() < 0.9:
        measured = tuple(
            draw if conductor < drawing else 0.0 for conductor in range(len(wiring))
        )
    return ChargerInput(
        charger_id=f"cp{index}",
        wiring=wiring,
        state=state,
        max_a=rng.choice((16.0, 32.0)),
        measured_a=measured,
        measured_at=now - rng.choice((0.0, 0.5, 3.0, 9.0, 30.0)),
        ev_phases=rng.choice((None, None, 1, 3)),
    )


@settings(max_examples=60)
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(1, 8))
def test_rounds_with_readings_of_any_age_keep_the_fuse(seed: int, count: int) -> None:
    rng = random.Random(seed)
    site = Site(phases=3, fuse_a=rng.uniform(20.0, 100.0), margin_a=2.0)
    balancer = Balancer(BalancerSettings())
    now = 0.0
    meter_at = 0.0
    building = [rng.uniform(0.0, site.fuse_a) for _ in range(3)]
    limits = dict.fromkeys((f"cp{i}" for i in range(count)), 0.0)
    site_measured = tuple(building)
    for _ in range(80):
        now += rng.choice((0.0, 0.3, 1.0, 2.0, 5.0))
        if rng.random() < 0.6:  # a new meter reading, taken a little earlier
            meter_at = max(meter_at, now - rng.choice((0.0, 0.5, 1.0, 4.0)))
            if rng.random() < 0.3:
                building = [
                    max(0.0, value + rng.uniform(-10.0, 10.0)) for value in building
                ]
            drawn = [0.0, 0.0, 0.0]
            for index in range(count):
                for phase in rng.sample(range(3), rng.choice((1, 3))):
                    drawn[phase] += limits[f"cp{index}"]
            site_measured = tuple(b + d for b, d in zip(building, drawn, strict=True))
        chargers = [
            _charger(rng, index, now, limits[f"cp{index}"]) for index in range(count)
        ]
        allocation = balancer.allocate(
            now, site, site_measured, chargers, site_measured_at=meter_at
        )
        for charger in chargers:
            limit = allocation.limits[charger.charger_id].current_a
            assert limit == 0 or charger.min_a - TOLERANCE_A <= limit
            assert limit <= charger.max_a + TOLERANCE_A
            limits[charger.charger_id] = limit
        for phase in range(3):
            room = max(0.0, allocation.available_a[phase])
            assert allocation.allocated_a[phase] <= room + TOLERANCE_A
