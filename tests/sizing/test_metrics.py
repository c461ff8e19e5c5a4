"""Metrics: Jain's index, session figures, and the fuse figures from a trace."""

from __future__ import annotations

from datetime import datetime

import pytest

from custom_components.ev_load_balancer.balancer import Site
from custom_components.ev_load_balancer.sizing import (
    BaselineSeries,
    PhaseTrace,
    Session,
    SessionOutcome,
    jain_index,
    session_stats,
    site_stats,
)


def outcome(wanted: float, delivered: float, switches: int = 0) -> SessionOutcome:
    session = Session(
        charger_id="cp", arrival_s=0.0, departure_s=3600.0, energy_kwh=wanted
    )
    return SessionOutcome(session, delivered, None, switches)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1.0, 1.0, 1.0, 1.0], 1.0),
        ([1.0, 0.0, 0.0, 0.0], 0.25),
        ([1.0, 0.5], 0.9),
        ([], 1.0),
        ([0.0, 0.0], 1.0),
    ],
)
def test_jain_index(values: list[float], expected: float) -> None:
    assert jain_index(values) == pytest.approx(expected)


def test_session_stats() -> None:
    stats = session_stats([outcome(10, 10, 2), outcome(10, 5, 0), outcome(0, 0, 1)])
    assert stats.energy_wanted_kwh == 20
    assert stats.energy_delivered_pct == pytest.approx(75.0)
    assert stats.evs_full_pct == pytest.approx(200 / 3)
    assert stats.jain_index == pytest.approx(0.9)  # the empty session is left out
    assert stats.switches_per_ev == pytest.approx(1.0)
    assert stats.max_switches == 2


def test_no_switch_count_for_a_strategy_without_rounds() -> None:
    stats = session_stats([outcome(10, 10)], count_switches=False)
    assert stats.switches_per_ev is None
    assert stats.max_switches is None


def test_site_stats_from_baseline_and_ev_current() -> None:
    site = Site(phases=3, fuse_a=63.0, margin_a=3.0)
    # 09:30 start: the hour boundary falls 30 minutes in.
    baseline = BaselineSeries(
        datetime.fromisoformat("2024-01-08T09:30"), 60.0, ((10.0, 10.0, 10.0),) * 120
    )
    trace = PhaseTrace(
        (0.0, 600.0, 610.0, 1800.0),
        ((40.0, 40.0, 40.0), (60.0, 40.0, 40.0), (20.0, 20.0, 20.0), (0.0, 0.0, 0.0)),
        end_s=7200.0,
    )
    stats = site_stats(site, baseline, trace, 0.0, 7200.0)
    assert stats.overload_s == pytest.approx(10.0)
    assert stats.peak_ratio == pytest.approx(70.0 / 63.0)
    assert stats.fuse_stress_pct == 0.0  # 70 A is below 1.25 x 63 A
    ev_kwh = (600 * 120 + 10 * 140 + 1190 * 60) * 230 / 3.6e6
    assert stats.ev_energy_kwh == pytest.approx(ev_kwh)
    # 09:30-10:00 holds most EV energy; the hour 09:00-10:00 averages it.
    first_hour_kwh = ev_kwh + 30 * 10 * 3 * 230 / 60 / 1000
    assert stats.peak_hourly_kw == pytest.approx(first_hour_kwh)


def test_a_melting_overload_shows_as_stress_above_100() -> None:
    site = Site(phases=3, fuse_a=63.0)
    baseline = BaselineSeries(
        datetime.fromisoformat("2024-01-08T00:00"), 60.0, ((0.0, 0.0, 0.0),) * 10
    )
    trace = PhaseTrace((0.0,), ((200.0, 0.0, 0.0),), end_s=60.0)
    stats = site_stats(site, baseline, trace, 0.0, 60.0)
    assert stats.fuse_stress_pct > 100.0
    assert stats.fuse_melts
