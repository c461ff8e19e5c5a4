"""A capacity tariff: how a month's billed power is made from window averages.

The grid operator averages the site's power over fixed clock windows (60 or
15 minutes of local time) and bills, per month of local time, either the
highest window or the mean of the N highest windows on different days
(Norway: the three highest daily hourly peaks). Some tariffs weigh windows
by the hour they start in: day hours at one weight, night hours at another
(0: night windows do not count at all; 0.5: half, as some Swedish network
tariffs do). Windows and months follow the local clock, so a DST change
gives a day of 23 or 25 hours.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

WINDOW_MINUTES = (15, 60)


@dataclass(frozen=True, slots=True, kw_only=True)
class Tariff:
    """The billing rules of one site."""

    window_minutes: int = 60
    # 1: the month's highest window; N: mean of the N highest on different days.
    peaks_counted: int = 1
    price_per_kw: float | None = None
    timezone: str = "UTC"
    # Day hours: [day_start_hour, day_end_hour) of local time; the rest is night.
    day_start_hour: int = 0
    day_end_hour: int = 24
    day_weight: float = 1.0
    night_weight: float = 1.0

    def __post_init__(self) -> None:
        if self.window_minutes not in WINDOW_MINUTES:
            raise ValueError(f"window must be one of {WINDOW_MINUTES} minutes")
        if self.peaks_counted < 1:
            raise ValueError("at least one peak counts")
        if self.price_per_kw is not None and self.price_per_kw < 0:
            raise ValueError("price per kW must not be negative")
        if not 0 <= self.day_start_hour <= self.day_end_hour <= 24:
            raise ValueError("day hours must be 0 <= start <= end <= 24")
        if not (0 <= self.day_weight <= 1 and 0 <= self.night_weight <= 1):
            raise ValueError("weights must be between 0 and 1")
        if self.day_weight == 0 and self.night_weight == 0:
            raise ValueError("some hours must count")
        ZoneInfo(self.timezone)  # raises for an unknown zone

    @property
    def window_s(self) -> float:
        return self.window_minutes * 60.0

    @property
    def zone(self) -> tzinfo:
        return ZoneInfo(self.timezone)

    def local(self, wall_s: float) -> datetime:
        """Local time of a POSIX instant."""
        return datetime.fromtimestamp(wall_s, self.zone)

    def window_start(self, wall_s: float) -> float:
        """Start of the window `wall_s` falls in (aligned to the local clock)."""
        offset = self.local(wall_s).utcoffset()
        offset_s = offset.total_seconds() if offset is not None else 0.0
        window = self.window_s
        return (wall_s + offset_s) // window * window - offset_s

    def weight(self, wall_s: float) -> float:
        """How much a window starting in the local hour of `wall_s` counts."""
        hour = self.local(wall_s).hour
        day = self.day_start_hour <= hour < self.day_end_hour
        return self.day_weight if day else self.night_weight

    def day(self, wall_s: float) -> date:
        """Local day of an instant (a window belongs to the day it starts in)."""
        return self.local(wall_s).date()

    def month(self, wall_s: float) -> tuple[int, int]:
        """Local (year, month) of an instant."""
        local = self.local(wall_s)
        return (local.year, local.month)

    def billed_kw(self, daily_peaks_kw: Mapping[date, float]) -> float:
        """The month's billed figure from each day's highest window average."""
        peaks = sorted(daily_peaks_kw.values(), reverse=True)[: self.peaks_counted]
        return sum(peaks) / len(peaks) if peaks else 0.0

    def free_level_kw(self, daily_peaks_kw: Mapping[date, float], today: date) -> float:
        """The highest window average today that leaves the bill as it is.

        Today's own peak so far, or the lowest of the peaks that count when
        as many other days already count.
        """
        others = sorted(
            (kw for day, kw in daily_peaks_kw.items() if day != today), reverse=True
        )
        level = daily_peaks_kw.get(today, 0.0)
        if len(others) >= self.peaks_counted:
            level = max(level, others[self.peaks_counted - 1])
        return level
