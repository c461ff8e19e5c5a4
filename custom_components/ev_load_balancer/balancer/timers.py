"""When the balancer's answer may change by itself, with the same readings.

Its rules run on time as well as on readings: a hold runs out, a settling
ends, a queue turn comes round, a held baseline is let go, a plan gets old.
A host that skips rounds while nothing is read (the simulator does) must
still run one at each of these moments, or its figures are not the ones of a
host that runs every tick (Home Assistant). At some of them nothing changes.
The credit windows (credit.py) run on the readings' clocks, so a new reading
brings their round; the departure strategy's urgency moves continuously, and
its plan's re-plan interval stands for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
import math

from .baseline import PeakHold
from .memory import HOUR_S, ChargerMemory
from .model import BalancerSettings


def next_change_s(
    now: float,
    memories: Iterable[ChargerMemory],
    holds: Iterable[PeakHold],
    settings: BalancerSettings,
    replan_at: float = math.inf,
) -> float:
    """The first of those moments after `now` (inf: none)."""
    soonest = replan_at if replan_at > now else math.inf
    for hold in holds:
        release = hold.next_release_s()
        if now < release < soonest:
            soonest = release
    waiting_served = math.inf
    running: list[ChargerMemory] = []
    for memory in memories:
        for moment in _memory_moments(memory, settings):
            if now < moment < soonest:
                soonest = moment
        if memory.running:
            running.append(memory)
        elif memory.waiting_since is not None:
            waiting_served = min(waiting_served, memory.served_s)
    # A running EV stands behind a waiting one once it has been served a
    # rotation more (queue.admission_order): its turn ends then.
    if math.isfinite(waiting_served):
        for memory in running:
            # served_s counts up to its last round (seen_at).
            seen = now if memory.seen_at is None else memory.seen_at
            turn_ends = seen + waiting_served + settings.rotation_s - memory.served_s
            if now < turn_ends < soonest:
                soonest = turn_ends
    return soonest


def _memory_moments(
    memory: ChargerMemory, settings: BalancerSettings
) -> Iterator[float]:
    # These run on the round's clock.
    yield memory.decreased_at + settings.hold_s
    yield memory.changed_at + memory.increase_interval_s
    yield max(memory.raised_at, memory.cut_at) + settings.follow_s
    if memory.below_since is not None:
        yield max(memory.changed_at, memory.below_since) + settings.reclaim_delay_s
    if memory.reclaim_cap_a is not None:
        yield memory.reclaim_set_at + settings.probe_interval_s
    if len(memory.switches) >= settings.max_switches_per_hour:
        # The budget is spent: it frees when the oldest switch is an hour old.
        yield memory.switches[0] + HOUR_S
    if memory.waiting_since is not None:
        yield memory.waiting_since + settings.rotation_s
