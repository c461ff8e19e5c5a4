"""The gG fuse curve and the melting-damage sum."""

from __future__ import annotations

from itertools import pairwise
import math

import pytest

from custom_components.ev_load_balancer.sizing import GgFuseCurve, worst_damage
from custom_components.ev_load_balancer.sizing.fuse_curve import FuseDamage


def test_63a_curve_passes_through_the_iec_gates() -> None:
    curve = GgFuseCurve.for_rating(63.0)
    assert curve.melting_time_s(160.0) == pytest.approx(10.0)
    assert curve.melting_time_s(450.0) == pytest.approx(0.1)
    assert curve.melting_time_s(1.25 * 63.0 + 1e-9) == pytest.approx(3600.0)


def test_a_fuse_never_melts_at_or_below_its_non_fusing_current() -> None:
    curve = GgFuseCurve.for_rating(100.0)
    assert curve.melting_time_s(100.0) == math.inf
    assert curve.melting_time_s(125.0) == math.inf


def test_more_current_melts_sooner() -> None:
    curve = GgFuseCurve.for_rating(63.0)
    times = [curve.melting_time_s(current) for current in range(80, 2000, 10)]
    assert all(later < earlier for earlier, later in pairwise(times))


def test_beyond_the_last_gate_i2t_is_constant() -> None:
    curve = GgFuseCurve.for_rating(63.0)
    assert 900.0**2 * curve.melting_time_s(900.0) == pytest.approx(450.0**2 * 0.1)


def test_other_ratings_scale_from_the_nearest_standard_one() -> None:
    curve = GgFuseCurve.for_rating(70.0)
    assert curve.melting_time_s(160.0 * 70 / 63) == pytest.approx(10.0)
    assert curve.points[0][1] == 7200.0  # above 63 A the conventional time is 2 h


def test_damage_adds_fractions_of_the_melting_time() -> None:
    curve = GgFuseCurve.for_rating(63.0)
    assert worst_damage(curve, [(160.0, 5.0)]) == pytest.approx(0.5)
    assert worst_damage(curve, [(160.0, 5.0), (450.0, 0.05)]) == pytest.approx(1.0)


def test_damage_restarts_once_the_current_is_back_under_the_rating() -> None:
    curve = GgFuseCurve.for_rating(63.0)
    damage = FuseDamage(curve)
    damage.add(160.0, 6.0)
    damage.add(60.0, 1.0)
    damage.add(160.0, 6.0)
    assert damage.worst == pytest.approx(0.6)
    assert not damage.melted
    damage.add(160.0, 5.0)
    assert damage.melted


def test_an_overload_below_inf_never_adds_damage() -> None:
    curve = GgFuseCurve.for_rating(63.0)
    assert worst_damage(curve, [(75.0, 1e6)]) == 0.0
