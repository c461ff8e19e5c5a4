"""What an OCPP charger may plausibly report, per quantity it reports.

The bounds are the control loop's (loop/plausibility.py, which checks every
charger's status before the balancer): what the loop would drop never gets
into an OCPP charger's entities or session records either. Values are
checked after unit conversion (A, W, Wh, V, percent); a reading a little
below zero is meter noise and reads as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import math

from ..loop.plausibility import (
    MAX_PLAUSIBLE_A,
    MAX_PLAUSIBLE_ENERGY_KWH,
    MAX_PLAUSIBLE_VOLTAGE_V,
    NOISE_A,
)


class Quantity(StrEnum):
    """A kind of number a charger reports."""

    CURRENT = "current"  # A, per phase
    POWER = "power"  # W, the whole charger
    ENERGY = "energy"  # Wh, an import register
    VOLTAGE = "voltage"  # V, phase to neutral
    SOC = "soc"  # percent


@dataclass(frozen=True, slots=True)
class PlausibleRange:
    """[low, high]; values in [low - noise, low) are read as low."""

    low: float
    high: float
    noise: float = 0.0


PLAUSIBLE_RANGES: dict[Quantity, PlausibleRange] = {
    Quantity.CURRENT: PlausibleRange(0.0, MAX_PLAUSIBLE_A, noise=NOISE_A),
    # Three conductors at the most current and the highest phase voltage.
    Quantity.POWER: PlausibleRange(
        0.0,
        3 * MAX_PLAUSIBLE_A * MAX_PLAUSIBLE_VOLTAGE_V,
        noise=NOISE_A * MAX_PLAUSIBLE_VOLTAGE_V,
    ),
    Quantity.ENERGY: PlausibleRange(0.0, MAX_PLAUSIBLE_ENERGY_KWH * 1000.0),
    Quantity.VOLTAGE: PlausibleRange(0.0, MAX_PLAUSIBLE_VOLTAGE_V),
    Quantity.SOC: PlausibleRange(0.0, 100.0),
}


def plausible(quantity: Quantity, value: float) -> float | None:
    """The value (noise read as the lower bound), or None when implausible."""
    bounds = PLAUSIBLE_RANGES[quantity]
    if not math.isfinite(value) or value > bounds.high:
        return None
    if value >= bounds.low:
        return value
    if value >= bounds.low - bounds.noise:
        return bounds.low
    return None
