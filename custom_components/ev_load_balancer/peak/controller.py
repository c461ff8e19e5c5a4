"""Peak shaving on top of the fuse: a site cap that keeps the window under a target.

The target is the highest window average that costs nothing (the month's
peaks so far, see Tariff.free_level_kw, or a manual target) or the planned
level that every connected EV needs to get its energy by its departure, if
that is higher: an EV never misses its energy to save a peak. The open
window's energy so far sets what may still be drawn in the rest of it, and
that power becomes a cap per phase, applied like the temporary site limit;
the fuse limit stays below it whatever the cap says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
import math

from .forecast import BaselineForecast
from .planner import EvNeed, planned_level_kw
from .sessions import SessionLearner
from .tariff import Tariff
from .window import WindowTracker

# Aim this much below the target: meter lag and EV response delays.
TARGET_GUARD = 0.03
# The rest of a window is taken as at least this long (s): no wild swings
# of the allowed power in a window's last seconds.
MIN_REMAINING_S = 180.0
# The plan is made again at most this often, or at once after a plug event.
REPLAN_S = 300.0


class PeakMode(StrEnum):
    """Why the controller decided what it did."""

    # No forecast yet (cold start): the fuse alone limits.
    LEARNING = "learning"
    # The open window does not count (weight 0): the fuse alone limits.
    NOT_COUNTED = "not_counted"
    SHAVING = "shaving"
    # A manual target (set by the user or an automation) replaces the free level.
    MANUAL = "manual"


@dataclass(frozen=True, slots=True)
class PeakDecision:
    """What the controller decided in one round."""

    # The open window's mean power to stay under (kW); None: no target.
    target_kw: float | None
    planned_kw: float
    allowed_kw: float | None
    # Cap per phase (A) for baseline + EVs, None: no cap needed.
    cap_a: float | None
    mode: PeakMode = PeakMode.SHAVING


class PeakController:
    """One site's peak shaving state and decisions."""

    def __init__(
        self, tariff: Tariff, *, phases: int, voltage_v: float, fuse_a: float
    ) -> None:
        self.tariff = tariff
        self.phases = phases
        self.voltage_v = voltage_v
        self.fuse_a = fuse_a
        self.tracker = WindowTracker(tariff)
        self.forecast = BaselineForecast(tariff)
        self.sessions = SessionLearner()
        self.manual_target_kw: float | None = None
        self._plan_at = -math.inf
        self._planned_kw = 0.0
        self.last: PeakDecision | None = None

    @property
    def fuse_kw(self) -> float:
        return self.phases * self.fuse_a * self.voltage_v / 1000.0

    def observe(self, wall_s: float, site_kw: float, baseline_kw: float) -> None:
        """The site's and the building's own power from `wall_s` on."""
        self.tracker.add(wall_s, site_kw)
        self.forecast.add(wall_s, baseline_kw)

    def replan(self) -> None:
        """Plan again at the next decision (an EV came or left)."""
        self._plan_at = -math.inf

    def decide(
        self,
        wall_s: float,
        needs: Sequence[EvNeed],
        baseline_a: Sequence[float],
        demand_a: Sequence[float],
    ) -> PeakDecision:
        """The cap for now, from the EVs' needs and what they could draw.

        `baseline_a`: the building's own current per phase now; `demand_a`:
        the most the EVs that want energy could add per phase.
        """
        forecast = self.forecast
        if not forecast.ready:
            self.last = PeakDecision(None, 0.0, None, None, PeakMode.LEARNING)
            return self.last
        if wall_s - self._plan_at >= REPLAN_S:
            now_kw = sum(baseline_a) * self.voltage_v / 1000.0

            def baseline_kw(time_s: float) -> float:
                value = forecast.at(time_s)
                return now_kw if value is None else value

            self._planned_kw = planned_level_kw(
                wall_s, needs, baseline_kw, self.fuse_kw
            )
            self._plan_at = wall_s
        # The free level is billed kW; the window's own mean may be higher by
        # its hour's weight (a half-weight night window may draw twice).
        weight = self.tariff.weight(wall_s)
        mode = PeakMode.SHAVING
        if self.manual_target_kw is not None:
            free, mode = self.manual_target_kw, PeakMode.MANUAL
        elif weight > 0:
            free = self.tracker.free_level_kw(wall_s) / weight
        else:
            self.last = PeakDecision(
                None, self._planned_kw, None, None, PeakMode.NOT_COUNTED
            )
            return self.last
        target = max(free, self._planned_kw)
        allowed = self._allowed_kw(wall_s, target * (1.0 - TARGET_GUARD))
        cap = self._cap_a(allowed, baseline_a, demand_a)
        self.last = PeakDecision(target, self._planned_kw, allowed, cap, mode)
        return self.last

    def _allowed_kw(self, wall_s: float, target_kw: float) -> float:
        """Mean power for the rest of the window that ends it at the target."""
        tracker, window = self.tracker, self.tariff.window_s
        remaining = max(MIN_REMAINING_S, window - tracker.elapsed_s(wall_s))
        budget_kwh = target_kw * window / 3600.0 - tracker.energy_so_far_kwh(wall_s)
        return max(0.0, budget_kwh * 3600.0 / remaining)

    def _cap_a(
        self, allowed_kw: float, baseline_a: Sequence[float], demand_a: Sequence[float]
    ) -> float | None:
        """The per-phase cap under which the site draws `allowed_kw` at most."""
        volts = self.voltage_v / 1000.0

        def power_kw(cap: float) -> float:
            return volts * sum(
                max(b, min(cap, b + d))
                for b, d in zip(baseline_a, demand_a, strict=True)
            )

        if power_kw(self.fuse_a) <= allowed_kw:
            return None
        # Never below the baseline: the EVs pause, the building is no overload.
        low, high = max(baseline_a, default=0.0), self.fuse_a
        if power_kw(low) >= allowed_kw:
            return low
        for _ in range(30):
            middle = (low + high) / 2
            if power_kw(middle) > allowed_kw:
                high = middle
            else:
                low = middle
        return low
