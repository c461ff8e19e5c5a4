"""The current window's average, its projection, and the month's daily peaks.

Fed with the site's power (kW) at each round, held until the next sample:
the energy of the open window so far (its mean power, unweighted), and per
local day of the month the highest billed window average (weighted by the
tariff's hour weights). A gap longer than a window (a restart) integrates
nothing: the missing time counts as unknown, not as the last value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .tariff import Tariff


@dataclass(slots=True)
class WindowTracker:
    """Window averages of one site under one tariff."""

    tariff: Tariff
    window_start_s: float | None = None
    energy_kwh: float = 0.0
    covered_s: float = 0.0
    last_s: float | None = None
    last_kw: float = 0.0
    month: tuple[int, int] | None = None
    daily_peaks_kw: dict[date, float] = field(default_factory=dict)
    # Set when a closed window raised the month's billed figure.
    new_peak: bool = False

    def add(self, wall_s: float, power_kw: float) -> None:
        """The site draws `power_kw` from `wall_s` on."""
        self.new_peak = False
        window = self.tariff.window_s
        last = self.last_s
        if last is not None and wall_s > last and wall_s - last <= window:
            time_s = last
            while time_s < wall_s:
                start = self.tariff.window_start(time_s)
                if start != self.window_start_s:
                    self._close()
                    self.window_start_s = start
                until = min(wall_s, start + window)
                self.energy_kwh += self.last_kw * (until - time_s) / 3600.0
                self.covered_s += until - time_s
                time_s = until
        start = self.tariff.window_start(wall_s)
        if start != self.window_start_s:
            self._close()
            self.window_start_s = start
        self._roll_month(wall_s)
        self.last_s, self.last_kw = wall_s, power_kw

    def _close(self) -> None:
        start = self.window_start_s
        if start is not None and self.covered_s > 0:
            # The window's billed average: its mean power, weighted by its hour.
            average = (
                self.energy_kwh * 3600.0 / self.tariff.window_s
            ) * self.tariff.weight(start)
            if self.tariff.month(start) == self.month:
                before = self.tariff.billed_kw(self.daily_peaks_kw)
                day = self.tariff.day(start)
                if average > self.daily_peaks_kw.get(day, 0.0):
                    self.daily_peaks_kw[day] = average
                self.new_peak = self.tariff.billed_kw(self.daily_peaks_kw) > before
        self.energy_kwh = 0.0
        self.covered_s = 0.0

    def _roll_month(self, wall_s: float) -> None:
        month = self.tariff.month(wall_s)
        if month != self.month:
            self.month = month
            self.daily_peaks_kw = {}

    def elapsed_s(self, wall_s: float) -> float:
        start = self.window_start_s
        return 0.0 if start is None else max(0.0, wall_s - start)

    def energy_so_far_kwh(self, wall_s: float) -> float:
        """Energy of the open window up to `wall_s` (the last power held)."""
        if self.last_s is None or wall_s <= self.last_s:
            return self.energy_kwh
        return self.energy_kwh + self.last_kw * (wall_s - self.last_s) / 3600.0

    def average_kw(self, wall_s: float) -> float:
        """The open window's average so far."""
        elapsed = self.elapsed_s(wall_s)
        return self.energy_so_far_kwh(wall_s) * 3600.0 / elapsed if elapsed else 0.0

    def projection_kw(self, wall_s: float) -> float:
        """The open window's average if the present power holds to its end."""
        remaining = max(0.0, self.tariff.window_s - self.elapsed_s(wall_s))
        energy = self.energy_so_far_kwh(wall_s) + self.last_kw * remaining / 3600.0
        return energy * 3600.0 / self.tariff.window_s

    def month_peak_kw(self) -> float:
        return max(self.daily_peaks_kw.values(), default=0.0)

    def billed_kw(self) -> float:
        return self.tariff.billed_kw(self.daily_peaks_kw)

    def counted_peaks_kw(self) -> list[float]:
        """The peaks that make the bill, highest first."""
        peaks = sorted(self.daily_peaks_kw.values(), reverse=True)
        return peaks[: self.tariff.peaks_counted]

    def free_level_kw(self, wall_s: float) -> float:
        return self.tariff.free_level_kw(self.daily_peaks_kw, self.tariff.day(wall_s))

    def to_dict(self) -> dict[str, Any]:
        """What survives a restart: the month and its daily peaks."""
        return {
            "month": list(self.month) if self.month else None,
            "daily_peaks_kw": {
                d.isoformat(): kw for d, kw in self.daily_peaks_kw.items()
            },
        }

    def restore(self, data: dict[str, Any]) -> None:
        """The month's peaks from `to_dict` (ignored if malformed)."""
        month = data.get("month")
        peaks = data.get("daily_peaks_kw")
        if (
            not isinstance(month, list)
            or len(month) != 2
            or not isinstance(peaks, dict)
        ):
            return
        try:
            self.month = (int(month[0]), int(month[1]))
            self.daily_peaks_kw = {
                date.fromisoformat(str(day)): float(kw) for day, kw in peaks.items()
            }
        except (TypeError, ValueError):
            self.month, self.daily_peaks_kw = None, {}
