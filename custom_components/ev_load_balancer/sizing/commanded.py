"""What the loop asked for against the building as its meter showed it."""

from __future__ import annotations

from collections.abc import Sequence

from ..balancer import Allocation
from .sim_charger import SimulatedCharger


def commanded_excess_a(
    fuse_a: float,
    baseline_seen_a: Sequence[float],
    active: Sequence[SimulatedCharger],
    allocation: Allocation,
    now: float,
) -> float:
    """The worst phase's baseline (when the meter read) plus commanded limits,
    minus the fuse (A). The building may have risen since the reading: that
    is what the margin is for.
    """
    commanded = list(baseline_seen_a)
    for charger in active:
        ev = charger.ev
        assert ev is not None
        limit = allocation.limits.get(charger.spec.charger_id)
        if limit is not None and charger.wants_energy(now):
            for phase in charger.load_phases:
                commanded[phase] += min(limit.current_a, ev.session.ev_max_a)
    return max(value - fuse_a for value in commanded)
