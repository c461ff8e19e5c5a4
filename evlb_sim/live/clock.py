"""The simulation clock: wall time, sped up, from a chosen moment of the day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
import time


class SimClock:
    """Simulated seconds since `origin`, running `speed` times faster than
    the wall clock from the moment the clock is made.
    """

    def __init__(
        self,
        origin: datetime,
        speed: float = 1.0,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if speed <= 0:
            raise ValueError("the speed-up must be positive")
        self.origin = origin
        self.speed = speed
        self._monotonic = monotonic
        self._started = monotonic()

    def wall_s(self) -> float:
        """Wall seconds since the clock started."""
        return self._monotonic() - self._started

    def now_s(self) -> float:
        """Simulated seconds since `origin`."""
        return self.wall_s() * self.speed

    def at(self, sim_s: float) -> datetime:
        """The simulated date and time of `sim_s`."""
        return self.origin + timedelta(seconds=sim_s)
