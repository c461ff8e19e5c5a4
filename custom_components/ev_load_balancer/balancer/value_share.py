"""Sharing that knows what an ampere is worth.

When a phase binds and another does not, an ampere on the binding phase brings
an EV that also draws on the free phases more energy than one that draws on the
binding phase alone: a three-phase EV turns it into three amperes' worth of
power, a single-phase EV into one. Equal amperes on the bottleneck (max-min
fair sharing) then leave the free phases idle.

`value_exchange` starts from the max-min fair allocation and moves current on
the binding phases from the EVs that load only binding phases ("confined") to
those that also load a free one ("bridging"), until the bridging EVs reach
their ceilings, the free phases fill up, or the confined EVs reach their fair
floor. The fair floor is the new fairness property:

    every EV keeps at least max(its minimum, floor_ratio x its max-min fair
    share), capped at its ceiling; nobody loses anything unless a bridging EV
    gains at least as much on the same phase; and among EVs of the same kind
    (bridging or confined) the outcome is max-min fair.

Total current over all phases (the power delivered) never decreases: every
ampere moved on a binding phase is one ampere more on at least one free phase.
With floor_ratio = 1 the exchange changes nothing: plain max-min fairness.
"""

from __future__ import annotations

from collections.abc import Sequence

from .waterfill import BY_CEILING, EPSILON_A, FillMember, FillResult, water_fill

# A phase counts as binding when less than this is left on it (A).
BINDING_A = 1e-6


def value_exchange(
    capacity: Sequence[float],
    members: Sequence[FillMember],
    fair: FillResult,
    floor_ratio: float,
) -> list[float]:
    """The allocation after the exchange (a copy of `fair.allocation` if none)."""
    allocation = list(fair.allocation)
    if floor_ratio >= 1.0 or not members:
        return allocation
    phases = len(capacity)
    loaded = [False] * phases
    for member in members:
        for phase, weight in enumerate(member.weights):
            if weight:
                loaded[phase] = True
    binding = [loaded[p] and fair.residual[p] <= BINDING_A for p in range(phases)]
    free = [fair.residual[p] > BINDING_A for p in range(phases)]
    if not any(binding) or not any(free):
        return allocation
    bridging: list[int] = []
    confined: list[int] = []
    for index, member in enumerate(members):
        on_binding = any(w and binding[p] for p, w in enumerate(member.weights))
        on_free = any(w and free[p] for p, w in enumerate(member.weights))
        if on_binding and on_free and fair.stopped_by[index] != BY_CEILING:
            bridging.append(index)
        elif on_binding and not on_free:
            confined.append(index)
    if not bridging or not confined:
        return allocation
    fair_floor = {
        index: max(members[index].floor, floor_ratio * allocation[index])
        for index in confined
    }
    # What the bridging EVs may fill: everything on a binding phase above the
    # confined EVs' floors, and on every phase what the others leave.
    room = list(capacity)
    moving = set(bridging)
    for index, member in enumerate(members):
        if index in moving:
            continue
        keep = fair_floor.get(index, allocation[index])
        for phase, weight in enumerate(member.weights):
            if weight:
                room[phase] -= weight * keep
    grown = water_fill(
        [max(0.0, value) for value in room],
        [
            FillMember(members[i].weights, allocation[i], members[i].ceiling)
            for i in bridging
        ],
    )
    for index, value in zip(bridging, grown.allocation, strict=True):
        allocation[index] = value
    # The confined EVs share what is left, never above their fair share.
    left = list(capacity)
    waiting = set(confined)
    for index, member in enumerate(members):
        if index in waiting:
            continue
        for phase, weight in enumerate(member.weights):
            if weight:
                left[phase] -= weight * allocation[index]
    shrunk = water_fill(
        [max(0.0, value + EPSILON_A) for value in left],
        [
            FillMember(members[i].weights, fair_floor[i], allocation[i])
            for i in confined
        ],
    )
    for index, value in zip(confined, shrunk.allocation, strict=True):
        allocation[index] = value
    return allocation
