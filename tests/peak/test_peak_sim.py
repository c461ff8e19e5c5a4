"""Peak shaving through the shared loop, against fuse-only and the hindsight minimum."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from custom_components.ev_load_balancer.balancer import Site
from custom_components.ev_load_balancer.peak import Tariff
from custom_components.ev_load_balancer.sizing import (
    BalancerController,
    BaselineSeries,
    ChargerSpec,
    Session,
    SimulationResult,
    session_stats,
    simulate,
)
from custom_components.ev_load_balancer.sizing.peak_strategy import PeakStrategy
from custom_components.ev_load_balancer.sizing.tariff_metrics import (
    billed_by_month_kw,
    window_averages_kw,
)
from evlb_sim.offline.peak_optimum import hindsight_peak_minimum
from evlb_sim.offline.peak_run import load_peak_scenario
from evlb_sim.offline.scenario_loader import ScenarioError

START = datetime(2020, 1, 6)  # noqa: DTZ001 - the simulator's naive local time
HOUR = 3600.0
SITE = Site(phases=3, fuse_a=63.0, margin_a=3.0)
TARIFF = Tariff(window_minutes=60)
CHARGERS = [
    ChargerSpec(charger_id=f"cp{i}", wiring=(0, 1, 2), max_a=16.0) for i in range(2)
]
# Two EVs plug in at 18:00 and stay the night, 15 kWh each.
SESSIONS = [
    Session(
        charger_id=f"cp{i}",
        arrival_s=18 * HOUR,
        departure_s=30 * HOUR,
        energy_kwh=15.0,
        ev_max_a=16.0,
    )
    for i in range(2)
]


def baseline(start: datetime, hours: int) -> BaselineSeries:
    """20 A per phase 17:00-21:00, 5 A otherwise, by the minute."""
    samples = []
    for minute in range(hours * 60):
        hour = (start + timedelta(minutes=minute)).hour
        samples.append((20.0 if 17 <= hour < 21 else 5.0,) * 3)
    return BaselineSeries(start, 60.0, tuple(samples))


def billed(result: SimulationResult) -> float:
    averages = window_averages_kw(
        TARIFF,
        result.baseline,
        result.ev_trace,
        start_s=result.start_s,
        end_s=result.end_s,
        volts=SITE.voltage_v,
    )
    return billed_by_month_kw(TARIFF, averages)[(2020, 1)]


def run(controller: BalancerController) -> SimulationResult:
    return simulate(
        SITE, baseline(START, 40), CHARGERS, SESSIONS, controller=controller
    )


def test_peak_shaving_moves_the_charging_into_the_night() -> None:
    fuse_only = run(BalancerController())
    strategy = PeakStrategy(TARIFF, SITE, CHARGERS)
    history_start = START - timedelta(days=2)
    strategy.seed_forecast(
        baseline(history_start, 48), history_start.replace(tzinfo=UTC).timestamp()
    )
    peak = run(strategy)
    # Fuse-only charges both EVs at once in the evening peak: 13.8 kW of
    # building and 22 kW of EVs for most of an hour.
    assert billed(fuse_only) > 30.0
    # Peak shaving waits for the night, where 3.5 kW of building leaves room.
    assert billed(peak) < 16.0
    assert session_stats(peak.outcomes).energy_delivered_kwh == pytest.approx(
        30.0, rel=0.01
    )
    decision = strategy.controller.last
    assert decision is not None
    assert decision.target_kw is not None
    # The minimum knows everything and spreads the 30 kWh over 12 h.
    minimum = hindsight_peak_minimum(
        TARIFF,
        SITE,
        baseline(START, 40),
        CHARGERS,
        SESSIONS,
        required_kwh={0: 15.0, 1: 15.0},
    )
    assert minimum.shortfall_kwh == pytest.approx(0.0, abs=1e-6)
    assert minimum.delivered_kwh == pytest.approx(30.0, rel=1e-6)
    assert minimum.billed_kw <= billed(peak) + 1e-6
    assert minimum.billed_kw == pytest.approx(13.8, abs=0.1)


def test_without_history_peak_shaving_is_fuse_only() -> None:
    fuse_only = run(BalancerController())
    peak = run(PeakStrategy(TARIFF, SITE, CHARGERS))
    assert billed(peak) == pytest.approx(billed(fuse_only), rel=0.01)


def test_the_minimum_counts_windows_by_their_hour_weight() -> None:
    # Evening and night at half weight: the 13.8 kW evening bills as 6.9 kW,
    # and the EVs fit into the half-weight night under it.
    weighted = Tariff(
        window_minutes=60, day_start_hour=0, day_end_hour=17, night_weight=0.5
    )
    minimum = hindsight_peak_minimum(
        weighted,
        SITE,
        baseline(START, 40),
        CHARGERS,
        SESSIONS,
        required_kwh={0: 15.0, 1: 15.0},
    )
    assert minimum.shortfall_kwh == pytest.approx(0.0, abs=1e-6)
    assert minimum.billed_kw == pytest.approx(6.9, abs=0.1)


def test_a_scenario_tariff_with_day_hours_the_wrong_way_is_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "tariff: {windows: [60], day_start_hour: 22, day_end_hour: 6}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match="day hours"):
        load_peak_scenario(str(path))
