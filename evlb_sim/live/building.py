"""The building's own load per phase, live: households, a lift, a heat pump.

Two clocks drive it. The households follow the BDEW H25 profile of the
simulated time of day (offline/apartment_baseline.py, without its minute
noise), so a sped-up demo lives through a whole evening in minutes. The fast
loads keep real time whatever the speed-up: the lift's trips, the heat-pump
compressor's cycles and soft start, and the flats' second-to-second jitter are
what the control loop (which runs in real time) has to keep up with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
import math
import random

from custom_components.ev_load_balancer.sizing import BaselineSeries

from ..offline.apartment_baseline import ApartmentBaselineSpec, apartment_baseline

DAY_S = 86400.0
_MINUTES_PER_DAY = 1440


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildingSpec:
    """An apartment block's own loads (currents per phase, A)."""

    apartments: int = 16
    annual_kwh: float = 3000.0  # per flat
    phase_split: tuple[float, float, float] = (0.40, 0.33, 0.27)
    common_a: tuple[float, float, float] = (1.5, 1.2, 1.0)  # lighting, ventilation
    # Heat-pump compressor on all phases: cycles in wall seconds, inverter ramp.
    heat_pump_a: float = 6.0
    heat_pump_on_s: tuple[float, float] = (150.0, 420.0)
    heat_pump_off_s: tuple[float, float] = (90.0, 300.0)
    heat_pump_ramp_s: float = 30.0
    # Lift trips on all phases: random gaps and lengths (wall s), a short ramp.
    lift_a: float = 3.0
    lift_mean_gap_s: float = 70.0
    lift_trip_s: tuple[float, float] = (12.0, 30.0)
    lift_ramp_s: float = 2.0
    # The flats' jitter: per phase, standard deviation and memory (wall s).
    jitter_a: float = 0.6
    jitter_memory_s: float = 20.0
    seed: int = 0


class _OnOffCycle:
    """A load that is on, then off, for random wall-clock stretches."""

    def __init__(
        self,
        rng: random.Random,
        on_s: tuple[float, float],
        off_gap: tuple[float, float] | float,
        ramp_s: float,
    ) -> None:
        self._rng = rng
        self._on_s = on_s
        self._off_gap = off_gap
        self._ramp_s = ramp_s
        self._on_at = self._gap()
        self._off_at = self._on_at + rng.uniform(*on_s)

    def _gap(self) -> float:
        if isinstance(self._off_gap, tuple):
            return self._rng.uniform(*self._off_gap)
        return self._rng.expovariate(1.0 / self._off_gap)

    def share(self, wall_s: float) -> float:
        """0 when off, 1 when running, in between while it ramps up."""
        while wall_s >= self._off_at:
            self._on_at = self._off_at + self._gap()
            self._off_at = self._on_at + self._rng.uniform(*self._on_s)
        if wall_s < self._on_at:
            return 0.0
        if self._ramp_s <= 0:
            return 1.0
        return min(1.0, (wall_s - self._on_at) / self._ramp_s)


class Building:
    """Per-phase current of the building at a simulated and a wall time."""

    def __init__(self, spec: BuildingSpec, origin: datetime) -> None:
        self.spec = spec
        self._origin = origin
        self._midnight = origin.replace(hour=0, minute=0, second=0, microsecond=0)
        self._days: dict[int, BaselineSeries] = {}
        rng = random.Random(f"building/{spec.seed}")
        self._heat_pump = _OnOffCycle(
            rng, spec.heat_pump_on_s, spec.heat_pump_off_s, spec.heat_pump_ramp_s
        )
        self._lift = _OnOffCycle(
            rng, spec.lift_trip_s, spec.lift_mean_gap_s, spec.lift_ramp_s
        )
        self._jitter_rng = rng
        self._jitter = [0.0, 0.0, 0.0]
        self._jitter_at = 0.0

    def households_a(self, sim_s: float) -> tuple[float, ...]:
        """The flats and common loads, interpolated between minutes."""
        since_midnight = (self._origin - self._midnight).total_seconds() + sim_s
        day, second = divmod(since_midnight, DAY_S)
        series = self._day(int(day))
        minute, fraction = divmod(second / 60.0, 1.0)
        now = series.values_a[int(minute)]
        if int(minute) + 1 < len(series.values_a):
            following = series.values_a[int(minute) + 1]
        else:
            following = self._day(int(day) + 1).values_a[0]
        return tuple(
            a + (b - a) * fraction for a, b in zip(now, following, strict=True)
        )

    def heat_pump_a(self, wall_s: float) -> float:
        return self.spec.heat_pump_a * self._heat_pump.share(wall_s)

    def lift_a(self, wall_s: float) -> float:
        return self.spec.lift_a * self._lift.share(wall_s)

    def current_a(self, sim_s: float, wall_s: float) -> tuple[float, ...]:
        """Everything together; call with a wall time that never goes back."""
        shared = self.heat_pump_a(wall_s) + self.lift_a(wall_s)
        jitter = self._advance_jitter(wall_s)
        return tuple(
            max(0.0, flats + shared + noise)
            for flats, noise in zip(self.households_a(sim_s), jitter, strict=True)
        )

    def _advance_jitter(self, wall_s: float) -> list[float]:
        """An Ornstein-Uhlenbeck wobble per phase, in wall time."""
        elapsed = wall_s - self._jitter_at
        if elapsed > 0:
            memory = self.spec.jitter_memory_s
            keep = math.exp(-elapsed / memory)
            spread = self.spec.jitter_a * math.sqrt(1.0 - keep * keep)
            self._jitter = [
                value * keep + spread * self._jitter_rng.gauss()
                for value in self._jitter
            ]
            self._jitter_at = wall_s
        return self._jitter

    def _day(self, day: int) -> BaselineSeries:
        series = self._days.get(day)
        if series is None:
            spec = self.spec
            series = apartment_baseline(
                ApartmentBaselineSpec(
                    apartments=spec.apartments,
                    annual_kwh=spec.annual_kwh,
                    phase_split=spec.phase_split,
                    common_a=spec.common_a,
                    noise=0.0,
                    seed=spec.seed + day,
                ),
                self._midnight + timedelta(days=day),
                _MINUTES_PER_DAY,
            )
            self._days = {d: s for d, s in self._days.items() if d >= day - 1}
            self._days[day] = series
        return series
