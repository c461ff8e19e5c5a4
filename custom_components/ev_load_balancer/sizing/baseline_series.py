"""The building's own load per phase over time (everything but the EVs)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
import math


@dataclass(frozen=True, slots=True)
class BaselineSeries:
    """Per-phase current (A) sampled every `step_s`, held until the next sample.

    `start` is the local wall-clock time of the first sample: simulation time
    0. Past the last sample the last value holds.
    """

    start: datetime
    step_s: float
    values_a: tuple[tuple[float, ...], ...]

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
        return self.values_a[self.index_at(time_s)]

    def next_change_s(self, time_s: float) -> float:
        """Start of the sample after the one in force at `time_s` (inf at the end)."""
        index = int(time_s // self.step_s) + 1
        if index >= len(self.values_a):
            return math.inf
        return index * self.step_s

    def peak_a(self) -> tuple[float, ...]:
        """Highest value per phase."""
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
