"""Plausibility of a meter reading: stale or absurd data must reach the failsafe."""

from __future__ import annotations

import math

from .base import MeterProblem, MeterReading

# A reading beyond this multiple of the fuse is a glitch, not a load: the fuse
# would have blown long before.
ABSURD_FUSE_MULTIPLE = 5.0
PLAUSIBLE_VOLTAGE_V = (80.0, 300.0)


def check_reading(
    reading: MeterReading, phases: int, fuse_a: float
) -> tuple[MeterProblem, str] | None:
    """The problem with a reading, or None when it can be trusted."""
    if len(reading.current_a) != phases:
        return (
            MeterProblem.ABSURD,
            f"{len(reading.current_a)} phases, expected {phases}",
        )
    for phase, value in enumerate(reading.current_a, start=1):
        if not math.isfinite(value):
            return MeterProblem.ABSURD, f"L{phase} current is {value}"
        if abs(value) > ABSURD_FUSE_MULTIPLE * fuse_a:
            return (
                MeterProblem.ABSURD,
                f"L{phase} current {value:.1f} A on a {fuse_a:g} A fuse",
            )
    if reading.voltage_v is not None:
        low, high = PLAUSIBLE_VOLTAGE_V
        for phase, value in enumerate(reading.voltage_v, start=1):
            if not (math.isfinite(value) and low <= value <= high):
                return MeterProblem.ABSURD, f"L{phase} voltage {value} V"
    return None


def is_stale(reading: MeterReading | None, now: float, stale_after_s: float) -> bool:
    """Whether the latest reading is too old (or missing) to balance on."""
    return reading is None or now - reading.received_at > stale_after_s
