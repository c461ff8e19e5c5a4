"""A forecast of the building's own (non-EV) power: weekday x hour quantiles.

Hourly means of the baseline, kept per (local weekday, hour), the most recent
few weeks; the forecast of an hour is a high quantile of its history, so
that a plan made on it rarely meets more load than it expected. Hours with
no history of their weekday fall back to the same hour on any day; with less
than a day of history the forecast is not ready (the controller then keeps
only the fuse, and says so). Fed either with samples as the loop sees them
(`add`) or with hourly means from the recorder (`add_hour`).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .tariff import Tariff

# Weeks of history kept per weekday and hour.
WEEKS_KEPT = 6
# The quantile forecast for an hour.
QUANTILE = 0.8
# Hours of history needed before the forecast is used.
READY_HOURS = 24


def quantile(values: list[float], q: float) -> float:
    """Linear-interpolated quantile of non-empty `values`."""
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(slots=True)
class BaselineForecast:
    """Hourly baseline history and its quantiles."""

    tariff: Tariff
    history: dict[tuple[int, int], deque[float]] = field(default_factory=dict)
    hours_seen: int = 0
    _hour_key: tuple[date, int] | None = None
    _energy_kwh: float = 0.0
    _covered_s: float = 0.0
    _last_s: float | None = None
    _last_kw: float = 0.0
    _cache: dict[tuple[int, int], float] = field(default_factory=dict)

    def add(self, wall_s: float, power_kw: float) -> None:
        """The baseline is `power_kw` from `wall_s` on."""
        last = self._last_s
        if last is not None and 0 < wall_s - last <= 3600.0:
            time_s = last
            while time_s < wall_s:
                hour_start = time_s - time_s % 3600.0
                until = min(wall_s, hour_start + 3600.0)
                self._account(time_s, until)
                time_s = until
        self._last_s, self._last_kw = wall_s, power_kw

    def _account(self, start_s: float, end_s: float) -> None:
        local = self.tariff.local(start_s)
        key = (local.date(), local.hour)
        if key != self._hour_key:
            self._finish_hour()
            self._hour_key = key
        self._energy_kwh += self._last_kw * (end_s - start_s) / 3600.0
        self._covered_s += end_s - start_s

    def _finish_hour(self) -> None:
        key = self._hour_key
        if key is not None and self._covered_s >= 1800.0:
            day, hour = key
            weekday = day.weekday()
            mean = self._energy_kwh * 3600.0 / self._covered_s
            slot = self.history.setdefault((weekday, hour), deque(maxlen=WEEKS_KEPT))
            slot.append(mean)
            self.hours_seen += 1
            self._cache.clear()
        self._energy_kwh = self._covered_s = 0.0

    def add_hour(self, hour_start_s: float, mean_kw: float) -> None:
        """One hour's mean baseline, as long-term statistics keep it (oldest first)."""
        local = self.tariff.local(hour_start_s)
        slot = self.history.setdefault(
            (local.weekday(), local.hour), deque(maxlen=WEEKS_KEPT)
        )
        slot.append(mean_kw)
        self.hours_seen += 1
        self._cache.clear()

    @property
    def ready(self) -> bool:
        return self.hours_seen >= READY_HOURS

    def power_kw(self, weekday: int, hour: int) -> float | None:
        """The forecast for one local weekday (Monday 0) and hour, or None."""
        key = (weekday, hour)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        values = list(self.history.get(key, ()))
        if not values:
            values = [v for (_, h), vs in self.history.items() if h == hour for v in vs]
        if not values:
            return None
        value = self._cache[key] = quantile(values, QUANTILE)
        return value

    def at(self, wall_s: float) -> float | None:
        local = self.tariff.local(wall_s)
        return self.power_kw(local.weekday(), local.hour)

    def to_dict(self) -> dict[str, Any]:
        return {
            "history": {f"{d},{h}": list(v) for (d, h), v in self.history.items()},
            "hours_seen": self.hours_seen,
        }

    def restore(self, data: dict[str, Any]) -> None:
        """History from `to_dict` (ignored if malformed)."""
        try:
            history = {}
            for key, values in dict(data.get("history", {})).items():
                day, hour = (int(part) for part in str(key).split(","))
                history[(day, hour)] = deque(
                    (float(v) for v in values), maxlen=WEEKS_KEPT
                )
            hours = int(data.get("hours_seen", 0))
        except (TypeError, ValueError):
            return
        self.history, self.hours_seen = history, hours
        self._cache.clear()
