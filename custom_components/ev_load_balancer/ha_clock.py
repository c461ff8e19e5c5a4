"""Home Assistant's side of the loop clock (loop/clock.py).

The loop clock is `time.monotonic()`. Meter sources and charger back ends
stamp their readings with wall-clock time (a state's `last_reported`, the
`time.time()` an OCPP message arrived); the host puts each stamp on the loop
clock the first time it sees it, here, and keeps it: a wall clock that steps
back then cannot make an old reading look fresh, nor one that steps forward
make a fresh reading stale for longer than it takes the next one to arrive.
"""

from __future__ import annotations

import time

from homeassistant.util import dt as dt_util

from .loop import RoundTime


def loop_now() -> float:
    """Now on the loop clock."""
    return time.monotonic()


def round_time() -> RoundTime:
    """Now on the loop clock, and the wall clock beside it."""
    return RoundTime(now=loop_now(), wall=dt_util.utcnow().timestamp())


class ReadingStamps:
    """Loop-clock stamps of wall-stamped readings, one per source key."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[float, float]] = {}

    def stamp(self, key: str, wall_ts: float | None) -> float | None:
        """The loop-clock time of a reading stamped `wall_ts` (POSIX seconds)."""
        if wall_ts is None:
            return None
        known = self._seen.get(key)
        if known is not None and known[0] == wall_ts:
            return known[1]
        # A stamp from the future (the wall clock stepped back) is new now.
        age = max(0.0, dt_util.utcnow().timestamp() - wall_ts)
        stamp = loop_now() - age
        self._seen[key] = (wall_ts, stamp)
        return stamp

    def forget(self, key: str) -> None:
        self._seen.pop(key, None)
