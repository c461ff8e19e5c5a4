"""The hindsight optimum on cases small enough to solve by hand."""

from __future__ import annotations

from datetime import datetime

import pytest

from custom_components.ev_load_balancer.balancer import Site
from custom_components.ev_load_balancer.sizing import (
    BaselineSeries,
    ChargerSpec,
    EvModel,
    Session,
)
from evlb_sim.offline.optimum import hindsight_optimum
from evlb_sim.offline.optimum.windows import independent_windows, slot_cover

HOUR = 3600.0
NO_TAPER = EvModel(taper_kwh=0.0)
CHARGERS = [ChargerSpec(charger_id=f"cp{i}", wiring=(0, 1, 2)) for i in range(3)]


def baseline(amps: float, hours: int = 24) -> BaselineSeries:
    return BaselineSeries(
        datetime.fromisoformat("2024-01-08T00:00"), 60.0, ((amps,) * 3,) * (hours * 60)
    )


def session(charger: int, arrive_h: float, leave_h: float, kwh: float) -> Session:
    return Session(
        charger_id=f"cp{charger}",
        arrival_s=arrive_h * HOUR,
        departure_s=leave_h * HOUR,
        energy_kwh=kwh,
    )


def test_an_ev_alone_gets_everything_it_wants() -> None:
    result = hindsight_optimum(
        Site(phases=3, fuse_a=63.0), baseline(10), CHARGERS, [session(0, 1, 5, 20.0)],
        ev_model=NO_TAPER,
    )  # fmt: skip
    assert result.outcomes[0].delivered_kwh == pytest.approx(20.0)


def test_the_ev_leaving_first_is_served_first() -> None:
    """10 A for EVs (3 phases x 230 V = 6.9 kW): one hour for the EV that
    leaves at 2 h, the rest for the one that stays."""
    site = Site(phases=3, fuse_a=30.0, margin_a=0.0)
    sessions = [session(0, 1, 2, 6.9), session(1, 1, 5, 30.0)]
    result = hindsight_optimum(
        site, baseline(20), CHARGERS, sessions, ev_model=NO_TAPER
    )
    short, long_ = result.outcomes
    assert short.delivered_kwh == pytest.approx(6.9, rel=1e-6)
    assert long_.delivered_kwh == pytest.approx(6.9 * 3, rel=1e-6)


def test_the_fuse_caps_the_sum_per_slot() -> None:
    site = Site(phases=3, fuse_a=30.0, margin_a=2.0)
    sessions = [session(i, 0, 1, 100.0) for i in range(3)]
    result = hindsight_optimum(
        site, baseline(10), CHARGERS, sessions, ev_model=NO_TAPER
    )
    total = sum(o.delivered_kwh for o in result.outcomes)
    assert total == pytest.approx(18 * 3 * 230 / 1000, rel=1e-6)
    assert max(max(row) for row in result.ev_trace.currents_a) <= 18 + 1e-6


def test_a_taper_costs_the_optimum_energy_too() -> None:
    site = Site(phases=3, fuse_a=100.0)
    one = [session(0, 0, 0.5, 5.52)]  # exactly 30 minutes at 3 x 16 A
    flat = hindsight_optimum(site, baseline(0), CHARGERS, one, ev_model=NO_TAPER)
    tapered = hindsight_optimum(
        site, baseline(0), CHARGERS, one, ev_model=EvModel(taper_kwh=2.0), slot_s=300
    )
    assert flat.outcomes[0].delivered_kwh == pytest.approx(5.52)
    assert tapered.outcomes[0].delivered_kwh < 5.52 - 0.1


def test_sessions_split_into_independent_windows() -> None:
    sessions = [session(0, 1, 3, 5), session(1, 2, 4, 5), session(2, 6, 8, 5)]
    covers = [slot_cover(s, CHARGERS[0], 900.0) for s in sessions]
    windows = independent_windows(covers)
    assert [[c.session for c in w] for w in windows] == [sessions[:2], sessions[2:]]
    cover = slot_cover(session(0, 1.1, 1.6, 1), CHARGERS[0], 900.0)
    assert cover.first_slot == 4
    assert cover.fractions == pytest.approx((0.6, 1.0, 0.4))
