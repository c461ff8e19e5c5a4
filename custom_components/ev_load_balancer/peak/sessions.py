"""When an EV leaves and how much it takes, learned per charger.

Each finished session leaves its stay and the energy it took. For a new
session the estimate comes from the charger's sessions that started at a
similar hour (else all of its sessions, else the site's), read on the safe
side: a short stay (low quantile) and a large energy (high quantile), so a
plan made on it would rather finish early than leave an EV short.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from .forecast import quantile

SESSIONS_KEPT = 30
# Sessions needed before an estimate is trusted.
MIN_SESSIONS = 3
STAY_QUANTILE = 0.15
ENERGY_QUANTILE = 0.75
# Arrivals within this many hours of the day count as similar.
SIMILAR_HOURS = 3
# Past every stay (or energy) seen: this much more is expected.
OVERSTAY_S = 2 * 3600.0
TOP_UP_KWH = 2.0
# Before anything is learnt: a short night and a large charge.
DEFAULT_STAY_S = 8 * 3600.0
DEFAULT_ENERGY_KWH = 20.0


@dataclass(frozen=True, slots=True)
class PastSession:
    arrival_hour: int
    stay_s: float
    energy_kwh: float


@dataclass(frozen=True, slots=True)
class Expectation:
    stay_s: float
    energy_kwh: float
    learned: bool


@dataclass(slots=True)
class SessionLearner:
    """Finished sessions per charger, and the estimate for a new one."""

    history: dict[str, deque[PastSession]] = field(default_factory=dict)

    def record(self, charger_id: str, session: PastSession) -> None:
        kept = self.history.setdefault(charger_id, deque(maxlen=SESSIONS_KEPT))
        kept.append(session)

    def expect(
        self,
        charger_id: str,
        arrival_hour: int,
        elapsed_s: float = 0.0,
        delivered_kwh: float = 0.0,
    ) -> Expectation:
        """The stay and energy to plan a session on this charger with.

        Given how long it has been plugged in and what it took so far: among
        past sessions that lasted longer and took more (a session that
        outlives its estimate is one of the long ones).
        """
        own = list(self.history.get(charger_id, ()))
        similar = [
            s
            for s in own
            if _hours_apart(s.arrival_hour, arrival_hour) <= SIMILAR_HOURS
        ]
        pool = next(
            (
                sessions
                for sessions in (
                    similar,
                    own,
                    [s for kept in self.history.values() for s in kept],
                )
                if len(sessions) >= MIN_SESSIONS
            ),
            None,
        )
        if pool is None:
            return Expectation(
                max(DEFAULT_STAY_S, elapsed_s + OVERSTAY_S),
                max(DEFAULT_ENERGY_KWH, delivered_kwh + TOP_UP_KWH),
                learned=False,
            )
        longer = [s.stay_s for s in pool if s.stay_s > elapsed_s]
        larger = [s.energy_kwh for s in pool if s.energy_kwh > delivered_kwh]
        return Expectation(
            quantile(longer, STAY_QUANTILE) if longer else elapsed_s + OVERSTAY_S,
            (
                quantile(larger, ENERGY_QUANTILE)
                if larger
                else delivered_kwh + TOP_UP_KWH
            ),
            learned=True,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            charger_id: [[s.arrival_hour, s.stay_s, s.energy_kwh] for s in kept]
            for charger_id, kept in self.history.items()
        }

    def restore(self, data: dict[str, Any]) -> None:
        try:
            history = {
                str(charger_id): deque(
                    (PastSession(int(h), float(s), float(e)) for h, s, e in rows),
                    maxlen=SESSIONS_KEPT,
                )
                for charger_id, rows in data.items()
            }
        except (TypeError, ValueError):
            return
        self.history = history


def _hours_apart(a: int, b: int) -> int:
    diff = abs(a - b) % 24
    return min(diff, 24 - diff)
