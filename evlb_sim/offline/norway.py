"""Real sessions from Norwegian apartment-block garages, mapped onto our chargers.

Each user of the data set is one household with one parking space: the busiest
users of the period get a charger each (user i -> charger i, so wiring follows
the garage's rotation). Each user drives one EV type for the whole period,
drawn from the fleet among the types fast enough for that user's fastest
session (the data's chargers delivered up to 7.4 kW). Data quirks are fixed,
and counted: a session that starts before the same user's previous one ended
cuts the previous one short; energy above what the EV could take in its stay
is capped (taking the EV model's start delay and taper into account);
zero-length sessions are dropped.
"""

from __future__ import annotations

from collections import Counter
import csv
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
import random

from custom_components.ev_load_balancer.sizing import (
    ChargerSpec,
    EvModel,
    EvType,
    Session,
    deliverable_kwh,
    pick_ev_type,
)

NORWAY_CSV = (
    Path(__file__).resolve().parent.parent / "data" / "norway_residential_sessions.csv"
)
HOUR_S = 3600.0


@dataclass(frozen=True, slots=True)
class RecordedSession:
    """One row of the data set."""

    session_id: str
    garage_id: str
    user_id: str
    plug_in: datetime
    plug_out: datetime
    energy_kwh: float


@dataclass(frozen=True, slots=True)
class MappedSessions:
    """Sessions on our chargers, and what had to be fixed to get there."""

    sessions: tuple[Session, ...]
    users: tuple[str, ...]
    notes: tuple[str, ...]


@cache
def load_recorded(path: Path = NORWAY_CSV) -> tuple[RecordedSession, ...]:
    """Every session in a CSV of the Norway data set's format."""
    sessions: list[RecordedSession] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                sessions.append(
                    RecordedSession(
                        session_id=row["session_id"],
                        garage_id=row["garage_id"],
                        user_id=row["user_id"],
                        plug_in=datetime.fromisoformat(row["plugin_local"]),
                        plug_out=datetime.fromisoformat(row["plugout_local"]),
                        energy_kwh=float(row["energy_kwh"]),
                    )
                )
            except (KeyError, ValueError, TypeError) as err:
                raise ValueError(f"{path}:{line}: bad session row ({err})") from err
    return tuple(sessions)


def map_sessions(
    recorded: tuple[RecordedSession, ...],
    chargers: list[ChargerSpec],
    start: datetime,
    end: datetime,
    *,
    fleet: tuple[EvType, ...],
    voltage_v: float,
    ev_model: EvModel,
    seed: int,
    garages: tuple[str, ...] = (),
) -> MappedSessions:
    """Sessions plugged in within [start, end) of the busiest users, one per charger."""
    window = [
        s
        for s in recorded
        if start <= s.plug_in < end and (not garages or s.garage_id in garages)
    ]
    counts = Counter(s.user_id for s in window)
    users = sorted(counts, key=lambda user: (-counts[user], user))[: len(chargers)]
    notes: list[str] = []
    if len(users) < len(chargers):
        notes.append(
            f"only {len(users)} users plugged in during the period: "
            f"{len(chargers) - len(users)} chargers stay empty"
        )
    rng = random.Random(seed)
    dropped = cut = capped = 0
    sessions: list[Session] = []
    for user, charger in zip(users, chargers, strict=False):
        own = sorted((s for s in window if s.user_id == user), key=lambda s: s.plug_in)
        fastest_kw = max(
            (s.energy_kwh / (_stay_s(s) / HOUR_S) for s in own if _stay_s(s) > 0),
            default=0.0,
        )
        ev = pick_ev_type(
            rng,
            fleet,
            min_power_kw=fastest_kw,
            voltage_v=voltage_v,
            charger_max_a=charger.max_a,
        )
        phases = 1 if len(charger.wiring) == 1 else ev.phases
        power_kw = phases * min(ev.max_a, charger.max_a) * voltage_v / 1000.0
        for index, recorded_session in enumerate(own):
            arrival = (recorded_session.plug_in - start).total_seconds()
            departure = (recorded_session.plug_out - start).total_seconds()
            if index + 1 < len(own):
                following = (own[index + 1].plug_in - start).total_seconds()
                if following < departure:
                    departure = following
                    cut += 1
            if departure <= arrival:
                dropped += 1
                continue
            deliverable = deliverable_kwh(power_kw, departure - arrival, ev_model)
            energy = recorded_session.energy_kwh
            if energy > deliverable:
                energy = deliverable
                capped += 1
            sessions.append(
                Session(
                    charger_id=charger.charger_id,
                    arrival_s=arrival,
                    departure_s=departure,
                    energy_kwh=energy,
                    ev_phases=ev.phases,
                    ev_max_a=ev.max_a,
                    session_id=recorded_session.session_id,
                )
            )
    for count, what in (
        (dropped, "zero-length sessions dropped"),
        (cut, "sessions cut short by the same user's next plug-in"),
        (capped, "sessions capped at what the EV could take in its stay"),
    ):
        if count:
            notes.append(f"{count} {what}")
    sessions.sort(key=lambda s: s.arrival_s)
    return MappedSessions(tuple(sessions), tuple(users), tuple(notes))


def _stay_s(session: RecordedSession) -> float:
    return (session.plug_out - session.plug_in).total_seconds()
