"""Sharing that knows what an ampere is worth (value_share.py).

The fairness property, stated for one priority class and one round: every EV
keeps at least max(its minimum, floor_ratio x its max-min fair share), capped
at its ceiling; an EV that loads a free phase never gets less than its fair
share; the current on every phase stays within capacity; and the power
delivered (amperes summed over all phases) never falls below max-min fair
sharing's. Against a linear program: with one phase binding, the exchange
delivers the most power any allocation within those floors can.
"""

from __future__ import annotations

import random

from hypothesis import given, settings, strategies as st
import numpy as np
import pytest
from scipy.optimize import linprog  # type: ignore[import-untyped]

from custom_components.ev_load_balancer.balancer.value_share import value_exchange
from custom_components.ev_load_balancer.balancer.waterfill import (
    FillMember,
    water_fill,
)

TOLERANCE_A = 1e-6
THREE_PHASE = (1, 1, 1)


def random_members(rng: random.Random, count: int) -> list[FillMember]:
    members = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.45:
            weights: tuple[int, ...] = THREE_PHASE
        elif kind < 0.9:
            phase = rng.choice((0, 0, 1, 2))  # single-phase EVs crowd L1
            weights = tuple(1 if p == phase else 0 for p in range(3))
        else:
            weights = (1, 1, 0)
        floor = rng.choice((6.0, 6.0, 8.0))
        members.append(FillMember(weights, floor, rng.uniform(floor, 32.0)))
    return members


def scenario(seed: int, count: int) -> tuple[list[float], list[FillMember]]:
    """Members whose floors fit, and a capacity that binds on some phase."""
    rng = random.Random(seed)
    members = random_members(rng, count)
    floors = [sum(m.floor * m.weights[p] for m in members) for p in range(3)]
    capacity = [f + rng.uniform(0.0, 60.0) for f in floors]
    return capacity, members


def power(members: list[FillMember], allocation: list[float]) -> float:
    return sum(a * sum(m.weights) for m, a in zip(members, allocation, strict=True))


@given(
    seed=st.integers(0, 2**32 - 1),
    count=st.integers(1, 30),
    floor_ratio=st.sampled_from((0.0, 0.25, 0.5, 0.9)),
)
def test_exchange_keeps_capacity_bounds_and_the_fair_floor(
    seed: int, count: int, floor_ratio: float
) -> None:
    capacity, members = scenario(seed, count)
    fair = water_fill(capacity, members)
    shares = value_exchange(capacity, members, fair, floor_ratio)
    for phase in range(3):
        load = sum(m.weights[phase] * a for m, a in zip(members, shares, strict=True))
        assert load <= capacity[phase] + TOLERANCE_A
    for member, fair_a, share in zip(members, fair.allocation, shares, strict=True):
        assert member.floor - TOLERANCE_A <= share <= member.ceiling + TOLERANCE_A
        floor = min(member.ceiling, max(member.floor, floor_ratio * fair_a))
        assert share >= floor - TOLERANCE_A
    assert power(members, shares) >= power(members, fair.allocation) - TOLERANCE_A


@given(seed=st.integers(0, 2**32 - 1), count=st.integers(1, 30))
def test_a_floor_ratio_of_one_is_plain_max_min_fairness(seed: int, count: int) -> None:
    capacity, members = scenario(seed, count)
    fair = water_fill(capacity, members)
    assert value_exchange(capacity, members, fair, 1.0) == fair.allocation


@given(seed=st.integers(0, 2**32 - 1), count=st.integers(1, 30))
def test_an_ev_on_a_free_phase_never_loses(seed: int, count: int) -> None:
    capacity, members = scenario(seed, count)
    fair = water_fill(capacity, members)
    shares = value_exchange(capacity, members, fair, 0.5)
    free = [r > 1e-6 for r in fair.residual]
    for member, fair_a, share in zip(members, fair.allocation, shares, strict=True):
        if any(w and free[p] for p, w in enumerate(member.weights)):
            assert share >= fair_a - TOLERANCE_A


@settings(max_examples=60)
@given(
    seed=st.integers(0, 2**32 - 1),
    single=st.integers(1, 12),
    three=st.integers(1, 8),
    floor_ratio=st.sampled_from((0.0, 0.5)),
)
def test_with_one_phase_binding_no_allocation_within_the_floors_delivers_more(
    seed: int, single: int, three: int, floor_ratio: float
) -> None:
    """Single-phase EVs on L1, three-phase EVs on all phases, L1 binding."""
    rng = random.Random(seed)
    members = [
        FillMember((1, 0, 0), 6.0, rng.uniform(6.0, 32.0)) for _ in range(single)
    ] + [FillMember(THREE_PHASE, 6.0, rng.uniform(6.0, 16.0)) for _ in range(three)]
    l1 = 6.0 * (single + three) + rng.uniform(0.0, 40.0)
    capacity = [l1, l1 + 60.0, l1 + 60.0]
    fair = water_fill(capacity, members)
    shares = value_exchange(capacity, members, fair, floor_ratio)
    # The program: the same capacity; the confined EVs' fair floors, the
    # bridging EVs never below their fair share; maximise power.
    lower = []
    for member, fair_a in zip(members, fair.allocation, strict=True):
        bridging = member.weights == THREE_PHASE and fair.residual[1] > 1e-6
        lower.append(fair_a if bridging else max(member.floor, floor_ratio * fair_a))
    best = linprog(
        -np.array([sum(m.weights) for m in members], dtype=float),
        A_ub=np.array([[m.weights[p] for m in members] for p in range(3)], float),
        b_ub=np.array(capacity),
        bounds=[(low, m.ceiling) for low, m in zip(lower, members, strict=True)],
        method="highs",
    )
    assert best.status == 0
    assert power(members, shares) == pytest.approx(-best.fun, abs=1e-6)


def test_three_phase_evs_take_the_binding_phase_from_a_single_phase_ev() -> None:
    """28 A left per phase; a single-phase EV on L2 beside two three-phase EVs.

    Max-min fair: 9.33 A each (L2 full, L1 and L3 a third empty). The exchange
    gives the single-phase EV its minimum (half its share is below 6 A) and
    the three-phase EVs the rest of L2: 11 A each, 72 phase-amperes, not 65.
    """
    capacity = [28.0, 28.0, 28.0]
    members = [
        FillMember(THREE_PHASE, 6.0, 32.0),
        FillMember((0, 1, 0), 6.0, 32.0),
        FillMember(THREE_PHASE, 6.0, 32.0),
    ]
    fair = water_fill(capacity, members)
    assert fair.allocation == pytest.approx([28 / 3] * 3)
    shares = value_exchange(capacity, members, fair, 0.5)
    assert shares == pytest.approx([11.0, 6.0, 11.0])
