"""Sessions of the simulated households."""

from __future__ import annotations

from datetime import datetime
from itertools import islice, pairwise

from custom_components.ev_load_balancer.sizing import ChargerSpec
from evlb_sim.live.ev_arrivals import MIN_AWAY_S, household_sessions

TEATIME = datetime.fromisoformat("2026-01-14T16:30")  # local time


def _charger(index: int) -> ChargerSpec:
    return ChargerSpec(charger_id=f"CP{index:03d}", wiring=(0, 1, 2), max_a=16.0)


def test_sessions_follow_each_other_and_repeat_with_the_seed() -> None:
    first = list(islice(household_sessions(_charger(1), TEATIME, seed=3), 20))
    again = list(islice(household_sessions(_charger(1), TEATIME, seed=3), 20))
    assert first == again
    for earlier, later in pairwise(first):
        assert later.arrival_s >= earlier.departure_s + MIN_AWAY_S
        assert later.energy_kwh > 0
    assert len({session.ev_max_a for session in first}) == 1  # one EV per household


def test_about_half_the_garage_is_occupied_at_teatime() -> None:
    starts = [
        next(household_sessions(_charger(index), TEATIME, seed=0)).arrival_s
        for index in range(200)
    ]
    occupied = sum(1 for arrival in starts if arrival <= 60.0)
    assert 70 < occupied < 130


def test_plug_ins_crowd_the_evening_not_the_small_hours() -> None:
    arrivals = [
        (TEATIME.hour * 3600 + TEATIME.minute * 60 + session.arrival_s) % 86400 // 3600
        for index in range(60)
        for session in islice(household_sessions(_charger(index), TEATIME, seed=1), 8)
    ]
    evening = sum(1 for hour in arrivals if 16 <= hour < 21)
    small_hours = sum(1 for hour in arrivals if 1 <= hour < 6)
    assert evening > 4 * small_hours
