"""Departure-aware planning: what each EV needs now so that all can be full on time.

A receding-horizon plan over the EVs whose departure and energy are known.
Time from now is cut at the departures; capacity per site phase is the
capacity now (the building's load is taken to stay where it is). The plan
fills the intervals backwards, from the last departure to now. In each
interval, every EV still there shares the room by the level rule: the EVs
with the most hours still to do at their rate go first, evened out (on one
resource this delivers as much as any schedule and leaves the least for now;
tests compare it with a linear program). Then the exchange that knows what an
ampere is worth (value_share.exchange) moves current on a binding phase to EVs that
also load a free one. What lands in the first interval is what the EV needs
*now*: the floor the round gives it. An EV whose energy does not fit keeps a
shortfall; since later intervals are filled first, the EVs that leave first
get what is left now. With three phases the plan is a heuristic.

Everything is in amperes per conductor and amp-hours per conductor, so the
plan needs no voltage: energy_kwh * 1000 / (voltage * conductors) = Ah.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
import math

from .value_share import exchange
from .waterfill import FillMember, water_fill

HOUR_S = 3600.0
# Below this (Ah) an EV counts as planned in full: float noise.
_EPSILON_AH = 1e-9


@dataclass(frozen=True, slots=True)
class PlanEv:
    """One EV as the planner sees it."""

    key: str
    # Conductors per site phase the EV loads.
    weights: tuple[int, ...]
    # Still wanted, per conductor (Ah).
    energy_ah: float
    # Seconds from now until it leaves.
    departure_s: float
    # The most it takes, per conductor (A).
    max_a: float
    # Site conductors it loads (0: bridged) when `weights` also cover the
    # fuses of circuits; None: counted from `weights`.
    conductors: int | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """The outcome of one planning."""

    # Mean current each EV needs over the first slot (A per conductor).
    now_a: dict[str, float]
    # Energy that does not fit before the departures, per EV (Ah).
    short_ah: dict[str, float]
    slot_s: float

    @property
    def feasible(self) -> bool:
        """Whether every planned EV can be full by its departure."""
        return not any(value > _EPSILON_AH for value in self.short_ah.values())


def plan_charging(
    evs: Sequence[PlanEv],
    capacity_a: Sequence[float],
    *,
    slot_s: float = 300.0,
    horizon_s: float = 24 * HOUR_S,
) -> Plan:
    """Fill the time before the departures from the last interval back to now.

    `capacity_a`: what the planned EVs may share per site phase, now and (as
    the forecast) for the whole horizon. Departures beyond the horizon are
    treated as at the horizon (the plan is conservative for them). `slot_s`
    is the shortest interval the plan distinguishes.
    """
    if slot_s <= 0:
        raise ValueError("slot length must be positive")
    phases = len(capacity_a)
    departures = {ev.key: _departure(ev, slot_s, horizon_s) for ev in evs}
    ends = sorted(set(departures.values()))
    remaining = {ev.key: max(0.0, ev.energy_ah) for ev in evs}
    now_a = dict.fromkeys(remaining, 0.0)
    for index in range(len(ends) - 1, -1, -1):
        start = ends[index - 1] if index else 0.0
        length_h = (ends[index] - start) / HOUR_S
        if length_h <= 0:
            continue
        present = [
            ev
            for ev in evs
            if departures[ev.key] >= ends[index] and remaining[ev.key] > _EPSILON_AH
        ]
        if not present:
            continue
        room = [max(0.0, c) for c in capacity_a]
        currents = _interval_fill(
            present,
            remaining,
            room,
            length_h=length_h,
            before_h=start / HOUR_S,
            phases=phases,
        )
        for ev, current in zip(present, currents, strict=True):
            remaining[ev.key] = max(0.0, remaining[ev.key] - current * length_h)
            if index == 0:
                now_a[ev.key] = current
    return Plan(now_a=now_a, short_ah=remaining, slot_s=slot_s)


def _interval_fill(
    present: Sequence[PlanEv],
    remaining: dict[str, float],
    room: list[float],
    *,
    length_h: float,
    before_h: float,
    phases: int,
) -> list[float]:
    """Currents (A) for one interval of the backward pass.

    The level rule, read backwards in time: the interval goes to the EVs with
    the most still to do in hours at their rate, evening those hours out
    (an EV that needs many hours at a low rate is served before one that
    could catch up quickly), which keeps as many EVs able to use the earlier,
    more crowded intervals as possible. On one phase this is exact. Then the
    exchange that knows what an ampere is worth moves current on a binding
    phase to the EVs that also load a free one, down to what the others
    cannot get before the interval even at their rate.
    """
    weights = [_weights(ev, phases) for ev in present]
    rates = [max(ev.max_a, 1e-9) for ev in present]
    hours = [remaining[ev.key] / rate for ev, rate in zip(present, rates, strict=True)]
    top = max(hours)
    # In hours at the EV's rate: start at top - hours, rise with the level by
    # at most the interval (or what is left); an hour at rate r loads r / L
    # amperes on each phase the EV loads.
    members: list[FillMember] = []
    capacity = list(room)
    for weight, rate, hour in zip(weights, rates, hours, strict=True):
        floor = top - hour
        scaled = tuple(w * rate / length_h for w in weight)
        members.append(FillMember(scaled, floor, floor + min(hour, length_h)))
        for phase, value in enumerate(scaled):
            capacity[phase] += value * floor
    level = water_fill(capacity, members)
    currents = [
        (value - member.floor) * rate / length_h
        for value, member, rate in zip(level.allocation, members, rates, strict=True)
    ]
    # Nobody gives below what it cannot get before this interval even at its
    # rate: the exchange moves only current the EV can make up earlier.
    keep = [
        min(current, max(0.0, remaining[ev.key] - rate * before_h) / length_h)
        for current, ev, rate in zip(currents, present, rates, strict=True)
    ]
    ceilings = [
        max(current, min(rate, remaining[ev.key] / length_h))
        for current, ev, rate in zip(currents, present, rates, strict=True)
    ]
    counted = [ev.conductors for ev in present if ev.conductors is not None]
    return exchange(
        currents,
        weights,
        keep=keep,
        ceilings=ceilings,
        slack=level.residual,
        conductors=counted if len(counted) == len(present) else None,
    )


def _departure(ev: PlanEv, slot_s: float, horizon_s: float) -> float:
    """Seconds to departure, at least one slot and at most the horizon."""
    return min(max(slot_s, ev.departure_s), horizon_s)


def _weights(ev: PlanEv, phases: int) -> tuple[int, ...]:
    return tuple(ev.weights[:phases])


class PlanCache:
    """The latest plan per priority class, re-made only when it may be stale.

    A plan is re-made when the planned EVs change (one arrives, leaves, or is
    given a new departure), when the capacity it was made for moved by more
    than `capacity_change` (relative), and at least every `interval_s`. In
    between, the round reuses it: the round itself always works on the
    capacity of the moment, so a decrease never waits for a plan.
    """

    def __init__(self) -> None:
        self._plans: dict[
            int, tuple[float, frozenset[tuple[str, float]], tuple[float, ...], Plan]
        ] = {}
        self.plans_made = 0

    def plan(
        self,
        priority: int,
        evs: Sequence[PlanEv],
        capacity_a: Sequence[float],
        now: float,
        *,
        interval_s: float,
        slot_s: float,
        horizon_s: float,
        capacity_change: float = 0.1,
        fuses: Sequence[tuple[int, int]] = (),
    ) -> Plan:
        """The plan for this class now: the cached one if still good.

        `fuses`: the (start, end) dimensions of each fuse when the capacity
        covers a circuit tree; the capacity of each fuse (summed over its
        phases) is watched on its own. Empty: one fuse, every dimension.
        """
        identity = frozenset((ev.key, round(now + ev.departure_s, 0)) for ev in evs)
        totals = (
            tuple(sum(capacity_a[start:end]) for start, end in fuses)
            if fuses
            else (sum(capacity_a),)
        )
        cached = self._plans.get(priority)
        if cached is not None:
            made_at, made_for, made_capacity, plan = cached
            if (
                made_for == identity
                and now - made_at < interval_s
                and all(
                    abs(total - made) <= capacity_change * max(made, 1.0)
                    for total, made in zip(totals, made_capacity, strict=True)
                )
            ):
                return plan
        plan = plan_charging(evs, capacity_a, slot_s=slot_s, horizon_s=horizon_s)
        self._plans[priority] = (now, identity, totals, plan)
        self.plans_made += 1
        return plan

    def next_replan_s(self, interval_s: float) -> float:
        """When the oldest plan gets too old to reuse (inf: no plan)."""
        return min(
            (made_at + interval_s for made_at, _, _, _ in self._plans.values()),
            default=math.inf,
        )

    def forget(self, priorities: Sequence[int]) -> None:
        """Drop the plans of classes that no longer exist."""
        for priority in [p for p in self._plans if p not in priorities]:
            del self._plans[priority]
