"""The site meter in a replay: a reading every period, showing the site a lag late.

A real meter is not an oracle: a P1 reader sends a telegram every 10 s (or
1 s), a Modbus meter is polled every second, and what either shows was true a
moment ago. Between readings the loop knows nothing new about the building.
"""

from __future__ import annotations

import math

from ..meter.base import MeterReading
from .baseline_series import BaselineSeries
from .model import ControlTiming
from .trace import TraceRecorder


class SimulatedMeter:
    """Readings of baseline + EV draw at the site's main feed."""

    def __init__(
        self, baseline: BaselineSeries, timing: ControlTiming, trace: TraceRecorder
    ) -> None:
        self._baseline = baseline
        self._timing = timing
        self._trace = trace
        self._phases = baseline.phases
        self.reading: MeterReading | None = None

    def next_reading_s(self, now: float) -> float:
        """The first reading time after `now`."""
        interval = self._timing.meter_interval_s
        return (math.floor(now / interval + 1e-9) + 1) * interval

    def is_reading_time(self, now: float) -> bool:
        interval = self._timing.meter_interval_s
        return abs(now / interval - round(now / interval)) < 1e-9

    def catch_up(self, now: float) -> None:
        """Take the reading due last by `now` unless it was taken."""
        interval = self._timing.meter_interval_s
        due = math.floor(now / interval + 1e-9) * interval
        reading = self.reading
        if reading is None or reading.received_at < due - 1e-9:
            self.read(due)

    def read(self, now: float) -> MeterReading | None:
        """Take the reading due at `now` (none while the meter is out)."""
        if self._timing.meter_out(now):
            return self.reading
        seen_at = now - self._timing.meter_lag_s
        base = self._baseline.at(seen_at)
        evs = self._trace.at(seen_at, self._phases)
        self.reading = MeterReading(
            current_a=tuple(b + e for b, e in zip(base, evs, strict=True)),
            received_at=now,
        )
        return self.reading
