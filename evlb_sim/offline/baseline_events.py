"""Short loads on top of the minute baseline, exact to the second.

A kettle (2-3 min at 9 A on one phase), a lift (20-60 s on three phases with
a start current of twice its running current), a heat pump's compressor start:
averaged into minute means they vanish, but the fuse and the loop see them
second by second. Each kind starts at random (a Poisson process in its hours
of the day) and never overlaps itself.
"""

from __future__ import annotations

from dataclasses import dataclass
import math
import random

from custom_components.ev_load_balancer.sizing import BaselineEvent

DAY_S = 86400.0


@dataclass(frozen=True, slots=True, kw_only=True)
class EventSpec:
    """One kind of short load."""

    name: str
    phases: tuple[int, ...]
    amps: float
    per_day: float
    seconds: tuple[float, float]
    hours: tuple[float, float] = (0.0, 24.0)
    # A start current of `inrush_factor` x amps for the first `inrush_s`.
    inrush_factor: float = 1.0
    inrush_s: float = 0.0
    seed: int = 0


def generate_events(
    specs: tuple[EventSpec, ...], duration_s: float, phases: int
) -> tuple[BaselineEvent, ...]:
    """Every event of every kind over [0, duration_s)."""
    events: list[BaselineEvent] = []
    for spec in specs:
        events.extend(_events_of(spec, duration_s, phases))
    return tuple(sorted(events, key=lambda event: event.start_s))


def _events_of(spec: EventSpec, duration_s: float, phases: int) -> list[BaselineEvent]:
    rng = random.Random(f"{spec.name}:{spec.seed}")
    first, last = spec.hours
    window_s = (last - first) * 3600.0
    if spec.per_day <= 0 or window_s <= 0:
        return []
    running = tuple(spec.amps if p in spec.phases else 0.0 for p in range(phases))
    extra = spec.amps * (spec.inrush_factor - 1.0)
    start_current = tuple(extra if p in spec.phases else 0.0 for p in range(phases))
    events: list[BaselineEvent] = []
    busy_until = -math.inf
    for day in range(math.ceil(duration_s / DAY_S)):
        time_s = day * DAY_S + first * 3600.0
        end_s = day * DAY_S + last * 3600.0
        while True:
            time_s += rng.expovariate(spec.per_day / window_s)
            if time_s >= min(end_s, duration_s):
                break
            if time_s < busy_until:  # still running
                continue
            length = rng.uniform(*spec.seconds)
            start = round(time_s, 1)
            busy_until = start + length
            events.append(BaselineEvent(start, start + length, running))
            if extra > 0 and spec.inrush_s > 0:
                inrush_end = start + min(spec.inrush_s, length)
                events.append(BaselineEvent(start, inrush_end, start_current))
    return events
