"""The building's own load per phase over time (everything but the EVs)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
import math


@dataclass(frozen=True, slots=True)
class BaselineEvent:
    """A load of a few seconds to minutes on top of the sampled baseline
    (a kettle, a lift, a compressor's start), exact to the second."""

    start_s: float
    end_s: float
    amps: tuple[float, ...]  # per site phase

    def __post_init__(self) -> None:
        if not self.end_s > self.start_s:
            raise ValueError("a baseline event must end after it starts")
        if not all(math.isfinite(value) and value >= 0 for value in self.amps):
            raise ValueError("baseline event currents must be finite, not negative")


@dataclass(frozen=True, slots=True)
class BaselineSeries:
    """Per-phase current (A) sampled every `step_s`, held until the next sample,
    plus short events on top (exact in time, not averaged into samples).

    `start` is the local wall-clock time of the first sample: simulation time
    0. Past the last sample the last value holds.
    """

    start: datetime
    step_s: float
    values_a: tuple[tuple[float, ...], ...]
    events: tuple[BaselineEvent, ...] = ()
    # The events as a step function: change times and the extra current after.
    _event_times: tuple[float, ...] = field(default=(), init=False, repr=False)
    _event_extra: tuple[tuple[float, ...], ...] = field(
        default=(), init=False, repr=False
    )

    def __post_init__(self) -> None:
        if self.step_s <= 0:
            raise ValueError("baseline step must be positive")
        if not self.values_a:
            raise ValueError("baseline series is empty")
        phases = len(self.values_a[0])
        if phases not in (1, 3):
            raise ValueError(f"baseline has 1 or 3 phases, not {phases}")
        for sample in self.values_a:
            if len(sample) != phases:
                raise ValueError("every baseline sample needs the same phase count")
            if not all(math.isfinite(value) and value >= 0 for value in sample):
                raise ValueError("baseline currents must be finite and not negative")
        if self.events:
            self._overlay_events(phases)

    @property
    def wall_start_s(self) -> float:
        """The wall clock (epoch s) of simulation time 0.

        A naive start (a scenario's) is read as UTC, an aware one (the
        recorder's history) as itself.
        """
        start = self.start
        aware = start if start.tzinfo is not None else start.replace(tzinfo=UTC)
        return aware.timestamp()

    def _overlay_events(self, phases: int) -> None:
        changes: dict[float, list[float]] = {}
        for event in self.events:
            if len(event.amps) != phases:
                raise ValueError("a baseline event needs one current per phase")
            for time_s, sign in ((event.start_s, 1.0), (event.end_s, -1.0)):
                delta = changes.setdefault(time_s, [0.0] * phases)
                for phase, value in enumerate(event.amps):
                    delta[phase] += sign * value
        times = sorted(changes)
        running = [0.0] * phases
        extra: list[tuple[float, ...]] = []
        for time_s in times:
            running = [
                value + delta
                for value, delta in zip(running, changes[time_s], strict=True)
            ]
            # Float noise of additions and removals must not leave -1e-15 A.
            extra.append(tuple(max(0.0, round(value, 9)) for value in running))
        object.__setattr__(self, "_event_times", tuple(times))
        object.__setattr__(self, "_event_extra", tuple(extra))

    @property
    def phases(self) -> int:
        """Number of site phases."""
        return len(self.values_a[0])

    @property
    def duration_s(self) -> float:
        """Time covered by the samples."""
        return len(self.values_a) * self.step_s

    def index_at(self, time_s: float) -> int:
        """Sample index in force at `time_s` (clamped to the series)."""
        index = int(time_s // self.step_s)
        return min(max(index, 0), len(self.values_a) - 1)

    def at(self, time_s: float) -> tuple[float, ...]:
        """Per-phase baseline at `time_s`."""
        sample = self.values_a[self.index_at(time_s)]
        if not self._event_times:
            return sample
        index = bisect_right(self._event_times, time_s) - 1
        if index < 0:
            return sample
        extra = self._event_extra[index]
        return tuple(a + b for a, b in zip(sample, extra, strict=True))

    def next_change_s(self, time_s: float) -> float:
        """When the baseline may change next after `time_s` (inf: never)."""
        index = int(time_s // self.step_s) + 1
        sample_change = math.inf if index >= len(self.values_a) else index * self.step_s
        times = self._event_times
        if times:
            position = bisect_right(times, time_s)
            if position < len(times):
                return min(sample_change, times[position])
        return sample_change

    def peak_a(self) -> tuple[float, ...]:
        """Highest sample per phase (short events left out: they are what the
        fuse margin is for, not what an installer sizes shares on)."""
        return tuple(max(column) for column in zip(*self.values_a, strict=True))

    def mean_a(self, start_s: float, end_s: float) -> tuple[float, ...]:
        """Time-weighted mean per phase over [start_s, end_s)."""
        if end_s <= start_s:
            return self.at(start_s)
        totals = [0.0] * self.phases
        time_s = start_s
        while time_s < end_s:
            until = min(end_s, self.next_change_s(time_s))
            sample = self.at(time_s)
            for phase, value in enumerate(sample):
                totals[phase] += value * (until - time_s)
            time_s = until
        return tuple(total / (end_s - start_s) for total in totals)

    @classmethod
    def from_samples(
        cls,
        start: datetime,
        samples: Iterable[tuple[float, Sequence[float]]],
        *,
        step_s: float = 60.0,
        end_s: float | None = None,
    ) -> BaselineSeries:
        """Resample change-based readings (like a recorder's history).

        `samples` are (seconds since `start`, per-phase current) in time order;
        each value holds until the next one. Each step takes the time-weighted
        mean of what held during it. Steps before the first sample take the
        first value.
        """
        points = sorted(
            ((float(t), tuple(float(v) for v in values)) for t, values in samples),
            key=lambda point: point[0],
        )
        if not points:
            raise ValueError("no baseline samples")
        horizon = points[-1][0] + step_s if end_s is None else end_s
        steps = max(1, math.ceil(horizon / step_s))
        phases = len(points[0][1])
        resampled: list[tuple[float, ...]] = []
        cursor = 0
        current = points[0][1]
        for index in range(steps):
            step_start, step_end = index * step_s, (index + 1) * step_s
            totals = [0.0] * phases
            time_s = step_start
            while cursor < len(points) and points[cursor][0] <= step_start:
                current = points[cursor][1]
                cursor += 1
            while time_s < step_end:
                change = points[cursor][0] if cursor < len(points) else math.inf
                until = min(step_end, change)
                for phase in range(phases):
                    totals[phase] += max(0.0, current[phase]) * (until - time_s)
                time_s = until
                if until == change:
                    current = points[cursor][1]
                    cursor += 1
            resampled.append(tuple(total / step_s for total in totals))
        return cls(start, step_s, tuple(resampled))
