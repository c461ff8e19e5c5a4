"""Who decides the limits in a simulation: the protocol, and our balancer behind it.

Other strategies (no control, static shares, first come first served) live with
the command-line simulator; they implement the same protocol so that every
strategy sees the same EVs, the same readings and the same delays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
import math
from typing import Protocol

from ..balancer import (
    Allocation,
    Balancer,
    BalancerSettings,
    ChargerInput,
    Reason,
    Site,
)

# Wake a hair after a timer expires so that the balancer sees it expired.
_TIMER_SLACK_S = 0.001
# Headroom kept out of the slack: the balancer rounds and holds estimates (A).
_SLACK_GUARD_A = 0.5
# Reasons that say the capacity, not the charger or the EV, set the limit.
_CAPACITY_BOUND = frozenset(
    {
        Reason.FAIR_SHARE,
        Reason.CAPPED_BY_PHASE,
        Reason.DEPARTURE,
        Reason.PAUSED_QUEUE,
        Reason.PAUSED_PRIORITY,
        Reason.PAUSED_OVERLOAD,
        Reason.FAILSAFE,
    }
)


class Controller(Protocol):
    """Turns one round of readings into a limit per charger (A, 0 = paused)."""

    name: str

    def allocate(
        self,
        now_s: float,
        site: Site,
        site_measured_a: Sequence[float],
        chargers: Sequence[ChargerInput],
    ) -> Mapping[str, float]:
        """Limits for every charger in `chargers`."""
        ...

    def next_wake_s(self, now_s: float) -> float:
        """When the controller wants another round for its own timers (or inf)."""
        ...

    def baseline_slack_a(self) -> tuple[float, ...] | None:
        """How far the baseline may move per phase without changing the last
        round's answer (None: any move may change it)."""
        ...


class BalancerController:
    """The integration's own balancer, exactly as the control loop calls it."""

    name = "ours"

    def __init__(self, settings: BalancerSettings | None = None) -> None:
        self.balancer = Balancer(settings)
        self._last: dict[str, float] = {}
        self._decreased_at: dict[str, float] = {}
        self._wake = math.inf
        self._slack: tuple[float, ...] | None = None
        # Rounds where the balancer's last-resort fuse check had to cut limits.
        self.safety_net_rounds = 0

    def allocate(
        self,
        now_s: float,
        site: Site,
        site_measured_a: Sequence[float],
        chargers: Sequence[ChargerInput],
    ) -> Mapping[str, float]:
        """One balancing round; remembers when a hold that binds runs out."""
        allocation = self.balancer.allocate(now_s, site, site_measured_a, chargers)
        if allocation.safety_net_used:
            self.safety_net_rounds += 1
        limits = {
            charger_id: limit.current_a
            for charger_id, limit in allocation.limits.items()
        }
        last, decreased_at = self._last, self._decreased_at
        for charger_id, current in limits.items():
            if current < last.get(charger_id, current):
                decreased_at[charger_id] = now_s
        # Only a hold that held a limit down this round can change the next
        # one by running out; the balancer reports those as HELD.
        hold_s = self.balancer.settings.hold_s
        self._wake = min(
            (
                decreased_at.get(charger_id, now_s) + hold_s + _TIMER_SLACK_S
                for charger_id, limit in allocation.limits.items()
                if limit.reason is Reason.HELD
            ),
            default=math.inf,
        )
        self._last = limits
        self._slack = _unconstrained_slack(allocation, chargers)
        return limits

    def next_wake_s(self, now_s: float) -> float:
        """When a hold that binds runs out (inf if none does)."""
        return self._wake if self._wake > now_s else math.inf

    def baseline_slack_a(self) -> tuple[float, ...] | None:
        """Headroom per phase while every EV gets its maximum, else None."""
        return self._slack


def _unconstrained_slack(
    allocation: Allocation, chargers: Sequence[ChargerInput]
) -> tuple[float, ...] | None:
    """Headroom per phase if the fuse did not bind anyone in this round.

    When no limit was set by the capacity (every EV got its maximum, or what
    reclaim or the hold time leave it) and nobody waits, a baseline that
    rises less than the headroom, or falls, leaves every limit as it is.
    """
    if allocation.queue or allocation.overloaded_phases or allocation.failsafe:
        return None
    for charger in chargers:
        limit = allocation.limits[charger.charger_id]
        if limit.reason in _CAPACITY_BOUND or (
            limit.reason is Reason.EV_FULL and not limit.current_a
        ):
            return None
    return tuple(max(0.0, value - _SLACK_GUARD_A) for value in allocation.headroom_a)


class UnlimitedController:
    """Every charger at its maximum, as if the fuse had no limit.

    The reference for what the EVs take by themselves: their own maximum,
    taper and delays, nothing held back for the fuse.
    """

    name = "unlimited"

    def __init__(self) -> None:
        self._phases = 0

    def allocate(
        self,
        now_s: float,
        site: Site,
        site_measured_a: Sequence[float],
        chargers: Sequence[ChargerInput],
    ) -> Mapping[str, float]:
        """Every charger at its maximum."""
        self._phases = site.phases
        return {charger.charger_id: charger.max_a for charger in chargers}

    def next_wake_s(self, now_s: float) -> float:
        """No timers."""
        return math.inf

    def baseline_slack_a(self) -> tuple[float, ...] | None:
        """The baseline never changes anything."""
        return (math.inf,) * self._phases if self._phases else None
