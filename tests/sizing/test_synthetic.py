"""Synthetic residential sessions and EV fleets."""

from __future__ import annotations

import random

import pytest

from custom_components.ev_load_balancer.balancer import Site
from custom_components.ev_load_balancer.sizing import (
    RESIDENTIAL_FLEET,
    EvModel,
    EvType,
    UnlimitedController,
    deliverable_kwh,
    pick_ev_type,
    residential_sessions,
    simulate,
)
from custom_components.ev_load_balancer.sizing.synthetic import quantile_draw

from .helpers import START, flat_baseline, rotated_chargers

DAY = 86400.0


def test_sessions_are_reproducible_and_nested_across_garage_sizes() -> None:
    small = residential_sessions(rotated_chargers(5), START, 14 * DAY, seed=3)
    again = residential_sessions(rotated_chargers(5), START, 14 * DAY, seed=3)
    large = residential_sessions(rotated_chargers(9), START, 14 * DAY, seed=3)
    assert small == again
    key = [(s.charger_id, s.arrival_s, s.energy_kwh) for s in small]
    assert key == [
        (s.charger_id, s.arrival_s, s.energy_kwh)
        for s in large
        if s.charger_id in {f"cp{i}" for i in range(5)}
    ]
    assert residential_sessions(rotated_chargers(5), START, 14 * DAY, seed=4) != small


def test_sessions_fit_the_period_do_not_overlap_and_can_be_delivered() -> None:
    chargers = rotated_chargers(30, max_a=16.0)
    sessions = residential_sessions(chargers, START, 7 * DAY, sessions_per_day=0.8)
    assert sessions
    last_departure: dict[str, float] = {}
    for session in sorted(sessions, key=lambda s: s.arrival_s):
        assert 0 <= session.arrival_s < session.departure_s <= 7 * DAY
        assert session.arrival_s >= last_departure.get(session.charger_id, 0.0)
        last_departure[session.charger_id] = session.departure_s
        phases = session.ev_phases
        power_kw = phases * min(session.ev_max_a, 16.0) * 230 / 1000
        assert session.energy_kwh <= deliverable_kwh(
            power_kw, session.stay_s, EvModel()
        )


def test_every_synthetic_session_can_be_completed_without_a_fuse() -> None:
    chargers = rotated_chargers(15)
    sessions = residential_sessions(chargers, START, 4 * DAY, seed=2)
    result = simulate(
        Site(phases=3, fuse_a=1000.0),
        flat_baseline(0.0, 5 * 24),
        chargers,
        sessions,
        controller=UnlimitedController(),
    )
    assert all(outcome.full for outcome in result.outcomes)


def test_evenings_dominate_the_plug_ins() -> None:
    sessions = residential_sessions(rotated_chargers(40), START, 14 * DAY, seed=1)
    evening = sum(1 for s in sessions if 15 <= (s.arrival_s % DAY) / 3600 < 22)
    assert evening / len(sessions) > 0.5


def test_more_sessions_per_day_give_more_sessions() -> None:
    chargers = rotated_chargers(20)
    few = residential_sessions(chargers, START, 14 * DAY, sessions_per_day=0.3)
    many = residential_sessions(chargers, START, 14 * DAY, sessions_per_day=0.9)
    assert len(many) > 1.5 * len(few)


def test_quantile_draws_stay_within_the_table() -> None:
    rng = random.Random(0)
    table = (1.0, 2.0, 4.0)
    draws = [quantile_draw(rng, table) for _ in range(1000)]
    assert min(draws) >= 1.0
    assert max(draws) <= 4.0
    assert sum(1 for d in draws if d < 2.0) == pytest.approx(500, abs=60)


def test_a_fast_enough_ev_type_is_picked_when_needed() -> None:
    rng = random.Random(0)
    picks = {pick_ev_type(rng, RESIDENTIAL_FLEET, min_power_kw=5.0) for _ in range(200)}
    assert all(ev.power_kw(230, 32) >= 5.0 for ev in picks)
    slow_only = (EvType(phases=1, max_a=10.0, share=1.0),)
    assert pick_ev_type(rng, slow_only, min_power_kw=50.0) == slow_only[0]
