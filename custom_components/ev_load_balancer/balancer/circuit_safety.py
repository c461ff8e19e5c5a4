"""The last check of a round on a circuit tree: every fuse, every phase."""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping, Sequence

from .model import ChargerInput, ChargerLimit, Reason
from .safety import FUSE_TOLERANCE_A

# A charger's weight per dimension for the site phases its limit loads.
Weigh = Callable[[ChargerInput, tuple[int, ...]], tuple[int, ...]]


def load_per_dimension(
    limits: Mapping[str, ChargerLimit],
    chargers: Sequence[ChargerInput],
    weigh: Weigh,
    dimensions: int,
) -> list[float]:
    """Sum of the limits on each dimension (site phase or circuit phase)."""
    load = [0.0] * dimensions
    for charger in chargers:
        limit = limits[charger.charger_id]
        if limit.current_a:
            for dim, weight in enumerate(weigh(charger, limit.load_phases)):
                if weight:
                    load[dim] += weight * limit.current_a
    return load


def enforce_tree(
    limits: MutableMapping[str, ChargerLimit],
    chargers: Sequence[ChargerInput],
    capacity: Sequence[float],
    weigh: Weigh,
) -> bool:
    """Pause chargers until every dimension is within capacity; True if any
    was cut. As enforce_fuse (safety.py): lowest priority goes first."""
    dimensions = len(capacity)
    load = load_per_dimension(limits, chargers, weigh, dimensions)
    if all(load[d] <= capacity[d] + FUSE_TOLERANCE_A for d in range(dimensions)):
        return False
    ranked = sorted(
        chargers, key=lambda c: (c.priority, -limits[c.charger_id].current_a)
    )
    for charger in ranked:
        over = {
            d for d in range(dimensions) if load[d] > capacity[d] + FUSE_TOLERANCE_A
        }
        if not over:
            break
        limit = limits[charger.charger_id]
        if not limit.current_a:
            continue
        weights = weigh(charger, limit.load_phases)
        if not any(weights[d] for d in over):
            continue
        for dim, weight in enumerate(weights):
            if weight:
                load[dim] -= weight * limit.current_a
        limits[charger.charger_id] = ChargerLimit(
            0.0, Reason.PAUSED_OVERLOAD, limit.load_phases
        )
    return True
