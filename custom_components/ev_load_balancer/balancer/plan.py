"""Departure-aware planning: what each EV needs now so that all can be full on time.

A receding-horizon plan over the EVs whose departure and energy are known.
Time from now is cut into slots; capacity per site phase is the capacity now
(the building's load is taken to stay where it is). Each EV, latest departure
first, is placed as late as it can be: in the last slots before its departure,
at up to its rate, wherever every phase it loads has room left. What lands in
the first slot is what the EV needs *now*: the floor the round gives it. An EV
whose energy does not fit before its departure takes whatever is left in the
slots before it, the first slot included: when not everyone can be full, the
EVs that leave first are served first (earliest deadline first), since the
others can still charge after they have left.

Latest-departure-first, as-late-as-possible is exact for one resource and EVs
that are all present now (every window starts now, so windows are nested):
placing an EV later never takes room from an EV that leaves earlier, so if any
schedule delivers every EV its energy, this one does, and then its first slot
holds no more than needed (tests compare it with a linear program). With three
phases and EVs of one and three phases it is a heuristic of the same kind.

Everything is in amperes per conductor and amp-hours per conductor, so the
plan needs no voltage: energy_kwh * 1000 / (voltage * conductors) = Ah.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
import math

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
    """Place every EV as late as possible, latest departure first.

    `capacity_a`: what the planned EVs may share per site phase, now and (as
    the forecast) for the whole horizon. Departures beyond the horizon are
    treated as at the horizon (the plan is conservative for them).
    """
    if slot_s <= 0:
        raise ValueError("slot length must be positive")
    phases = len(capacity_a)
    last = max((min(ev.departure_s, horizon_s) for ev in evs), default=0.0)
    slots = max(1, math.ceil(last / slot_s))
    slot_h = slot_s / HOUR_S
    # Room left per slot and phase, in Ah.
    room = [[max(0.0, c) * slot_h for c in capacity_a] for _ in range(slots)]
    now_a: dict[str, float] = {}
    short_ah: dict[str, float] = {}
    for ev in sorted(evs, key=lambda e: (-e.departure_s, e.key)):
        needed = max(0.0, ev.energy_ah)
        departure = min(max(0.0, ev.departure_s), horizon_s)
        first_slot_ah = 0.0
        used = [p for p in range(phases) if ev.weights[p]]
        slot = math.ceil(departure / slot_s) - 1
        while needed > _EPSILON_AH and slot >= 0:
            # The slot holding the departure counts only up to it.
            span_h = (min(departure, (slot + 1) * slot_s) - slot * slot_s) / HOUR_S
            take = min(
                needed,
                ev.max_a * span_h,
                *(room[slot][p] / ev.weights[p] for p in used),
            )
            if take > 0:
                for p in used:
                    room[slot][p] -= take * ev.weights[p]
                needed -= take
                if slot == 0:
                    first_slot_ah = take
            slot -= 1
        first_span_h = min(departure, slot_s) / HOUR_S
        now_a[ev.key] = first_slot_ah / first_span_h if first_span_h > 0 else 0.0
        short_ah[ev.key] = needed
    return Plan(now_a=now_a, short_ah=short_ah, slot_s=slot_s)


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
            int, tuple[float, frozenset[tuple[str, float]], float, Plan]
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
    ) -> Plan:
        """The plan for this class now: the cached one if still good."""
        identity = frozenset((ev.key, round(now + ev.departure_s, 0)) for ev in evs)
        total = sum(capacity_a)
        cached = self._plans.get(priority)
        if cached is not None:
            made_at, made_for, made_capacity, plan = cached
            if (
                made_for == identity
                and now - made_at < interval_s
                and abs(total - made_capacity)
                <= capacity_change * max(made_capacity, 1.0)
            ):
                return plan
        plan = plan_charging(evs, capacity_a, slot_s=slot_s, horizon_s=horizon_s)
        self._plans[priority] = (now, identity, total, plan)
        self.plans_made += 1
        return plan

    def forget(self, priorities: Sequence[int]) -> None:
        """Drop the plans of classes that no longer exist."""
        for priority in [p for p in self._plans if p not in priorities]:
            del self._plans[priority]
