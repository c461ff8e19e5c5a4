"""Last checks on a round's limits: charger step sizes and the fuse itself."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
import math

from .model import ChargerInput, ChargerLimit, Reason

# Current added to a value before flooring it to a step, so that 6.0 stored as
# 5.9999999 still floors to 6.0 (A).
_FLOAT_SLACK_A = 1e-9
# Allowed excess when checking the fuse: float noise, far below any meter's reach.
FUSE_TOLERANCE_A = 1e-6


def floor_to_step(current_a: float, step_a: float, min_a: float) -> float:
    """Round a limit down to what the charger can be told, never below its min."""
    if current_a <= 0:
        return 0.0
    stepped = math.floor((current_a + _FLOAT_SLACK_A) / step_a) * step_a
    stepped = round(stepped, 6)
    if stepped < min_a:
        return min_a if current_a + _FLOAT_SLACK_A >= min_a else 0.0
    return stepped


def stepped_limit(limit: ChargerLimit, charger: ChargerInput) -> ChargerLimit:
    """A limit rounded down to the charger's step (the same object if it fits)."""
    current = floor_to_step(limit.current_a, charger.step_a, charger.min_a)
    if current == limit.current_a:
        return limit
    return ChargerLimit(current, limit.reason, limit.load_phases)


def load_per_phase(
    limits: Mapping[str, ChargerLimit], phase_count: int
) -> tuple[float, ...]:
    """Sum of the limits on each site phase."""
    load = [0.0] * phase_count
    for limit in limits.values():
        if limit.current_a:
            for phase in limit.load_phases:
                load[phase] += limit.current_a
    return tuple(load)


def enforce_fuse(
    limits: MutableMapping[str, ChargerLimit],
    chargers: Sequence[ChargerInput],
    capacity: Sequence[float],
    phase_count: int,
) -> bool:
    """Pause chargers until every phase is within capacity; True if any was cut.

    The allocation already respects the fuse; this guard makes sure a defect
    elsewhere can never turn into a trip. Lowest priority goes first.
    """
    load = list(load_per_phase(limits, phase_count))
    if all(load[p] <= capacity[p] + FUSE_TOLERANCE_A for p in range(phase_count)):
        return False
    ranked = sorted(
        chargers, key=lambda c: (c.priority, -limits[c.charger_id].current_a)
    )
    for charger in ranked:
        over = [
            p for p in range(phase_count) if load[p] > capacity[p] + FUSE_TOLERANCE_A
        ]
        if not over:
            break
        limit = limits[charger.charger_id]
        if not limit.current_a or not any(p in over for p in limit.load_phases):
            continue
        for phase in limit.load_phases:
            load[phase] -= limit.current_a
        limits[charger.charger_id] = ChargerLimit(
            0.0, Reason.PAUSED_OVERLOAD, limit.load_phases
        )
    return True
