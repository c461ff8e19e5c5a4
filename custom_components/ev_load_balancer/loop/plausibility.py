"""Numbers from a charger that cannot be true never reach the balancer.

A charger (its own firmware, an integration's sensor, a hostile client) can
report anything. An implausible value is dropped, as if the charger had not
reported it: without a current reading the balancer credits the EV with
nothing, so whatever it really draws counts as building load, the safe side.
"""

from __future__ import annotations

from dataclasses import replace
import math

from ..chargers.base import ChargerStatus

# Below this a negative current is sensor noise around 0 A; beyond it, nonsense.
NOISE_A = 1.0
# No charger conductor carries this much (A), whatever its rating.
MAX_PLAUSIBLE_A = 100.0
MAX_PLAUSIBLE_VOLTAGE_V = 300.0
# An energy register beyond this (kWh, 10 GWh) is garbage.
MAX_PLAUSIBLE_ENERGY_KWH = 1e7


def plausible_status(
    status: ChargerStatus, max_a: float
) -> tuple[ChargerStatus, tuple[str, ...]]:
    """The status without implausible values, and what was dropped."""
    if _all_plausible(status, max_a):
        return status, ()
    dropped: list[str] = []
    changes: dict[str, object] = {}
    ceiling = _current_ceiling_a(max_a)
    currents = status.current_a
    if currents is not None:
        if all(math.isfinite(v) and -NOISE_A <= v <= ceiling for v in currents):
            if any(v < 0 for v in currents):
                changes["current_a"] = tuple(max(0.0, v) for v in currents)
        else:
            dropped.append("current")
            changes["current_a"] = None
    power = status.power_w
    power_ceiling = _power_ceiling_w(ceiling)
    if power is not None:
        if not (math.isfinite(power) and -NOISE_A * 250.0 <= power <= power_ceiling):
            dropped.append("power")
            changes["power_w"] = None
        elif power < 0:
            changes["power_w"] = 0.0
    energy = status.energy_kwh
    if energy is not None and not (
        math.isfinite(energy) and 0.0 <= energy <= MAX_PLAUSIBLE_ENERGY_KWH
    ):
        dropped.append("energy")
        changes["energy_kwh"] = None
    stamp = status.updated_at
    if stamp is not None and not math.isfinite(stamp):
        dropped.append("timestamp")
        changes["updated_at"] = None
    if not changes:
        return status, ()
    return replace(status, **changes), tuple(dropped)  # type: ignore[arg-type]


def _all_plausible(status: ChargerStatus, max_a: float) -> bool:
    """The common case at a glance (every round, every charger): nothing to drop
    or clamp. NaN fails every comparison, so it takes the full check."""
    ceiling = _current_ceiling_a(max_a)
    currents = status.current_a
    if currents and not all(0.0 <= value <= ceiling for value in currents):
        return False
    power = status.power_w
    if power is not None and not 0.0 <= power <= _power_ceiling_w(ceiling):
        return False
    energy = status.energy_kwh
    if energy is not None and not 0.0 <= energy <= MAX_PLAUSIBLE_ENERGY_KWH:
        return False
    stamp = status.updated_at
    return stamp is None or math.isfinite(stamp)


def _current_ceiling_a(max_a: float) -> float:
    return max(MAX_PLAUSIBLE_A, 2.0 * max_a)


def _power_ceiling_w(current_ceiling_a: float) -> float:
    # Three conductors at the current ceiling and the highest phase voltage.
    return 3 * current_ceiling_a * MAX_PLAUSIBLE_VOLTAGE_V
