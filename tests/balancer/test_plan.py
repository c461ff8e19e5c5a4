"""The departure planner (plan.py) against linear programs on the same intervals.

The program knows what the plan knows: every EV is there from now until its
departure, at up to its rate, within every phase's capacity; time is cut at
the departures. On one resource (every EV on the same single phase) the plan
is exact: it delivers as much as any schedule can, and when every EV can be
full it asks for no more now than the schedule that defers most. With three
phases it is a heuristic; there it must still respect every phase's capacity
and every EV's rate.
"""

from __future__ import annotations

import random

from hypothesis import given, settings, strategies as st
import numpy as np
import pytest
from scipy.optimize import linprog  # type: ignore[import-untyped]

from custom_components.ev_load_balancer.balancer.plan import (
    PlanCache,
    PlanEv,
    plan_charging,
)

SLOT_S = 600.0
HOUR_S = 3600.0


def random_evs(rng: random.Random, count: int, phases: int) -> list[PlanEv]:
    evs = []
    for index in range(count):
        if phases == 1:
            weights: tuple[int, ...] = (1,)
        else:
            kind = rng.randrange(4)
            weights = (
                (1, 1, 1) if kind == 3 else tuple(int(p == kind) for p in range(3))
            )
        departure = rng.uniform(0.2, 10.0) * HOUR_S
        max_a = rng.choice((10.0, 16.0, 32.0))
        energy = rng.uniform(0.0, 1.2) * max_a * departure / HOUR_S
        evs.append(PlanEv(f"ev{index}", weights, energy, departure, max_a))
    return evs


def intervals(evs: list[PlanEv]) -> list[tuple[float, float]]:
    """(start, end) in seconds, cut at the departures (at least one slot)."""
    ends = sorted({max(SLOT_S, ev.departure_s) for ev in evs})
    return list(zip([0.0, *ends[:-1]], ends, strict=True))


def lp(evs: list[PlanEv], capacity: list[float], objective: str) -> tuple[float, float]:
    """Most energy deliverable; or (with every EV full) the least Ah now.

    Returns (delivered Ah per conductor, Ah in the first interval). Energy is
    Ah per conductor times the EV's conductors.
    """
    spans = intervals(evs)
    count = len(spans)
    n = len(evs) * count
    rows, rhs = [], []
    for phase in range(len(capacity)):
        for k, (start, end) in enumerate(spans):
            row = np.zeros(n)
            for e, ev in enumerate(evs):
                row[e * count + k] = ev.weights[phase]
            rows.append(row)
            rhs.append(capacity[phase] * (end - start) / HOUR_S)
    bounds = []
    for ev in evs:
        departure = max(SLOT_S, ev.departure_s)
        bounds.extend(
            (0.0, ev.max_a * (end - start) / HOUR_S if end <= departure else 0.0)
            for start, end in spans
        )
    energy_rows = []
    for e, ev in enumerate(evs):
        row = np.zeros(n)
        row[e * count : (e + 1) * count] = 1.0
        energy_rows.append((row, ev.energy_ah))
    first = np.zeros(n)
    for e in range(len(evs)):
        first[e * count] = 1.0
    if objective == "deliver":
        for row, energy in energy_rows:
            rows.append(row)
            rhs.append(energy)
        conductors = np.repeat([float(sum(ev.weights)) for ev in evs], count)
        result = linprog(
            -conductors, A_ub=np.array(rows), b_ub=np.array(rhs), bounds=bounds
        )
    else:
        result = linprog(
            first,
            A_ub=np.array(rows),
            b_ub=np.array(rhs),
            A_eq=np.array([row for row, _ in energy_rows]),
            b_eq=np.array([energy for _, energy in energy_rows]),
            bounds=bounds,
        )
    assert result.status == 0
    return float(result.x.sum()), float(first @ result.x)


def planned_ah(evs: list[PlanEv], short: dict[str, float]) -> float:
    return sum(ev.energy_ah - short[ev.key] for ev in evs)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(1, 12))
def test_on_one_phase_the_plan_delivers_what_a_linear_program_can(
    seed: int, count: int
) -> None:
    rng = random.Random(seed)
    evs = random_evs(rng, count, phases=1)
    capacity = [rng.uniform(6.0, 60.0)]
    plan = plan_charging(evs, capacity, slot_s=SLOT_S)
    best, _ = lp(evs, capacity, "deliver")
    assert planned_ah(evs, plan.short_ah) == pytest.approx(best, rel=1e-6, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(1, 12))
def test_on_one_phase_a_feasible_plan_asks_for_the_least_now(
    seed: int, count: int
) -> None:
    rng = random.Random(seed)
    evs = random_evs(rng, count, phases=1)
    capacity = [rng.uniform(30.0, 120.0)]
    plan = plan_charging(evs, capacity, slot_s=SLOT_S)
    if not plan.feasible:
        return
    _, least_now_ah = lp(evs, capacity, "defer")
    first_h = intervals(evs)[0][1] / HOUR_S
    planned_now_ah = sum(plan.now_a[ev.key] * first_h for ev in evs)
    assert planned_now_ah == pytest.approx(least_now_ah, rel=1e-6, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(1, 30))
def test_with_three_phases_the_first_slot_fits_every_phase_and_rate(
    seed: int, count: int
) -> None:
    rng = random.Random(seed)
    evs = random_evs(rng, count, phases=3)
    capacity = [rng.uniform(0.0, 80.0) for _ in range(3)]
    plan = plan_charging(evs, capacity, slot_s=SLOT_S)
    for phase in range(3):
        load = sum(ev.weights[phase] * plan.now_a[ev.key] for ev in evs)
        assert load <= capacity[phase] + 1e-6
    for ev in evs:
        assert 0.0 <= plan.now_a[ev.key] <= ev.max_a + 1e-6
        assert plan.short_ah[ev.key] >= -1e-9


def test_the_cache_reuses_a_plan_until_something_changes() -> None:
    cache = PlanCache()
    ev = PlanEv("a", (1,), energy_ah=10.0, departure_s=HOUR_S, max_a=16.0)
    kwargs = {"interval_s": 60.0, "slot_s": SLOT_S, "horizon_s": 86400.0}
    first = cache.plan(0, [ev], [16.0], 0.0, **kwargs)  # type: ignore[arg-type]
    # 10 s later the same EV (departure unchanged on the loop clock): reused.
    later = PlanEv("a", (1,), energy_ah=9.5, departure_s=HOUR_S - 10.0, max_a=16.0)
    assert cache.plan(0, [later], [16.0], 10.0, **kwargs) is first  # type: ignore[arg-type]
    assert cache.plans_made == 1
    # Capacity moving by more than 10 %, a new EV, or a minute: a new plan.
    cache.plan(0, [later], [12.0], 20.0, **kwargs)  # type: ignore[arg-type]
    other = PlanEv("b", (1,), energy_ah=1.0, departure_s=HOUR_S, max_a=16.0)
    cache.plan(0, [later, other], [12.0], 30.0, **kwargs)  # type: ignore[arg-type]
    cache.plan(0, [later, other], [12.0], 100.0, **kwargs)  # type: ignore[arg-type]
    assert cache.plans_made == 4
