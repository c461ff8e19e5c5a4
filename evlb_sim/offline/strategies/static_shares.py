"""Static shares: every charger gets the same fixed limit, sized once.

This is load management without a meter: an installer splits the current
reserved for EVs by the number of chargers on each phase, so that all of them
at full power stay within the fuse. When the share is below the EV minimum
(6 A), nobody can charge: the garage has more chargers than a static scheme
can carry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
import math

from custom_components.ev_load_balancer.balancer import ChargerInput, Site
from custom_components.ev_load_balancer.sizing import ChargerSpec


def static_share_a(
    chargers: Sequence[ChargerSpec], budget_a: Sequence[float], step_a: float = 0.1
) -> float:
    """The per-charger limit that keeps every charger at full share within budget.

    `budget_a` is the current per site phase reserved for EVs. A three-phase
    charger loads each of its phases; a single-phase charger one.
    """
    on_phase = [0] * len(budget_a)
    for charger in chargers:
        for phase in set(charger.wiring):
            on_phase[phase] += 1
    shares = [
        budget / count
        for budget, count in zip(budget_a, on_phase, strict=True)
        if count
    ]
    if not shares:
        return 0.0
    share = max(0.0, min(shares))
    share = math.floor(share / step_a + 1e-9) * step_a
    if chargers and share < min(charger.min_a for charger in chargers):
        return 0.0
    return round(share, 6)


class StaticShares:
    """Every EV gets `share_a` (capped at its charger's maximum), always."""

    name = "static"

    def __init__(self, share_a: float) -> None:
        self.share_a = share_a
        self._phases = 0

    def allocate(
        self,
        now_s: float,
        site: Site,
        site_measured_a: Sequence[float],
        chargers: Sequence[ChargerInput],
    ) -> Mapping[str, float]:
        """The fixed share for every charger (0 when it is below the minimum)."""
        self._phases = site.phases
        limits: dict[str, float] = {}
        for charger in chargers:
            share = min(self.share_a, charger.max_a)
            limits[charger.charger_id] = share if share >= charger.min_a else 0.0
        return limits

    def next_wake_s(self, now_s: float) -> float:
        """No timers."""
        return math.inf

    def baseline_slack_a(self) -> tuple[float, ...] | None:
        """The baseline never changes anything."""
        return (math.inf,) * self._phases if self._phases else None
