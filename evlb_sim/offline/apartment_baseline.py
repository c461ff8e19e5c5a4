"""A synthetic apartment-block baseline: the H25 profile per flat, spread unevenly
over the phases, with minute noise and random step loads (sauna, heat pump, lift).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
import math
import random

from custom_components.ev_load_balancer.sizing import BaselineSeries

from .bdew import H25Profile, load_h25

MINUTE_S = 60.0
# Minute-to-minute correlation of the building's noise.
_NOISE_CORRELATION = 0.9


@dataclass(frozen=True, slots=True, kw_only=True)
class SpikeSpec:
    """A step load that switches on at random: constant current while it runs."""

    name: str
    phases: tuple[int, ...]
    amps: float
    # Mean number of starts per day, spread over the start window.
    per_day: float
    duration_min: tuple[float, float]
    # Starts fall in [from, to) hours of the day.
    hours: tuple[float, float] = (0.0, 24.0)


@dataclass(frozen=True, slots=True, kw_only=True)
class ApartmentBaselineSpec:
    """An apartment block's own load."""

    apartments: int
    annual_kwh: float = 3000.0  # per apartment
    # Share of the flats' power on each phase (flats are single-phase loads).
    phase_split: tuple[float, ...] = (0.40, 0.33, 0.27)
    # Always-on common loads per phase (ventilation, lighting), A.
    common_a: tuple[float, ...] = (0.0, 0.0, 0.0)
    # Relative minute noise of one flat; the block's is this over sqrt(flats).
    noise: float = 1.0
    spikes: tuple[SpikeSpec, ...] = ()
    seed: int = 0


def apartment_baseline(
    spec: ApartmentBaselineSpec,
    start: datetime,
    minutes: int,
    *,
    voltage_v: float = 230.0,
    profile: H25Profile | None = None,
) -> BaselineSeries:
    """Per-minute baseline from `start` for `minutes` minutes."""
    profile = profile or load_h25()
    rng = random.Random(spec.seed)
    phases = len(spec.phase_split)
    split_total = sum(spec.phase_split)
    sigma = spec.noise / math.sqrt(max(1, spec.apartments))
    noise = [0.0] * phases
    spread = math.sqrt(1 - _NOISE_CORRELATION**2)
    values: list[list[float]] = []
    for minute in range(minutes):
        when = start + timedelta(minutes=minute)
        power_kw = spec.apartments * profile.power_kw(when, spec.annual_kwh)
        sample: list[float] = []
        for phase in range(phases):
            noise[phase] = _NOISE_CORRELATION * noise[phase] + spread * rng.gauss()
            factor = max(0.2, 1.0 + sigma * noise[phase])
            share = spec.phase_split[phase] / split_total
            amps = power_kw * share * factor * 1000.0 / voltage_v
            sample.append(amps + spec.common_a[phase])
        values.append(sample)
    for spike in spec.spikes:
        _add_spike(values, spike, rng)
    return BaselineSeries(
        start, MINUTE_S, tuple(tuple(round(v, 3) for v in row) for row in values)
    )


def _add_spike(values: list[list[float]], spike: SpikeSpec, rng: random.Random) -> None:
    """Switch `spike` on at random times; partial minutes add their mean."""
    minutes = len(values)
    first, last = spike.hours
    window_min = (last - first) * 60.0
    if spike.per_day <= 0 or window_min <= 0:
        return
    busy_until = -math.inf
    for day in range(math.ceil(minutes / 1440)):
        time_min = day * 1440 + first * 60.0
        end_min = day * 1440 + last * 60.0
        while True:
            time_min += rng.expovariate(spike.per_day / window_min)
            if time_min >= end_min or time_min >= minutes:
                break
            if time_min < busy_until:  # the device is already running
                continue
            length = rng.uniform(*spike.duration_min)
            busy_until = time_min + length
            _add_block(values, spike, time_min, busy_until)


def _add_block(
    values: list[list[float]], spike: SpikeSpec, begin_min: float, end_min: float
) -> None:
    minute = math.floor(begin_min)
    while minute < min(end_min, len(values)):
        covered = min(end_min, minute + 1) - max(begin_min, minute)
        for phase in spike.phases:
            values[minute][phase] += spike.amps * covered
        minute += 1
