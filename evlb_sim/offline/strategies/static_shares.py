"""Static shares: a fixed limit per charger, sized once by an installer.

This is load management without a meter: the installer splits the current
reserved for EVs among the chargers on each phase, so that all of them at full
power stay within the fuse. Where that share would be below the EV minimum
(6 A), the installer enables only as many chargers as get at least the
minimum, in the order they are installed; the others stay off. A site with
more chargers than a static scheme carries thus serves some of its EVs, not
none of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
import math

from custom_components.ev_load_balancer.balancer import ChargerInput, Site
from custom_components.ev_load_balancer.sizing import ChargerSpec


@dataclass(frozen=True, slots=True)
class StaticPlan:
    """The installer's plan: one share for the chargers that are enabled."""

    share_a: float
    enabled: frozenset[str]

    @property
    def note(self) -> str:
        """How the plan reads in a report."""
        if not self.enabled:
            return "no charger gets its minimum: nobody charges"
        return f"{self.share_a:.1f} A on {len(self.enabled)} charger(s)"


def static_plan(
    chargers: Sequence[ChargerSpec], budget_a: Sequence[float], step_a: float = 0.1
) -> StaticPlan:
    """The largest prefix of `chargers` whose equal share is at least their minimum.

    `budget_a` is the current per site phase reserved for EVs. A three-phase
    charger loads each of its phases; a single-phase charger one. The share is
    the budget over the chargers on the busiest phase, rounded down to the
    step and capped at the largest charger maximum.
    """
    on_phase = [0] * len(budget_a)
    enabled: list[ChargerSpec] = []
    share = 0.0
    for charger in chargers:
        trial = on_phase[:]
        for phase in set(charger.wiring):
            trial[phase] += 1
        trial_share = _share(budget_a, trial, step_a)
        minimum = max(c.min_a for c in [*enabled, charger])
        if trial_share < minimum:
            break
        on_phase, share = trial, trial_share
        enabled.append(charger)
    if enabled:
        share = min(share, max(c.max_a for c in enabled))
    return StaticPlan(round(share, 6), frozenset(c.charger_id for c in enabled))


def _share(budget_a: Sequence[float], on_phase: Sequence[int], step_a: float) -> float:
    shares = [
        budget / count
        for budget, count in zip(budget_a, on_phase, strict=True)
        if count
    ]
    if not shares:
        return 0.0
    return math.floor(max(0.0, min(shares)) / step_a + 1e-9) * step_a


class StaticShares:
    """Every enabled charger gets the plan's share (capped at its maximum), always."""

    name = "static"

    def __init__(self, plan: StaticPlan) -> None:
        self.plan = plan
        self._phases = 0

    def allocate(
        self,
        now_s: float,
        site: Site,
        site_measured_a: Sequence[float],
        chargers: Sequence[ChargerInput],
    ) -> Mapping[str, float]:
        """The fixed share for every enabled charger, 0 for the others."""
        self._phases = site.phases
        limits: dict[str, float] = {}
        for charger in chargers:
            share = min(self.plan.share_a, charger.max_a)
            enabled = charger.charger_id in self.plan.enabled
            limits[charger.charger_id] = (
                share if enabled and share >= charger.min_a else 0.0
            )
        return limits

    def next_wake_s(self, now_s: float) -> float:
        """No timers."""
        return math.inf

    def baseline_slack_a(self) -> tuple[float, ...] | None:
        """The baseline never changes anything."""
        return (math.inf,) * self._phases if self._phases else None
