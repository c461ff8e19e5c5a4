"""Who plugs in when: an endless stream of EV sessions per charger.

One household per charger, with one EV drawn from the residential fleet. Its
plug-ins follow the hour-of-day and stay/energy distributions of the Trondheim
residential data set (sizing/synthetic.py); some EVs are already plugged in
when the simulation starts, as in a real garage at teatime. Times are
simulated seconds since the clock's origin.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
import math
import random

from custom_components.ev_load_balancer.sizing import (
    RESIDENTIAL_FLEET,
    ChargerSpec,
    EvModel,
    Session,
    deliverable_kwh,
    pick_ev_type,
)
from custom_components.ev_load_balancer.sizing.model import HOUR_S
from custom_components.ev_load_balancer.sizing.synthetic import (
    ARRIVALS_WEEKDAY,
    ARRIVALS_WEEKEND,
    ENERGY_KWH,
    STAY_H,
    period_of_hour,
    quantile_draw,
)

# Share of chargers with an EV at the start, and how much of its stay is left.
PLUGGED_AT_START = 0.5
# A household comes back at least this long after leaving (simulated s).
MIN_AWAY_S = 1800.0
_SHORTEST_STAY_S = 600.0


def household_sessions(
    charger: ChargerSpec,
    origin: datetime,
    *,
    seed: int,
    sessions_per_day: float = 1.0,
    voltage_v: float = 230.0,
    ev_model: EvModel | None = None,
) -> Iterator[Session]:
    """The sessions of the household at `charger`, in time order, forever."""
    rng = random.Random(f"{seed}/{charger.charger_id}")
    ev = pick_ev_type(rng, RESIDENTIAL_FLEET, charger_max_a=charger.max_a)
    phases = 1 if len(charger.wiring) == 1 else ev.phases
    power_kw = phases * min(ev.max_a, charger.max_a) * voltage_v / 1000.0
    model = ev_model or EvModel()
    number = 0

    def session(arrival: float, stay: float, wanted: float) -> Session:
        departure = arrival + max(stay, _SHORTEST_STAY_S)
        energy = min(wanted, deliverable_kwh(power_kw, departure - arrival, model))
        return Session(
            charger_id=charger.charger_id,
            arrival_s=arrival,
            departure_s=departure,
            energy_kwh=max(0.5, math.floor(energy * 100) / 100),
            ev_phases=ev.phases,
            ev_max_a=ev.max_a,
            session_id=f"{charger.charger_id}-{number}",
        )

    free_from = 0.0
    if rng.random() < PLUGGED_AT_START:
        # Came home earlier today: part of an evening stay is left.
        stay = quantile_draw(rng, STAY_H["evening"]) * HOUR_S * rng.uniform(0.3, 1.0)
        wanted = quantile_draw(rng, ENERGY_KWH["evening"]) * rng.uniform(0.5, 1.0)
        first = session(rng.uniform(0.0, 60.0), stay, wanted)
        yield first
        number += 1
        free_from = first.departure_s + MIN_AWAY_S
    while True:
        arrival = _next_arrival(rng, origin, free_from, sessions_per_day)
        period = period_of_hour((origin + timedelta(seconds=arrival)).hour)
        next_session = session(
            arrival,
            quantile_draw(rng, STAY_H[period]) * HOUR_S,
            quantile_draw(rng, ENERGY_KWH[period]),
        )
        yield next_session
        number += 1
        free_from = next_session.departure_s + MIN_AWAY_S


def _next_arrival(
    rng: random.Random, origin: datetime, after_s: float, per_day: float
) -> float:
    """The next plug-in after `after_s`: a Poisson process whose rate follows
    the hour-of-day arrival counts (thinning, hour by hour)."""
    time_s = after_s
    while True:
        when = origin + timedelta(seconds=time_s)
        weights = ARRIVALS_WEEKEND if when.weekday() >= 5 else ARRIVALS_WEEKDAY
        rate_per_s = per_day * weights[when.hour] / sum(weights) / HOUR_S
        hour_end = when.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        left_in_hour = (hour_end - when).total_seconds()
        wait = rng.expovariate(rate_per_s) if rate_per_s > 0 else math.inf
        if wait < left_in_hour:
            return time_s + wait
        time_s += left_in_hour
