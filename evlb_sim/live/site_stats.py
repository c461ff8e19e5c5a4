"""What the simulated site's main feed saw: peaks per phase, time over the fuse."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LoadWindow:
    """The load of one stretch of wall time."""

    seconds: float
    peak_a: tuple[float, ...]
    over_fuse_s: float  # wall seconds with some phase above the fuse


class LoadStats:
    """Per-phase peaks and time above the fuse, per window and since the start."""

    def __init__(self, fuse_a: float, phases: int = 3) -> None:
        self.fuse_a = fuse_a
        self._phases = phases
        self._window = self._empty()
        self._total = self._empty()

    def _empty(self) -> list[float]:
        # seconds, over-fuse seconds, then one peak per phase
        return [0.0, 0.0] + [0.0] * self._phases

    def record(self, currents: tuple[float, ...], seconds: float) -> None:
        """The feed carried `currents` for the last `seconds` of wall time."""
        over = seconds if max(currents) > self.fuse_a else 0.0
        for stats in (self._window, self._total):
            stats[0] += seconds
            stats[1] += over
            for phase, current in enumerate(currents):
                stats[2 + phase] = max(stats[2 + phase], current)

    def take_window(self) -> LoadWindow:
        """The window since the last call; a new one starts."""
        window, self._window = self._window, self._empty()
        return _as_window(window)

    @property
    def total(self) -> LoadWindow:
        """Everything since the start."""
        return _as_window(self._total)


def _as_window(stats: list[float]) -> LoadWindow:
    return LoadWindow(seconds=stats[0], over_fuse_s=stats[1], peak_a=tuple(stats[2:]))
