"""The balancer: one call per measurement turns readings into charger limits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
import math

from .allocation_round import AllocationRound
from .baseline import Credits, PeakHold, estimate_baseline, no_ev_credited
from .circuit import CircuitReading
from .credit import credited_draw, lowering_unclear
from .failsafe import failsafe_limits
from .memory import ChargerMemory
from .model import (
    Allocation,
    BalancerSettings,
    ChargerInput,
    Site,
)
from .phases import active_conductors
from .plan import PlanCache
from .ramp_evidence import RaisedCredit, evidenced_credits, raise_to_judge
from .safety import enforce_fuse, load_per_phase, stepped_limit
from .timers import next_change_s
from .tree_round import TreeMemory, TreeRound

_LEVEL_EPSILON_A = 1e-6


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """Restorable queue facts of one charger, as durations (clock-independent)."""

    waited_s: float | None
    served_s: float


class Balancer:
    """Stateful allocation engine for one site.

    State is what fairness over time needs: the last limits (hysteresis), queue
    turns, switch counts, reclaim caps and the phases each EV was seen using.
    `now` is passed in, so the engine is deterministic and testable.
    """

    def __init__(self, settings: BalancerSettings | None = None) -> None:
        self.settings = settings or BalancerSettings()
        self._memory: dict[str, ChargerMemory] = {}
        self._peak = PeakHold(self.settings.baseline_hold_s)
        self._building_peak = PeakHold(self.settings.baseline_hold_s)
        self._last_now = -math.inf
        self._next_change: float | None = None
        self._plans = PlanCache()
        self._circuits = TreeMemory()

    def configure(self, settings: BalancerSettings) -> None:
        """Apply new tunables; what was learnt, and the held baseline, is kept."""
        self.settings = settings
        self._next_change = None
        self._peak.window_s = settings.baseline_hold_s
        self._building_peak.window_s = settings.baseline_hold_s

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
        """Limits for every charger from one set of fresh measurements.

        `site_measured_at`: when the meter took `site_measured_a` (same clock
        as `now`; None: now). `circuit_readings`: the latest reading of each
        metered circuit of `site.circuits`; one missing, stale or incomplete
        puts that circuit's chargers to failsafe limits (tree_round.py).
        """
        now = self._monotonic(now)
        measured = tuple(float(value) for value in site_measured_a)
        _check_inputs(site, measured, chargers)
        settings = self.settings
        memories = self._memories_for(chargers)
        # One pass per charger: what it was seen doing, the conductors to
        # reserve for, and how much of its draw counts as EV load.
        conductor_sets: list[tuple[int, ...]] = []
        credits: Credits = []
        # The building's own load (the overload flag) credits an EV that may
        # still ramp down after our cut with its old draw: a cut is not the
        # building's. Sharing takes it to have followed (see credit.py).
        building_credits: Credits | None = None
        meter_at = now if site_measured_at is None else site_measured_at
        raised: list[RaisedCredit] = []
        for index, (charger, memory) in enumerate(zip(chargers, memories, strict=True)):
            memory.observe(charger, now)
            conductors = active_conductors(charger, memory.seen_conductors)
            conductor_sets.append(conductors)
            credit = credited_draw(
                charger,
                memory,
                now,
                settings,
                conductors,
                site_measured_at=site_measured_at,
                assume_followed=True,
            )
            credits.append((charger.wiring, credit))
            raise_seen = raise_to_judge(
                index,
                charger=charger,
                memory=memory,
                settings=settings,
                conductors=conductors,
                credit=credit,
                meter_at=meter_at,
            )
            if raise_seen is not None:
                raised.append(raise_seen)
            if lowering_unclear(memory, meter_at, settings):
                if building_credits is None:
                    building_credits = credits[:index]
                credit = credited_draw(
                    charger,
                    memory,
                    now,
                    settings,
                    conductors,
                    site_measured_at=site_measured_at,
                )
            if building_credits is not None:
                building_credits.append((charger.wiring, credit))
        if raised:
            full = credits
            credits = evidenced_credits(measured, credits, raised)
            if building_credits is not None:
                # Where the overload view credits the same, it is judged alike.
                building_credits = [
                    credits[i] if entry == full[i] else entry
                    for i, entry in enumerate(building_credits)
                ]
        baseline = estimate_baseline(measured, credits, settings.baseline_noise_a)
        building = (
            baseline
            if building_credits is None
            else estimate_baseline(
                measured, building_credits, settings.baseline_noise_a
            )
        )
        # The hold is for readings that lag each other: a charger's old draw
        # subtracted from a newer meter reading. With no draw subtracted there
        # is nothing to hold, and EVs that wait start at once.
        exact = no_ev_credited(credits)
        held_baseline = self._peak.update(now, baseline.current_a, upper_bound=exact)
        held_building = self._building_peak.update(
            now,
            building.current_a,
            upper_bound=exact
            if building_credits is None
            else no_ev_credited(building_credits),
        )
        available = [site.usable_a - value for value in held_baseline]
        overloaded = tuple(
            p for p, value in enumerate(held_building) if value > site.usable_a
        )
        if site.circuits:
            tree_round = TreeRound(
                tree=self._circuits.compiled(site),
                site=site,
                settings=settings,
                now=now,
                chargers=chargers,
                memories=memories,
            )
            return tree_round.allocate(
                memory=self._circuits,
                conductor_sets=conductor_sets,
                credits=credits,
                root=baseline,
                held_baseline=held_baseline,
                held_building=held_building,
                upper_bound=exact,
                readings=circuit_readings or {},
                plans=self._plans,
            )
        site_capacity = [max(0.0, value) for value in available]

        allocation_round = AllocationRound(
            site,
            settings,
            now,
            site_capacity,
            overloaded,
            increases_frozen=any(m.settling(now, settings) for m in memories),
            plans=self._plans,
        )
        for charger, memory, conductors in zip(
            chargers, memories, conductor_sets, strict=True
        ):
            allocation_round.add(charger, memory, conductors)
        allocation_round.run()
        limits = allocation_round.limits

        limits = {
            charger.charger_id: stepped_limit(limits[charger.charger_id], charger)
            for charger in chargers
        }
        safety_net_used = enforce_fuse(limits, chargers, site_capacity, site.phases)
        for charger, memory in zip(chargers, memories, strict=True):
            memory.record(
                limits[charger.charger_id].current_a, now, settings, baseline.raw_a
            )
        return Allocation(
            limits=limits,
            baseline_a=held_baseline,
            available_a=tuple(available),
            allocated_a=load_per_phase(limits, site.phases),
            overloaded_phases=overloaded,
            inconsistent_phases=baseline.inconsistent_phases,
            queue=tuple(allocation_round.queue),
            safety_net_used=safety_net_used,
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
        """Limits for when the meter cannot be trusted.

        Either every EV pauses, or the usable current minus a fixed reserve for
        the building is shared (see failsafe.py): charging EVs keep charging,
        never above the limit they had; waiting EVs get what is left.
        """
        now = self._monotonic(now)
        settings = self.settings
        _check_inputs(site, (0.0,) * site.phases, chargers)
        self._peak.clear()
        self._building_peak.clear()
        memories = self._memories_for(chargers)
        if site.circuits:
            for peak in self._circuits.peaks.values():
                peak.clear()
            return TreeRound(
                tree=self._circuits.compiled(site),
                site=site,
                settings=settings,
                now=now,
                chargers=chargers,
                memories=memories,
            ).failsafe(static_share=static_share, building_reserve_a=building_reserve_a)
        limits, capacity = failsafe_limits(
            site,
            chargers,
            memories,
            static_share=static_share,
            building_reserve_a=building_reserve_a,
        )
        limits = {
            c.charger_id: stepped_limit(limits[c.charger_id], c) for c in chargers
        }
        for charger, memory in zip(chargers, memories, strict=True):
            memory.record(limits[charger.charger_id].current_a, now, settings)
        return Allocation(
            limits=limits,
            baseline_a=(float(building_reserve_a),) * site.phases,
            available_a=tuple(capacity),
            allocated_a=load_per_phase(limits, site.phases),
            failsafe=True,
        )

    def next_change_s(self, now: float) -> float:
        """When a rule of the balancer may change its answer with the same
        readings (a hold or a turn running out; see timers.py), or inf."""
        # The moments change only with a round: asked between rounds (a host
        # looking for its next wake), the last answer holds while ahead.
        cached = self._next_change
        if cached is not None and cached > now:
            return cached
        holds = [self._peak, self._building_peak, *self._circuits.peaks.values()]
        cached = self._next_change = next_change_s(
            max(self._last_now, now),
            self._memory.values(),
            holds,
            self.settings,
            self._plans.next_replan_s(self.settings.plan_interval_s),
        )
        return cached

    def _monotonic(self, now: float) -> float:
        """Wall clocks step back (NTP, VMs); hold times must not run backwards."""
        self._next_change = None
        self._last_now = max(self._last_now, now)
        return self._last_now

    def queue_entries(self, now: float) -> dict[str, QueueEntry]:
        """Queue facts worth keeping across a restart."""
        now = max(self._last_now, now)
        return {
            charger_id: QueueEntry(
                None if memory.waiting_since is None else now - memory.waiting_since,
                memory.served_s,
            )
            for charger_id, memory in self._memory.items()
            if memory.waiting_since is not None or memory.served_s
        }

    def restore_queue(self, entries: dict[str, QueueEntry], now: float) -> None:
        """Put back queue facts saved before a restart."""
        self._next_change = None
        for charger_id, entry in entries.items():
            memory = self._memory.setdefault(charger_id, ChargerMemory())
            if entry.waited_s is not None:
                memory.waiting_since = now - entry.waited_s
            memory.served_s = entry.served_s

    def _memories_for(self, chargers: Sequence[ChargerInput]) -> list[ChargerMemory]:
        known = self._memory
        memories = []
        for charger in chargers:
            memory = known.get(charger.charger_id)
            if memory is None:
                memory = known[charger.charger_id] = ChargerMemory()
            memories.append(memory)
        # Ids are unique (checked), so more memories than chargers means some
        # chargers left: forget them.
        if len(known) > len(chargers):
            ids = {charger.charger_id for charger in chargers}
            for stale in [charger_id for charger_id in known if charger_id not in ids]:
                del known[stale]
        return memories


def _check_inputs(
    site: Site, measured: Sequence[float], chargers: Sequence[ChargerInput]
) -> None:
    if len(measured) != site.phases:
        raise ValueError(
            f"expected {site.phases} site phase readings, got {len(measured)}"
        )
    if any(not math.isfinite(value) for value in measured):
        raise ValueError("site readings must be finite numbers")
    ids = {charger.charger_id for charger in chargers}
    if len(ids) != len(chargers):
        seen: set[str] = set()
        for charger in chargers:
            if charger.charger_id in seen:
                raise ValueError(f"charger id {charger.charger_id!r} appears twice")
            seen.add(charger.charger_id)
    top = site.phases - 1
    for charger in chargers:
        wiring = charger.wiring
        if min(wiring) < 0 or max(wiring) > top:
            raise ValueError(f"{charger.charger_id}: wiring outside the site's phases")
