"""Synthetic workplace sessions: commuters who plug in in the morning and stay
a working day.

Arrival and stay are uniform over the given ranges. The energy wanted comes
from the Norway data set's daytime plug-ins (the 5 % quantiles of sessions
starting 6-15 h, see `sizing/synthetic.py`): a commute's worth, not a full
battery. Energy is capped at what the EV can take in its stay by itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
import math
import random

from custom_components.ev_load_balancer.sizing import (
    ChargerSpec,
    EvModel,
    EvType,
    Session,
    deliverable_kwh,
    pick_ev_type,
)
from custom_components.ev_load_balancer.sizing.synthetic import (
    ENERGY_KWH,
    quantile_draw,
)

from .scenario import WorkplaceSource

HOUR_S = 3600.0
DAY_S = 86400.0


def workplace_sessions(
    source: WorkplaceSource,
    chargers: Sequence[ChargerSpec],
    start: datetime,
    end_s: float,
    *,
    fleet: Sequence[EvType],
    voltage_v: float,
    ev_model: EvModel,
) -> tuple[Session, ...]:
    """Sessions on every charger from `start` (time 0) to `end_s`.

    Each charger has one commuter with one EV (drawn from `fleet`), who comes
    on a working day with probability `per_day` (at weekends too if
    `weekends`). Charger i's sessions depend only on the seed and i.
    """
    sessions: list[Session] = []
    days = math.ceil(end_s / DAY_S)
    for index, charger in enumerate(chargers):
        rng = random.Random(f"workplace/{source.seed}/{index}")
        ev = pick_ev_type(rng, fleet, voltage_v=voltage_v, charger_max_a=charger.max_a)
        phases = 1 if len(charger.wiring) == 1 else ev.phases
        power_kw = phases * min(ev.max_a, charger.max_a) * voltage_v / 1000.0
        for day in range(days):
            weekend = (start + timedelta(days=day)).weekday() >= 5
            # Draw every number every day, so that one day's change of rule
            # (weekends) leaves the other days' sessions as they were.
            comes = rng.random() < source.per_day
            arrival_h = rng.uniform(*source.arrival_h)
            stay_h = rng.uniform(*source.stay_h)
            wanted = quantile_draw(rng, ENERGY_KWH["day"])
            arrival = day * DAY_S + arrival_h * HOUR_S
            if not comes or (weekend and not source.weekends) or arrival >= end_s:
                continue
            stay_s = stay_h * HOUR_S
            energy = min(wanted, deliverable_kwh(power_kw, stay_s, ev_model))
            sessions.append(
                Session(
                    charger_id=charger.charger_id,
                    arrival_s=arrival,
                    departure_s=arrival + stay_s,
                    energy_kwh=math.floor(energy * 1000) / 1000,
                    ev_phases=ev.phases,
                    ev_max_a=ev.max_a,
                    session_id=f"{charger.charger_id}-d{day}",
                )
            )
    sessions.sort(key=lambda s: (s.arrival_s, s.charger_id))
    return tuple(sessions)
