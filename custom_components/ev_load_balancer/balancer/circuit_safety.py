"""The last check of a round on a circuit tree: every fuse, every phase."""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping, Sequence

from .model import ChargerInput, ChargerLimit, Reason
from .safety import FUSE_TOLERANCE_A

# A charger's weight per dimension for the site phases its limit loads.
Weigh = Callable[[ChargerInput, tuple[int, ...]], tuple[int, ...]]
# The same as (dimension, weight) of the dimensions it loads.
Loaded = Callable[[ChargerInput, tuple[int, ...]], tuple[tuple[int, int], ...]]


def load_per_dimension(
    limits: Mapping[str, ChargerLimit],
    chargers: Sequence[ChargerInput],
    loaded: Loaded,
    dimensions: int,
) -> list[float]:
    """Sum of the limits on each dimension (site phase or circuit phase)."""
    load = [0.0] * dimensions
    for charger in chargers:
        limit = limits[charger.charger_id]
        current = limit.current_a
        if current:
            for dim, weight in loaded(charger, limit.load_phases):
                load[dim] += weight * current
    return load


def enforce_tree(
    limits: MutableMapping[str, ChargerLimit],
    chargers: Sequence[ChargerInput],
    capacity: Sequence[float],
    weigh: Weigh,
    load: list[float],
) -> bool:
    """Pause chargers until every dimension is within capacity; True if any
    was cut. As enforce_fuse (safety.py): lowest priority goes first.

    `load`: the limits' load per dimension (load_per_dimension), kept up to
    date as chargers are cut.
    """
    dimensions = len(capacity)
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
