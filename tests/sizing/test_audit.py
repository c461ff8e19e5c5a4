"""The capacity audit: how many chargers of a size fit on a site."""

from __future__ import annotations

import pytest

from custom_components.ev_load_balancer.balancer import Site
from custom_components.ev_load_balancer.sizing import (
    AuditPoint,
    ChargerSize,
    audit_capacity,
    garage,
)

from .helpers import flat_baseline


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
