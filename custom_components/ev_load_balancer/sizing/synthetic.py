"""Synthetic residential charging sessions, for sites without session history.

The distributions come from 6,827 sessions in 24 apartment-block garages in
Trondheim, Norway, 2018-2020 (Sorensen, Lindberg, Sartori, Andresen (2021),
"Residential electric vehicle charging datasets from apartment buildings",
Data in Brief 36, 107105; CC BY 4.0): the hour of plug-in on weekdays and at
weekends, and the stay and the energy by the time of plug-in, as 5 % quantiles.
The top 5 % of stays is cut at twice the 95th percentile (the data has week-long
stays that say nothing about a night's load).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
import math
import random

from .fleet import RESIDENTIAL_FLEET, EvType, pick_ev_type
from .model import HOUR_S, ChargerSpec, EvModel, Session, deliverable_kwh

DAY_S = 86400.0

# Sessions starting in each hour 0..23 (counts in the data).
ARRIVALS_WEEKDAY = (
    50, 18, 14, 7, 3, 5, 13, 65, 64, 46, 81, 111,
    114, 159, 249, 589, 813, 409, 411, 528, 478, 362, 288, 147,
)  # fmt: skip
ARRIVALS_WEEKEND = (
    52, 22, 11, 10, 4, 4, 6, 12, 16, 20, 35, 55,
    87, 131, 153, 192, 146, 193, 171, 145, 103, 98, 85, 52,
)  # fmt: skip

# 0th, 5th, ..., 100th percentile, by the hour of plug-in.
STAY_H: dict[str, tuple[float, ...]] = {
    "night": (
        0.13, 2.67, 5.0, 6.65, 7.25, 7.58, 7.85, 8.37, 8.95, 9.43, 9.88,
        10.15, 10.68, 11.17, 11.68, 12.22, 13.02, 13.67, 14.82, 16.82, 33.64,
    ),
    "day": (
        0.02, 0.43, 0.85, 1.3, 1.72, 2.03, 2.4, 2.75, 3.05, 3.35, 3.73,
        4.28, 4.92, 5.72, 7.08, 10.35, 18.0, 20.55, 23.73, 36.27, 72.54,
    ),
    "evening": (
        0.02, 0.72, 1.27, 1.82, 2.45, 3.15, 4.18, 7.58, 9.42, 10.4, 11.18,
        11.88, 12.65, 13.6, 14.57, 15.33, 16.4, 17.97, 20.1, 27.68, 55.36,
    ),
}  # fmt: skip
ENERGY_KWH: dict[str, tuple[float, ...]] = {
    "night": (
        0.21, 2.71, 4.05, 5.42, 7.29, 8.71, 9.92, 11.26, 12.75, 13.7, 14.56,
        15.06, 15.6, 16.56, 17.54, 18.58, 19.86, 23.33, 27.99, 50.81, 79.34,
    ),
    "day": (
        0.01, 1.2, 2.43, 3.0, 3.72, 4.52, 5.3, 5.86, 6.46, 6.92, 7.51,
        8.43, 9.35, 10.71, 12.66, 14.49, 16.6, 19.79, 23.61, 31.3, 64.95,
    ),
    "evening": (
        0.01, 1.84, 2.96, 3.89, 4.63, 5.36, 6.18, 6.89, 7.66, 8.47, 9.38,
        10.49, 11.87, 13.15, 14.66, 16.39, 18.56, 21.85, 26.53, 39.71, 80.86,
    ),
}  # fmt: skip


def period_of_hour(hour: int) -> str:
    """The plug-in period the quantile tables are split by."""
    if hour < 6:
        return "night"
    return "day" if hour < 15 else "evening"


def quantile_draw(rng: random.Random, quantiles: Sequence[float]) -> float:
    """A random value from a table of evenly spaced quantiles (linear between)."""
    position = rng.random() * (len(quantiles) - 1)
    low = int(position)
    high = min(low + 1, len(quantiles) - 1)
    fraction = position - low
    return quantiles[low] + (quantiles[high] - quantiles[low]) * fraction


def residential_sessions(
    chargers: Sequence[ChargerSpec],
    start: datetime,
    end_s: float,
    *,
    sessions_per_day: float = 0.6,
    fleet: Sequence[EvType] = RESIDENTIAL_FLEET,
    voltage_v: float = 230.0,
    ev_model: EvModel | None = None,
    seed: int = 0,
) -> list[Session]:
    """Sessions on every charger from `start` (simulation time 0) to `end_s`.

    Each charger has one household and one EV (drawn from `fleet`). Every day
    it plugs in `sessions_per_day` times on average; a session that would
    start before the previous one ended is dropped. Departures past `end_s`
    are cut to it. Energy is capped at what the EV could take in its stay by
    itself (see `deliverable_kwh`), so that every session can be completed.
    Charger i's sessions depend only on the seed and i, so a larger garage
    replays the smaller one's sessions and adds its own.
    """
    if sessions_per_day < 0:
        raise ValueError("sessions per day must not be negative")
    model = ev_model or EvModel()
    sessions: list[Session] = []
    days = int(end_s // DAY_S) + 1
    for index, charger in enumerate(chargers):
        rng = random.Random(f"{seed}/{index}")
        ev = pick_ev_type(rng, fleet, voltage_v=voltage_v, charger_max_a=charger.max_a)
        phases = 1 if len(charger.wiring) == 1 else ev.phases
        power_kw = phases * min(ev.max_a, charger.max_a) * voltage_v / 1000.0
        free_from = 0.0
        for day in range(days):
            for arrival, stay, wanted in _day_of_plug_ins(
                rng, start, day, sessions_per_day
            ):
                if arrival < free_from or arrival >= end_s:
                    continue
                departure = min(arrival + max(stay, 60.0), end_s)
                energy = min(
                    wanted, deliverable_kwh(power_kw, departure - arrival, model)
                )
                sessions.append(
                    Session(
                        charger_id=charger.charger_id,
                        arrival_s=arrival,
                        departure_s=departure,
                        energy_kwh=math.floor(energy * 1000) / 1000,
                        ev_phases=ev.phases,
                        ev_max_a=ev.max_a,
                        session_id=f"{charger.charger_id}-{len(sessions)}",
                    )
                )
                free_from = departure
    sessions.sort(key=lambda s: s.arrival_s)
    return sessions


def _day_of_plug_ins(
    rng: random.Random, start: datetime, day: int, sessions_per_day: float
) -> list[tuple[float, float, float]]:
    """(arrival s, stay s, energy kWh) of one household's plug-ins on one day."""
    weekend = (start + timedelta(days=day)).weekday() >= 5
    weights = ARRIVALS_WEEKEND if weekend else ARRIVALS_WEEKDAY
    whole = int(sessions_per_day)
    count = whole + (rng.random() < sessions_per_day - whole)
    plug_ins: list[tuple[float, float, float]] = []
    for _ in range(count):
        hour = rng.choices(range(24), weights=weights)[0]
        period = period_of_hour(hour)
        plug_ins.append(
            (
                day * DAY_S + (hour + rng.random()) * HOUR_S,
                quantile_draw(rng, STAY_H[period]) * HOUR_S,
                quantile_draw(rng, ENERGY_KWH[period]),
            )
        )
    return sorted(plug_ins)
