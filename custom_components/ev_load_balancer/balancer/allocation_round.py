"""One balancing round: who competes, in which class, and what each one gets."""

from __future__ import annotations

from dataclasses import dataclass, field

from .candidate import Candidate
from .departure import planned_evs
from .memory import ChargerMemory
from .model import (
    BalancerSettings,
    ChargerInput,
    ChargerLimit,
    ChargerState,
    Reason,
    Site,
    Strategy,
)
from .phases import phase_weights, site_phases
from .plan import PlanCache
from .queue import Capacities, admission_order, admit
from .safety import floor_to_step
from .value_share import value_exchange
from .waterfill import BY_CEILING, FillMember, water_fill

_LEVEL_EPSILON_A = 1e-6


@dataclass(slots=True)
class AllocationRound:
    """Shares `site_capacity` (per phase, after the baseline) in one round."""

    site: Site
    settings: BalancerSettings
    now: float
    site_capacity: list[float]
    overloaded: tuple[int, ...]
    # Per phase, what raises may fill: site_capacity less what EVs still
    # following a change may draw beyond their credit (see credit.py).
    raise_capacity: list[float] | None = None
    plans: PlanCache = field(default_factory=PlanCache)
    limits: dict[str, ChargerLimit] = field(default_factory=dict)
    queue: list[str] = field(default_factory=list)
    _classes: dict[int, list[Candidate]] = field(default_factory=dict)
    _full: list[Candidate] = field(default_factory=list)
    _candidates: list[Candidate] = field(default_factory=list)

    def add(
        self, charger: ChargerInput, memory: ChargerMemory, conductors: tuple[int, ...]
    ) -> None:
        """Enter one charger: decided at once, or a candidate for current.

        `conductors`: those its EV is taken to draw on (see phases.py).
        """
        fixed = fixed_outcome(charger)
        if fixed is not None:
            self.limits[charger.charger_id] = ChargerLimit(0.0, fixed, ())
            return
        load_phases = site_phases(charger, conductors)
        weights = phase_weights(load_phases, self.site.phases)
        if any(weights[p] for p in self.overloaded):
            self.limits[charger.charger_id] = ChargerLimit(
                0.0, Reason.PAUSED_OVERLOAD, load_phases
            )
            return
        candidate = self._candidate(charger, memory, load_phases, weights)
        self._candidates.append(candidate)
        if charger.wants_energy:
            self._classes.setdefault(charger.priority, []).append(candidate)
        else:
            self._full.append(candidate)

    def run(self) -> None:
        """Fill the classes from the highest priority down, then full EVs."""
        residual = self.site_capacity[:]
        self.plans.forget(list(self._classes))
        for priority in sorted(self._classes, reverse=True):
            self._fill_class(self._classes[priority], residual, priority)
        self._top_up_full(residual)
        if self.raise_capacity is not None:
            limit_raises(self.limits, self._candidates, self.raise_capacity)

    def _candidate(
        self,
        charger: ChargerInput,
        memory: ChargerMemory,
        load_phases: tuple[int, ...],
        weights: tuple[int, ...],
    ) -> Candidate:
        settings, now = self.settings, self.now
        ceiling, reason = charger.max_a, Reason.MAX_CURRENT
        reclaim = memory.update_reclaim(charger, now, settings)
        if reclaim is not None and reclaim < ceiling:
            ceiling, reason = reclaim, Reason.RECLAIMED
        current = memory.limit_a
        if not memory.increase_allowed(charger, now, settings):
            held = current or 0.0
            if held < ceiling:
                ceiling, reason = held, Reason.HELD
        elif current is not None and settings.ramp_step_a > 0:
            step = max(current, charger.min_a) + settings.ramp_step_a
            if step < ceiling:
                ceiling, reason = step, Reason.HELD
        return Candidate(charger, memory, load_phases, weights, ceiling, reason)

    def _fill_class(
        self, candidates: list[Candidate], residual: list[float], priority: int
    ) -> None:
        settings = self.settings
        class_capacity = residual[:]
        if settings.strategy is Strategy.DEPARTURE:
            planned_evs(
                candidates,
                class_capacity,
                site=self.site,
                settings=settings,
                now=self.now,
                cache=self.plans,
                priority=priority,
            )
        admission = admit(
            admission_order(candidates, self.now, settings),
            residual,
            Capacities(self.site_capacity, class_capacity),
            self.now,
            settings,
        )
        for candidate, reason in admission.waiting:
            self._set(candidate, 0.0, reason)
            self.queue.append(candidate.charger.charger_id)
        admitted = admission.admitted
        for candidate in admitted:
            candidate.floor_a = candidate.charger.min_a
        if settings.strategy is Strategy.DEPARTURE:
            self._raise_floors_for_departure(admitted, residual)
        members = [FillMember(c.weights, c.floor_a, c.ceiling_a) for c in admitted]
        fill = water_fill(class_capacity, members)
        shares = value_exchange(
            class_capacity, members, fill, settings.value_floor_ratio
        )
        # Round down to what each charger accepts now, so that lower classes
        # see the current that rounding frees.
        stepped = [
            floor_to_step(value, c.charger.step_a, c.charger.min_a)
            for c, value in zip(admitted, shares, strict=True)
        ]
        residual[:] = class_capacity
        for candidate, value in zip(admitted, stepped, strict=True):
            candidate.take(residual, value)
        level = max(
            (
                value
                for value, stop in zip(fill.allocation, fill.stopped_by, strict=True)
                if stop != BY_CEILING
            ),
            default=0.0,
        )
        for candidate, value, limit in zip(admitted, shares, stepped, strict=True):
            if value >= candidate.ceiling_a - _LEVEL_EPSILON_A:
                reason = candidate.ceiling_reason
            elif (
                candidate.floor_reason and value <= candidate.floor_a + _LEVEL_EPSILON_A
            ):
                reason = candidate.floor_reason
            elif value < level - _LEVEL_EPSILON_A:
                reason = Reason.CAPPED_BY_PHASE
            else:
                reason = Reason.FAIR_SHARE
            self._set(candidate, limit, reason)

    def _raise_floors_for_departure(
        self, admitted: list[Candidate], residual: list[float]
    ) -> None:
        """Earliest departure first, give each EV what the plan needs now."""
        for candidate in sorted(admitted, key=lambda c: c.urgency_s):
            if not candidate.plan_a:
                continue
            room = min(
                (residual[p] / w for p, w in enumerate(candidate.weights) if w),
                default=0.0,
            )
            target = min(candidate.plan_a, candidate.ceiling_a)
            extra = min(target - candidate.floor_a, room)
            if extra > 0:
                candidate.take(residual, extra)
                candidate.floor_a += extra
                candidate.floor_reason = Reason.DEPARTURE

    def _top_up_full(self, residual: list[float]) -> None:
        """EVs that stopped by themselves keep their minimum if it is spare."""
        admission = admit(
            self._full,
            residual,
            Capacities(self.site_capacity, residual[:]),
            self.now,
            self.settings,
        )
        for candidate in admission.admitted:
            self._set(candidate, candidate.charger.min_a, Reason.EV_FULL)
        for candidate, _ in admission.waiting:
            self._set(candidate, 0.0, Reason.EV_FULL)

    def _set(self, candidate: Candidate, current_a: float, reason: Reason) -> None:
        self.limits[candidate.charger.charger_id] = ChargerLimit(
            current_a, reason, candidate.load_phases
        )


def limit_raises(
    limits: dict[str, ChargerLimit],
    candidates: list[Candidate],
    raise_capacity: list[float],
) -> None:
    """Undo what this round's raises take beyond `raise_capacity`.

    Decreases stand. On each phase, the load with every raise undone must
    leave room for the raises. Where it does not, the raises of running EVs
    shrink first, by the same factor (an EV loading several phases takes the
    smallest); then EVs that would start wait, the last admitted first (a
    start below the EV's minimum is no start).
    """
    phase_count = len(raise_capacity)
    load = [0.0] * phase_count
    running_raised = [0.0] * phase_count
    running: list[tuple[Candidate, float, float]] = []
    starts: list[Candidate] = []
    for candidate in candidates:
        limit = limits.get(candidate.charger.charger_id)
        if limit is None:
            continue
        before = candidate.memory.limit_a or 0.0
        rise = limit.current_a - before
        for phase, weight in enumerate(candidate.weights):
            if weight:
                load[phase] += weight * limit.current_a
                if rise > 0 and before:
                    running_raised[phase] += weight * rise
        if rise > 0:
            if before:
                running.append((candidate, before, rise))
            else:
                starts.append(candidate)
    short = [max(0.0, load[p] - raise_capacity[p]) for p in range(phase_count)]
    if not any(value > 1e-9 for value in short):
        return
    factor = [
        1.0 - min(1.0, short[p] / running_raised[p]) if running_raised[p] else 1.0
        for p in range(phase_count)
    ]
    for candidate, before, rise in running:
        share = min(f for f, w in zip(factor, candidate.weights, strict=True) if w)
        if share >= 1.0:
            continue
        charger = candidate.charger
        current = floor_to_step(before + rise * share, charger.step_a, charger.min_a)
        current = max(current, before)
        _hold(limits, candidate, current, short)
    for candidate in reversed(starts):
        if any(short[p] > 1e-9 for p, w in enumerate(candidate.weights) if w):
            _hold(limits, candidate, 0.0, short)


def _hold(
    limits: dict[str, ChargerLimit],
    candidate: Candidate,
    current_a: float,
    short: list[float],
) -> None:
    """Hold a candidate at `current_a`, crediting what that frees to `short`."""
    charger_id = candidate.charger.charger_id
    freed = limits[charger_id].current_a - current_a
    for phase, weight in enumerate(candidate.weights):
        if weight:
            short[phase] -= weight * freed
    limits[charger_id] = ChargerLimit(current_a, Reason.HELD, candidate.load_phases)


def fixed_outcome(charger: ChargerInput) -> Reason | None:
    """The reason for chargers that get 0 A whatever the capacity, else None."""
    if charger.state is ChargerState.NO_EV:
        return Reason.NO_EV
    if charger.state is ChargerState.FAULTED:
        return Reason.FAULTED
    if not charger.controllable:
        return Reason.NOT_CONTROLLED
    return None
