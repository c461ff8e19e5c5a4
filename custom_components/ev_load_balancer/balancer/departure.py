"""Departure-aware urgency: how much current an EV needs to be full on time."""

from __future__ import annotations

import math

from .model import ChargerInput

HOUR_S = 3600.0


def required_current_a(
    charger: ChargerInput, conductor_count: int, voltage_v: float, now: float
) -> float:
    """Current that delivers the wanted energy by departure (0 when unknown)."""
    if charger.departure is None or not charger.energy_wanted_kwh:
        return 0.0
    hours_left = (charger.departure - now) / HOUR_S
    if hours_left <= 0:
        return charger.max_a
    power_w = charger.energy_wanted_kwh * 1000.0 / hours_left
    return power_w / (voltage_v * max(1, conductor_count))


def laxity_s(
    charger: ChargerInput, conductor_count: int, voltage_v: float, now: float
) -> float:
    """Slack before the EV must charge at full power to be full on time.

    EVs without a departure time have infinite slack and sort last.
    """
    if charger.departure is None or not charger.energy_wanted_kwh:
        return math.inf
    full_power_w = charger.max_a * voltage_v * max(1, conductor_count)
    time_needed_s = charger.energy_wanted_kwh * 1000.0 / full_power_w * HOUR_S
    return charger.departure - now - time_needed_s
