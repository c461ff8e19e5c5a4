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
    """How far the commanded limits reach above the fuse (A), on the worst
    phase that carries a command: the baseline when the meter read plus the
    commands, minus the fuse, and never more than the commands themselves.

    A phase without a command does not count: a building that alone is above
    its fuse (a compressor's inrush) is not something the loop asked for. The
    building may have risen since the reading: that is what the margin is for.
    """
    commanded = [0.0] * len(baseline_seen_a)
    for charger in active:
        ev = charger.ev
        assert ev is not None
        limit = allocation.limits.get(charger.spec.charger_id)
        if limit is not None and charger.wants_energy(now):
            for phase in charger.load_phases:
                commanded[phase] += min(limit.current_a, ev.session.ev_max_a)
    worst = -fuse_a
    for base, command in zip(baseline_seen_a, commanded, strict=True):
        if command > 0:
            worst = max(worst, min(command, base + command - fuse_a))
    return worst
