"""What a charger may plausibly report: one table for every source of numbers.

The ranges are physical, not per charger: they keep absurd numbers (a broken
meter, a firmware bug, a hostile client) out of the balancer, the entities
and the session records. Values are checked after unit conversion (A, W, Wh,
V, percent). A reading a little below zero is meter noise and reads as zero.
No Home Assistant import: the OCPP back end and the control loop share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import math


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


# DC chargers aside, no charger draws 1000 A a phase or 1 MW; a register of
# 100 GWh would be a 350 kW charger running flat out for 30 years.
PLAUSIBLE_RANGES: dict[Quantity, PlausibleRange] = {
    Quantity.CURRENT: PlausibleRange(0.0, 1000.0, noise=0.5),
    Quantity.POWER: PlausibleRange(0.0, 1_000_000.0, noise=100.0),
    Quantity.ENERGY: PlausibleRange(0.0, 1e11),
    Quantity.VOLTAGE: PlausibleRange(0.0, 1000.0),
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
