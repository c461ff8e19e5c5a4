"""The lowest flat level of site power under which every EV still gets its energy.

Time from now to the last deadline is cut into slots (clock quarter hours);
under a level L each slot offers L minus the forecast baseline to the EVs
present, each at most its own maximum. The EVs are served earliest deadline
first; L is feasible when every EV gets its energy by its deadline. The
lowest feasible L (bisection) spreads the night's charging flat over the
hours with the lowest baseline.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

SLOT_S = 900.0
HORIZON_S = 36 * 3600.0
_ITERATIONS = 24


@dataclass(frozen=True, slots=True)
class EvNeed:
    """What one connected EV still needs."""

    energy_kwh: float
    deadline_s: float  # wall clock
    max_kw: float


def planned_level_kw(
    now_s: float,
    needs: Sequence[EvNeed],
    baseline_kw: Callable[[float], float],
    ceiling_kw: float,
) -> float:
    """The lowest site power (kW) that meets every need, at most the ceiling."""
    # What an EV cannot take by its deadline even at its maximum is no reason
    # to raise the level: it gets its maximum whatever the level.
    needs = sorted(
        (
            EvNeed(
                min(n.energy_kwh, n.max_kw * (n.deadline_s - now_s) / 3600.0),
                n.deadline_s,
                n.max_kw,
            )
            for n in needs
            if n.energy_kwh > 0 and n.max_kw > 0 and n.deadline_s > now_s
        ),
        key=lambda n: n.deadline_s,
    )
    if not needs:
        return 0.0
    end = min(now_s + HORIZON_S, max(n.deadline_s for n in needs))
    slots: list[tuple[float, float, float]] = []
    time_s = now_s
    while time_s < end:
        until = min(end, (time_s // SLOT_S + 1) * SLOT_S)
        slots.append((time_s, until, baseline_kw(time_s)))
        time_s = until
    if not slots:
        return ceiling_kw

    def feasible(level: float) -> bool:
        left = [n.energy_kwh for n in needs]
        for start, until, base in slots:
            hours = (until - start) / 3600.0
            room = max(0.0, level - base) * hours
            for i, need in enumerate(needs):
                if room <= 0:
                    break
                if left[i] <= 0 or need.deadline_s <= start:
                    continue
                take = min(left[i], need.max_kw * hours, room)
                left[i] -= take
                room -= take
        # Deadlines past the horizon: what remains may still come later.
        return all(
            remaining <= 1e-6 or need.deadline_s > end
            for remaining, need in zip(left, needs, strict=True)
        )

    if not feasible(ceiling_kw):  # the baseline alone is above the ceiling
        return ceiling_kw
    low, high = 0.0, ceiling_kw
    for _ in range(_ITERATIONS):
        middle = (low + high) / 2
        if feasible(middle):
            high = middle
        else:
            low = middle
    return high
