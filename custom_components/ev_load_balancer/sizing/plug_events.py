"""Arrivals and departures of a replay, in the order the replay handles them."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from .model import Session

ARRIVAL, DEPARTURE = 1, 0  # departures first, so a charger frees up in time


def plug_events(
    sessions: Sequence[Session], index_of: dict[str, int]
) -> list[tuple[float, int, int, int, Session]]:
    """Arrivals and departures in time order; sessions must not overlap per charger."""
    by_charger: dict[int, list[Session]] = {}
    for session in sessions:
        if session.charger_id not in index_of:
            raise ValueError(f"session on unknown charger {session.charger_id!r}")
        by_charger.setdefault(index_of[session.charger_id], []).append(session)
    events: list[tuple[float, int, int, int, Session]] = []
    order = 0
    for charger_index, charger_sessions in by_charger.items():
        charger_sessions.sort(key=lambda s: s.arrival_s)
        for before, after in pairwise(charger_sessions):
            if after.arrival_s < before.departure_s:
                raise ValueError(
                    f"sessions overlap on charger {after.charger_id!r} at "
                    f"{after.arrival_s:.0f} s"
                )
        for session in charger_sessions:
            order += 1
            events.append((session.arrival_s, ARRIVAL, order, charger_index, session))
            events.append(
                (session.departure_s, DEPARTURE, order, charger_index, session)
            )
    events.sort(key=lambda event: (event[0], event[1], event[2]))
    return events
