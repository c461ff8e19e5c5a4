"""The departure strategy's link to the planner: candidates in, urgency out.

An EV with a departure and energy still wanted becomes a `PlanEv`; the plan
(plan.py) says what it needs now, and it gets at least that current. When not
every EV gets its minimum, they are admitted least laxity first (the time an
EV may still wait and be full at its rate; it falls for a waiting EV and holds
for one that charges at its rate, so turns come by themselves). The rest of
the capacity is shared as without departures.

The plan is deliberately cautious, because a late plan cannot be repaired:
it sees only part of the capacity (`plan_capacity_share`), it takes an EV
whose own maximum is unknown to take no more than `plan_ev_max_a` (many EVs
charge at 16 A even on a 32 A charger), and it plans every EV at
`plan_rate_share` of that (the last kWh taper).
"""

from __future__ import annotations

from collections.abc import Sequence

from .candidate import Candidate
from .model import BalancerSettings, Site
from .plan import HOUR_S, PlanCache, PlanEv

# Plans below this current (A) count as "not needed now".
_NEEDED_A = 0.05


def ev_rate_a(candidate: Candidate, settings: BalancerSettings) -> float:
    """The most the planner expects this EV to take, per conductor (A)."""
    charger = candidate.charger
    known = charger.ev_max_a
    if known is None:
        known = max(settings.plan_ev_max_a, candidate.memory.peak_draw_a)
    return min(charger.max_a, known) * settings.plan_rate_share


def planned_evs(
    candidates: Sequence[Candidate],
    capacity_a: Sequence[float],
    *,
    site: Site,
    settings: BalancerSettings,
    now: float,
    cache: PlanCache,
    priority: int,
) -> None:
    """Set `urgency_s` (laxity) and `plan_a` on the candidates with a departure."""
    evs: list[PlanEv] = []
    by_key: dict[str, Candidate] = {}
    for candidate in candidates:
        charger = candidate.charger
        candidate.urgency_s = float("inf")
        candidate.plan_a = 0.0
        if charger.departure is None or not charger.energy_wanted_kwh:
            continue
        conductors = max(1, len(candidate.load_phases))
        evs.append(
            PlanEv(
                key=charger.charger_id,
                weights=candidate.weights,
                energy_ah=charger.energy_wanted_kwh
                * 1000.0
                / (site.voltage_v * conductors),
                departure_s=charger.departure - now,
                max_a=ev_rate_a(candidate, settings),
            )
        )
        by_key[charger.charger_id] = candidate
    if not evs:
        return
    share = settings.plan_capacity_share
    plan = cache.plan(
        priority,
        evs,
        [share * value for value in capacity_a],
        now,
        interval_s=settings.plan_interval_s,
        slot_s=settings.plan_slot_s,
        horizon_s=settings.plan_horizon_s,
    )
    for ev in evs:
        # Laxity: how long the EV may still wait and be full at its rate.
        by_key[ev.key].urgency_s = ev.departure_s - ev.energy_ah / ev.max_a * HOUR_S
    for key, needed_a in plan.now_a.items():
        if needed_a > _NEEDED_A and key in by_key:
            by_key[key].plan_a = needed_a
