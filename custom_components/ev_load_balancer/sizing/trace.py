"""Piecewise-constant per-phase currents, and walking them alongside the baseline."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
import math

from .baseline_series import BaselineSeries


@dataclass(frozen=True, slots=True)
class PhaseTrace:
    """Per-phase current that holds from each time until the next (A).

    Before the first time and after `end_s` the current is 0.
    """

    times_s: tuple[float, ...]
    currents_a: tuple[tuple[float, ...], ...]
    end_s: float

    def __post_init__(self) -> None:
        if len(self.times_s) != len(self.currents_a):
            raise ValueError("one current sample per time")
        if any(b < a for a, b in zip(self.times_s, self.times_s[1:], strict=False)):
            raise ValueError("trace times must not go back")


class TraceRecorder:
    """Collects a PhaseTrace as the simulation runs."""

    __slots__ = ("_currents", "_times")

    def __init__(self) -> None:
        self._times: list[float] = []
        self._currents: list[tuple[float, ...]] = []

    def record(self, time_s: float, currents_a: tuple[float, ...]) -> None:
        """The current from `time_s` on; a record at the same time replaces."""
        times, currents = self._times, self._currents
        if times and times[-1] == time_s:
            currents[-1] = currents_a
            if len(currents) > 1 and currents[-2] == currents_a:
                times.pop()
                currents.pop()
            return
        if currents and currents[-1] == currents_a:
            return
        times.append(time_s)
        currents.append(currents_a)

    def at(self, time_s: float, phases: int) -> tuple[float, ...]:
        """The current recorded as holding at `time_s` (0 before the first)."""
        index = bisect_right(self._times, time_s) - 1
        return self._currents[index] if index >= 0 else (0.0,) * phases

    def finish(self, end_s: float) -> PhaseTrace:
        """The trace recorded so far, ending at `end_s`."""
        return PhaseTrace(tuple(self._times), tuple(self._currents), end_s)


@dataclass(frozen=True, slots=True)
class SitePiece:
    """An interval where both baseline and EV current are constant."""

    start_s: float
    end_s: float
    baseline_a: tuple[float, ...]
    ev_a: tuple[float, ...]

    @property
    def duration_s(self) -> float:
        """Length of the interval."""
        return self.end_s - self.start_s


def site_pieces(
    baseline: BaselineSeries, trace: PhaseTrace, start_s: float, end_s: float
) -> Iterator[SitePiece]:
    """Walk [start_s, end_s) in pieces where baseline and EV current are constant."""
    zero = (0.0,) * baseline.phases
    times, currents = trace.times_s, trace.currents_a
    index = 0
    # Position on the first trace sample in force at start_s.
    while index < len(times) and times[index] <= start_s:
        index += 1
    time_s = start_s
    while time_s < end_s:
        ev = currents[index - 1] if index > 0 and time_s < trace.end_s else zero
        next_trace = times[index] if index < len(times) else math.inf
        if time_s < trace.end_s:
            next_trace = min(next_trace, trace.end_s)
        until = min(end_s, baseline.next_change_s(time_s), next_trace)
        yield SitePiece(time_s, until, baseline.at(time_s), ev)
        time_s = until
        while index < len(times) and times[index] <= time_s:
            index += 1
