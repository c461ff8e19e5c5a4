"""A fuse margin that follows how fast the building's own load rises.

Between a rise of the building's load and the EVs' decrease lie a meter
reading, a round and the EVs' response time: the margin is what covers a rise
in that time. A site with a lift, a heat pump or a kitchen rises by more than
a quiet one. This keeps, per reading, the largest rise of the non-EV current
on any phase over the last `RISE_WINDOW_S`, and over the last day offers a
high quantile of those rises as the margin, never below the configured one
and never above a share of the fuse (a meter gone wild must not take the
whole fuse; absurd readings go to the failsafe anyway).

Kept in memory only: after a restart it starts again from the configured
margin and takes the day's figure back within `MIN_SAMPLES` readings.
"""

from __future__ import annotations

from collections import deque
import math

from ..balancer import Allocation

RISE_WINDOW_S = 10.0
HISTORY_S = 24 * 3600.0
SLOT_S = 3600.0
QUANTILE = 0.99
BIN_A = 0.5
# At most this share of the fuse: what is left must still charge EVs.
MAX_FUSE_SHARE = 0.2
# Readings needed before the rises count (an hour at a 10 s meter).
MIN_SAMPLES = 360


class SpikeMargin:
    """The margin the building's own quick rises call for."""

    def __init__(self) -> None:
        self._recent: deque[tuple[float, tuple[float, ...]]] = deque()
        # Per hour of the last day: (slot start, count of rises per bin).
        self._slots: deque[tuple[float, dict[int, int]]] = deque()
        self._samples = 0
        self._quantile: float | None = None
        self._last_reading_at: float | None = None

    def observe_round(
        self, reading_at: float | None, allocation: Allocation | None
    ) -> None:
        """A round's baseline, once per meter reading it was balanced on."""
        if (
            reading_at is None
            or allocation is None
            or allocation.failsafe
            or reading_at == self._last_reading_at
        ):
            return
        self._last_reading_at = reading_at
        self.observe(reading_at, allocation.baseline_a)

    def observe(self, now: float, baseline_a: tuple[float, ...]) -> None:
        """One trusted reading's non-EV current per phase (loop clock)."""
        if not all(math.isfinite(value) for value in baseline_a):
            return
        recent = self._recent
        if recent and (now < recent[-1][0] or len(recent[-1][1]) != len(baseline_a)):
            recent.clear()  # another clock, another site: start again
        while recent and recent[0][0] < now - RISE_WINDOW_S:
            recent.popleft()
        if recent:
            rise = max(
                value - min(sample[phase] for _, sample in recent)
                for phase, value in enumerate(baseline_a)
            )
            self._count(now, max(0.0, rise))
        recent.append((now, baseline_a))

    def margin_a(self, configured_a: float, fuse_a: float) -> float:
        """The margin to keep: the day's high rise, within its bounds."""
        ceiling = max(configured_a, fuse_a * MAX_FUSE_SHARE)
        return min(ceiling, max(configured_a, self.rise_quantile_a()))

    def rise_quantile_a(self) -> float:
        """The day's `QUANTILE` of rises (0 until enough readings)."""
        if self._samples < MIN_SAMPLES:
            return 0.0
        if self._quantile is None:
            self._quantile = self._quantile_now()
        return self._quantile

    def _quantile_now(self) -> float:
        counts: dict[int, int] = {}
        for _, slot in self._slots:
            for index, count in slot.items():
                counts[index] = counts.get(index, 0) + count
        rank = QUANTILE * self._samples
        seen = 0
        for index in sorted(counts):
            seen += counts[index]
            if seen >= rank:
                return (index + 1) * BIN_A
        return 0.0

    def _count(self, now: float, rise_a: float) -> None:
        slots = self._slots
        start = math.floor(now / SLOT_S) * SLOT_S
        if not slots or slots[-1][0] != start:
            slots.append((start, {}))
        while slots and slots[0][0] <= now - HISTORY_S:
            _, dropped = slots.popleft()
            self._samples -= sum(dropped.values())
        index = int(rise_a // BIN_A)
        slot = slots[-1][1]
        slot[index] = slot.get(index, 0) + 1
        self._samples += 1
        self._quantile = None
