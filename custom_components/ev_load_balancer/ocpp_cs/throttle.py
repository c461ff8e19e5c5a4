"""Bounded bookkeeping against floods: log throttles and failure backoffs.

Both are keyed by what a client sends (a charger id, an address), so both
forget their oldest keys beyond a fixed number: a flood of new keys costs a
bounded amount of memory.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
import time

type Clock = Callable[[], float]

_MAX_KEYS = 1024


class LogThrottle:
    """Says yes once per interval per key: one warning per charger and kind."""

    def __init__(
        self,
        interval_s: float,
        *,
        max_keys: int = _MAX_KEYS,
        clock: Clock = time.monotonic,
    ) -> None:
        self._interval_s = interval_s
        self._max_keys = max_keys
        self._clock = clock
        self._last: OrderedDict[Hashable, float] = OrderedDict()

    def ready(self, key: Hashable) -> bool:
        """Whether to log for this key now (then not again for the interval)."""
        now = self._clock()
        last = self._last.get(key)
        if last is not None and now - last < self._interval_s:
            return False
        self._last[key] = now
        self._last.move_to_end(key)
        while len(self._last) > self._max_keys:
            self._last.popitem(last=False)
        return True


@dataclass(slots=True)
class _Failures:
    count: int
    blocked_until: float


class Backoff:
    """After each failure a key is blocked for longer (doubling, up to a cap);
    a success, or a quiet period as long as the cap, forgives it."""

    def __init__(
        self,
        *,
        first_s: float,
        cap_s: float,
        max_keys: int = _MAX_KEYS,
        clock: Clock = time.monotonic,
    ) -> None:
        self._first_s = first_s
        self._cap_s = cap_s
        self._max_keys = max_keys
        self._clock = clock
        self._failures: OrderedDict[Hashable, _Failures] = OrderedDict()

    def blocked_for(self, key: Hashable) -> float:
        """Seconds this key must still wait (0: it may try)."""
        failures = self._failures.get(key)
        if failures is None:
            return 0.0
        now = self._clock()
        if now >= failures.blocked_until + self._cap_s:
            del self._failures[key]
            return 0.0
        return max(0.0, failures.blocked_until - now)

    def failed(self, key: Hashable) -> None:
        """One more failure: block the key."""
        self.blocked_for(key)  # forget an old streak first
        failures = self._failures.pop(key, None)
        count = 1 if failures is None else failures.count + 1
        delay = min(self._cap_s, self._first_s * 2 ** min(count - 1, 32))
        self._failures[key] = _Failures(count, self._clock() + delay)
        while len(self._failures) > self._max_keys:
            self._failures.popitem(last=False)

    def succeeded(self, key: Hashable) -> None:
        """The key is trusted again."""
        self._failures.pop(key, None)
