"""The departure strategy's link to the planner: candidates in, currents out.

An EV with a departure and energy still wanted becomes a `PlanEv`; the plan
(plan.py) says what it needs now so that every planned EV can be full on time,
and the round gives it at least that current (least laxity first, as far as
the capacity of the moment allows: a decrease never waits for a plan).

The plan is cautious, because a late plan cannot be repaired: it sees only
`plan_capacity_share` of the class's capacity (the building's load moves) and
plans every EV at `plan_rate_share` of its maximum (the last kWh taper).
"""

from __future__ import annotations

from collections.abc import Sequence

from .candidate import Candidate
from .model import BalancerSettings, Site
from .plan import PlanCache, PlanEv
from .value_share import site_conductors as _conductors

# Plans below this current (A) count as "not needed now".
_NEEDED_A = 0.05


def planned_currents(
    candidates: Sequence[Candidate],
    capacity_a: Sequence[float],
    *,
    site: Site,
    settings: BalancerSettings,
    now: float,
    cache: PlanCache,
    priority: int,
    fuses: Sequence[tuple[int, int]] = (),
) -> dict[str, float]:
    """What each candidate with a departure needs now, per conductor (A).

    `fuses`: the dimensions of each fuse of a circuit tree (see PlanCache).
    """
    evs: list[PlanEv] = []
    for candidate in candidates:
        charger = candidate.charger
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
                max_a=charger.max_a * settings.plan_rate_share,
                conductors=_conductors(candidate.load_phases) if fuses else None,
            )
        )
    if not evs:
        return {}
    share = settings.plan_capacity_share
    plan = cache.plan(
        priority,
        evs,
        [share * value for value in capacity_a],
        now,
        interval_s=settings.plan_interval_s,
        slot_s=settings.plan_slot_s,
        horizon_s=settings.plan_horizon_s,
        fuses=fuses,
    )
    return {key: value for key, value in plan.now_a.items() if value > _NEEDED_A}
