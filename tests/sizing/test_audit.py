"""The capacity audit: how many chargers of a size fit on a site."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from custom_components.ev_load_balancer.balancer import Site
from custom_components.ev_load_balancer.peak import Tariff
from custom_components.ev_load_balancer.sizing import (
    AuditPoint,
    BaselineSeries,
    ChargerSize,
    audit_capacity,
    garage,
)

from .helpers import START, flat_baseline


def evening_peaks(days: int) -> BaselineSeries:
    """A building at 10 A, and 40 A every evening from 17 to 21 h."""
    samples = []
    for minute in range(days * 24 * 60):
        amps = 40.0 if 17 <= (minute // 60) % 24 < 21 else 10.0
        samples.append((amps, amps, amps))
    return BaselineSeries(START, 60.0, tuple(samples))


def test_garage_wiring_rotates_three_phase_and_spreads_single_phase() -> None:
    three = garage(4, ChargerSize(phases=3))
    assert [c.wiring for c in three] == [(0, 1, 2), (1, 2, 0), (2, 0, 1), (0, 1, 2)]
    single = garage(4, ChargerSize(phases=1, max_a=32))
    assert [c.wiring for c in single] == [(0,), (1,), (2,), (0,)]
    assert single[0].max_a == 32


def test_the_answer_is_the_largest_garage_under_the_target() -> None:
    seen: list[AuditPoint] = []
    result = audit_capacity(
        Site(phases=3, fuse_a=40.0, margin_a=2.0),
        flat_baseline(15.0, 3 * 24),
        ChargerSize(max_a=16.0),
        target_unmet_pct=1.0,
        max_chargers=64,
        seed=1,
        progress=seen.append,
    )
    assert [p.chargers for p in result.points] == sorted(p.chargers for p in seen)
    assert 1 <= result.chargers_that_fit < 64
    assert not result.reached_max
    by_count = {point.chargers: point for point in result.points}
    assert by_count[result.chargers_that_fit].unmet_energy_pct < 1.0
    assert by_count[result.chargers_that_fit + 1].unmet_energy_pct >= 1.0
    assert (
        result.unmet_energy_pct == by_count[result.chargers_that_fit].unmet_energy_pct
    )
    assert result.period_days == pytest.approx(3.0)


def test_a_roomy_site_reaches_the_search_limit() -> None:
    result = audit_capacity(
        Site(phases=3, fuse_a=400.0),
        flat_baseline(10.0, 48),
        max_chargers=6,
    )
    assert result.chargers_that_fit == 6
    assert result.reached_max
    assert result.peak is None  # no tariff asked for


def test_the_answer_gives_the_billed_peak_with_and_without_peak_shaving() -> None:
    result = audit_capacity(
        Site(phases=3, fuse_a=80.0, margin_a=3.0),
        evening_peaks(3),
        ChargerSize(max_a=16.0),
        max_chargers=12,
        seed=1,
        tariff=Tariff(window_minutes=60, peaks_counted=1),
    )
    peak = result.peak
    assert peak is not None
    assert (peak.window_minutes, peak.peaks_counted) == (60, 1)
    # The evening's 40 A alone is 27.6 kW; EVs charging then add to it.
    assert peak.fuse_only_kw > 3 * 40.0 * 230.0 / 1000.0
    assert peak.fuse_only_kw <= peak.uncontrolled_kw + 1e-6
    # Peak shaving moves charging out of the evening and still delivers.
    assert peak.peak_shaving_kw < peak.fuse_only_kw - 1.0
    assert peak.reduction_pct > 0
    assert peak.energy_pct_of_fuse_only > 90.0
    assert peak.fuse_only_evs_full_pct == result.points[-1].evs_full_pct


def test_an_aware_start_is_the_same_instant_in_every_clock() -> None:
    naive = flat_baseline(5.0, 24)
    aware = BaselineSeries(
        START.replace(tzinfo=ZoneInfo("Europe/Oslo")), 60.0, naive.values_a
    )
    # 00:00 in Oslo in January is 23:00 UTC the day before.
    assert naive.wall_start_s - aware.wall_start_s == pytest.approx(3600.0)


def test_a_site_full_of_its_own_load_fits_nothing() -> None:
    result = audit_capacity(
        Site(phases=3, fuse_a=25.0, margin_a=2.0), flat_baseline(23.0, 4 * 24)
    )
    assert result.chargers_that_fit == 0
    assert result.unmet_energy_pct == 0.0


def test_bad_audit_arguments_are_refused() -> None:
    site = Site(phases=3, fuse_a=63.0)
    with pytest.raises(ValueError, match="positive target"):
        audit_capacity(site, flat_baseline(0, 48), target_unmet_pct=0)
    with pytest.raises(ValueError, match="at least a day"):
        audit_capacity(site, flat_baseline(0, 12))
    with pytest.raises(ValueError, match="1 or 3 phases"):
        ChargerSize(phases=2)
