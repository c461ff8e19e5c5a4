"""Who decides the limits in a replay: our balancer, or a strategy to compare.

Every strategy runs inside the same control loop (loop/): the same meter
readings, charger reports, command links, failsafe and timing. "Ours" is the
loop with its own balancer; the others (no control, static shares, first come
first served, unlimited) plug into the loop as its allocator.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
import math
from typing import Protocol

from ..balancer import (
    Allocation,
    BalancerSettings,
    ChargerInput,
    ChargerLimit,
    ChargerState,
    CircuitReading,
    QueueEntry,
    Reason,
    Site,
)
from ..balancer.safety import load_per_phase
from ..loop import ChargerReport, RoundTime, SiteRuntime
from ..loop.allocator import Allocator, everyone_paused
from ..meter.base import MeterReading

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
    """A strategy other than ours: one round of readings to a limit per charger."""

    name: str

    def allocate(
        self,
        now_s: float,
        site: Site,
        site_measured_a: Sequence[float],
        chargers: Sequence[ChargerInput],
    ) -> Mapping[str, float]:
        """Limits (A, 0 = paused) for every charger in `chargers`."""
        ...

    def next_wake_s(self, now_s: float) -> float:
        """When the controller wants another round for its own timers (or inf)."""
        ...

    def baseline_slack_a(self) -> tuple[float, ...] | None:
        """How far the baseline may move per phase without changing the last
        round's answer (None: any move may change it)."""
        ...


class Strategy(Protocol):
    """What the replay needs of a strategy besides the loop itself."""

    name: str
    # The strategy ignores the fuse altogether: the loop must not take its
    # meter for absurd when the EVs draw many times the fuse.
    ignores_fuse: bool
    # Chargers that can switch 1p/3p do so (the loop's hook); False: they
    # stay on three phases.
    switches_phases: bool

    @property
    def settings(self) -> BalancerSettings: ...

    def allocator(self) -> Allocator | None:
        """The loop's allocator (None: the loop's own balancer)."""
        ...

    def before_round(
        self,
        time: RoundTime,
        reading: MeterReading | None,
        reports: Mapping[str, ChargerReport],
        runtime: SiteRuntime,
    ) -> None:
        """What a host does before each round (peak shaving sets the site limit)."""
        ...

    def observe(self, now_s: float, allocation: Allocation | None) -> None:
        """What the loop decided this round."""
        ...

    def next_wake_s(self, now_s: float) -> float: ...

    def baseline_slack_a(self) -> tuple[float, ...] | None: ...


class BalancerController:
    """The integration's own balancer, as the control loop runs it."""

    name = "ours"
    ignores_fuse = False

    def __init__(
        self,
        settings: BalancerSettings | None = None,
        *,
        switches_phases: bool = True,
        name: str = "ours",
    ) -> None:
        self._settings = settings or BalancerSettings()
        self.switches_phases = switches_phases
        self.name = name
        self._slack: tuple[float, ...] | None = None
        # Rounds where the balancer's last-resort fuse check had to cut limits.
        self.safety_net_rounds = 0

    @property
    def settings(self) -> BalancerSettings:
        return self._settings

    def allocator(self) -> Allocator | None:
        return None

    def before_round(
        self,
        time: RoundTime,
        reading: MeterReading | None,
        reports: Mapping[str, ChargerReport],
        runtime: SiteRuntime,
    ) -> None:
        return None

    def observe(self, now_s: float, allocation: Allocation | None) -> None:
        """Remember the slack (the balancer names its own timers to the loop:
        Balancer.next_change_s)."""
        if allocation is None:
            self._slack = None
            return
        if allocation.safety_net_used:
            self.safety_net_rounds += 1
        self._slack = _unconstrained_slack(allocation)

    def next_wake_s(self, now_s: float) -> float:
        """None of its own: the loop asks the balancer (ControlLoop.next_due_s)."""
        return math.inf

    def baseline_slack_a(self) -> tuple[float, ...] | None:
        """Headroom per phase while every EV gets its maximum, else None."""
        return self._slack


class ControllerStrategy:
    """Another strategy, plugged into the loop as its allocator."""

    def __init__(self, controller: Controller, *, ignores_fuse: bool = False) -> None:
        self.controller = controller
        self.name = controller.name
        self.ignores_fuse = ignores_fuse
        # Every charger stays on three phases: the hook's room (what is left
        # per phase) comes from our balancer's allocation.
        self.switches_phases = False
        self._settings = BalancerSettings()

    @property
    def settings(self) -> BalancerSettings:
        return self._settings

    def allocator(self) -> Allocator:
        return ControllerAllocator(self.controller)

    def before_round(
        self,
        time: RoundTime,
        reading: MeterReading | None,
        reports: Mapping[str, ChargerReport],
        runtime: SiteRuntime,
    ) -> None:
        return None

    def observe(self, now_s: float, allocation: Allocation | None) -> None:
        return None

    def next_wake_s(self, now_s: float) -> float:
        return self.controller.next_wake_s(now_s)

    def baseline_slack_a(self) -> tuple[float, ...] | None:
        return self.controller.baseline_slack_a()


class ControllerAllocator:
    """A Controller in the shape the loop asks for (loop/allocator.py)."""

    def __init__(self, controller: Controller) -> None:
        self._controller = controller
        self._settings = BalancerSettings()

    @property
    def settings(self) -> BalancerSettings:
        return self._settings

    def configure(self, settings: BalancerSettings) -> None:
        self._settings = settings

    def allocate(
        self,
        now: float,
        site: Site,
        site_measured_a: Sequence[float],
        chargers: Sequence[ChargerInput],
        *,
        site_measured_at: float | None = None,
        circuit_readings: Mapping[str, CircuitReading] | None = None,
    ) -> Allocation:
        # The strategies we compare with know one fuse: circuits are ours.
        # As for the balancer, a charger without an EV gets 0 A whatever happens.
        plugged = [c for c in chargers if c.state is not ChargerState.NO_EV]
        limits = (
            self._controller.allocate(now, site, site_measured_a, plugged)
            if plugged
            else {}
        )
        decided = {
            charger.charger_id: ChargerLimit(0.0, Reason.NO_EV, ())
            for charger in chargers
        }
        for charger in plugged:
            limit = limits.get(charger.charger_id, 0.0)
            reason = Reason.FAIR_SHARE if limit else Reason.PAUSED_QUEUE
            decided[charger.charger_id] = ChargerLimit(limit, reason, charger.wiring)
        return Allocation(
            limits=decided,
            baseline_a=(0.0,) * site.phases,
            available_a=(site.usable_a,) * site.phases,
            allocated_a=load_per_phase(decided, site.phases),
        )

    def failsafe(
        self,
        now: float,
        site: Site,
        chargers: Sequence[ChargerInput],
        *,
        static_share: bool,
        building_reserve_a: float,
    ) -> Allocation:
        return everyone_paused(site, chargers)

    def queue_entries(self, now: float) -> dict[str, QueueEntry]:
        return {}

    def next_change_s(self, now: float) -> float:
        # The controller's own timers come through the strategy (next_wake_s).
        return math.inf

    def restore_queue(self, entries: dict[str, QueueEntry], now: float) -> None:
        return None


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


def as_strategy(controller: BalancerController | Controller | None) -> Strategy:
    """The replay's view of whatever decides the limits."""
    if controller is None:
        return BalancerController()
    if isinstance(controller, BalancerController):
        return controller
    return ControllerStrategy(
        controller, ignores_fuse=isinstance(controller, UnlimitedController)
    )


def _unconstrained_slack(allocation: Allocation) -> tuple[float, ...] | None:
    """Headroom per phase if the fuse did not bind anyone in this round.

    When no limit was set by the capacity (every EV got its maximum, or what
    reclaim or the hold time leave it) and nobody waits, a baseline that
    rises less than the headroom, or falls, leaves every limit as it is.
    """
    if allocation.queue or allocation.overloaded_phases or allocation.failsafe:
        return None
    for limit in allocation.limits.values():
        if limit.reason in _CAPACITY_BOUND or (
            limit.reason is Reason.EV_FULL and not limit.current_a
        ):
            return None
    return tuple(max(0.0, value - _SLACK_GUARD_A) for value in allocation.headroom_a)
