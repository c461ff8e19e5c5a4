"""Max-min fair sharing of per-phase capacity: progressive filling.

Every member is raised together along one water level L: a member holds
clamp(L, floor, ceiling). A phase that runs full freezes every member that loads
it; a member that reaches its ceiling freezes by itself. The result is max-min
fair: nobody can get more without taking from someone who has no more.

Members may load several phases with integer weights (a 3-phase charger loads
three phases with weight 1; a charger whose conductors are bridged onto one phase
loads it with weight 3). Weights may also be fractional: the departure planner
fills in "hours at full rate", where an EV's weight is its rate. Sorting the
breakpoints makes it O(n log n); each of the at most three phase saturations
costs one pass over that phase's members.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
import math

# Below this a residual is treated as empty (A); keeps float noise out of decisions.
EPSILON_A = 1e-9
BY_CEILING = -1
_LOADED: dict[tuple[float, ...], tuple[tuple[int, float], ...]] = {}
_CACHE_LIMIT = 4096


@dataclass(slots=True)
class FillMember:
    """One charger in a filling: its weight per site phase and its bounds."""

    weights: tuple[float, ...]
    floor: float
    ceiling: float


@dataclass(slots=True)
class FillResult:
    """Allocation per member, and what stopped each one."""

    allocation: list[float]
    # Phase that froze the member, or BY_CEILING when its ceiling did.
    stopped_by: list[int]
    residual: list[float]


def water_fill(capacity: Sequence[float], members: Sequence[FillMember]) -> FillResult:
    """Share `capacity` (per phase) among `members`, max-min fair.

    Every member's floor must already fit: sum of weight x floor <= capacity on
    every phase (admission guarantees it).
    """
    phases = len(capacity)
    count = len(members)
    floors = [m.floor for m in members]
    ceilings = [m.ceiling for m in members]
    # Only the phases a member loads, in phase order (the same sums as a
    # pass over every phase: a circuit tree has many phases, each member
    # loads few).
    weights = [_loaded(m.weights) for m in members]
    allocation = floors[:]
    stopped_by = [BY_CEILING] * count
    frozen = [False] * count
    rising = [False] * count

    residual = list(capacity)
    members_on: list[list[int]] = [[] for _ in range(phases)]
    for index, member_weights in enumerate(weights):
        floor = floors[index]
        for phase, weight in member_weights:
            residual[phase] -= weight * floor
            members_on[phase].append(index)
    # Phases nobody loads never saturate: they are left out of the search.
    used = [phase for phase in range(phases) if members_on[phase]]
    if any(value < -1e-6 for value in residual):
        raise ValueError(f"floors exceed capacity: residual {residual}")

    starts = sorted(range(count), key=floors.__getitem__)
    stops = sorted(range(count), key=ceilings.__getitem__)
    next_start = next_stop = 0
    slope = [0.0] * phases
    level = 0.0
    remaining = count

    while remaining:
        start_at = floors[starts[next_start]] if next_start < count else math.inf
        stop_at = ceilings[stops[next_stop]] if next_stop < count else math.inf
        breakpoint_at = min(start_at, stop_at)

        saturating_phase = -1
        saturation_at = math.inf
        for phase in used:
            if slope[phase] > 1e-12:  # float weights leave noise
                at = level + max(0.0, residual[phase]) / slope[phase]
                if at < saturation_at:
                    saturation_at = at
                    saturating_phase = phase

        if saturating_phase >= 0 and saturation_at <= breakpoint_at:
            _advance(residual, slope, used, saturation_at - level)
            level = saturation_at
            residual[saturating_phase] = 0.0
            for index in members_on[saturating_phase]:
                if frozen[index]:
                    continue
                frozen[index] = True
                remaining -= 1
                stopped_by[index] = saturating_phase
                allocation[index] = min(ceilings[index], max(floors[index], level))
                if rising[index]:
                    rising[index] = False
                    _add(slope, weights[index], -1)
            # Everyone on it is frozen: exactly 0 (fractional weights leave noise).
            slope[saturating_phase] = 0.0
            continue

        _advance(residual, slope, used, breakpoint_at - level)
        level = breakpoint_at
        while next_start < count and floors[starts[next_start]] <= level:
            index = starts[next_start]
            next_start += 1
            if not frozen[index]:
                rising[index] = True
                _add(slope, weights[index], 1)
        while next_stop < count and ceilings[stops[next_stop]] <= level:
            index = stops[next_stop]
            next_stop += 1
            if frozen[index]:
                continue
            frozen[index] = True
            remaining -= 1
            allocation[index] = ceilings[index]
            if rising[index]:
                rising[index] = False
                _add(slope, weights[index], -1)

    return FillResult(allocation, stopped_by, [max(0.0, r) for r in residual])


def _advance(
    residual: list[float], slope: list[float], used: list[int], delta: float
) -> None:
    if delta > 0:
        for phase in used:
            rate = slope[phase]
            if rate:
                residual[phase] -= rate * delta


def _add(
    slope: list[float], member_weights: tuple[tuple[int, float], ...], sign: int
) -> None:
    for phase, weight in member_weights:
        slope[phase] += sign * weight


def _loaded(weights: tuple[float, ...]) -> tuple[tuple[int, float], ...]:
    """(phase, weight) of every phase with a weight, in phase order."""
    loaded = _LOADED.get(weights)
    if loaded is None:
        loaded = tuple((phase, w) for phase, w in enumerate(weights) if w)
        if len(_LOADED) >= _CACHE_LIMIT:
            _LOADED.clear()
        _LOADED[weights] = loaded
    return loaded
