"""One balancing round: who competes, in which class, and what each one gets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .candidate import Candidate
from .departure import laxity_s, required_current_a
from .departure_plan import planned_currents
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
from .value_share import exchange_on_binding_phases, exchange_reason
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
    # A recent significant change is still being followed: raise nobody yet.
    increases_frozen: bool = False
    limits: dict[str, ChargerLimit] = field(default_factory=dict)
    queue: list[str] = field(default_factory=list)
    _classes: dict[int, list[Candidate]] = field(default_factory=dict)
    _full: list[Candidate] = field(default_factory=list)
    # The departure plans, kept by the engine from round to round.
    plans: PlanCache = field(default_factory=PlanCache)
    # Weight per capacity dimension of a charger loading the given site
    # phases; None: the site's phases are the dimensions (no circuits).
    weigh: Callable[[ChargerInput, tuple[int, ...]], tuple[int, ...]] | None = None
    # With circuits: the (start, end) dimensions of each fuse.
    fuses: tuple[tuple[int, int], ...] = ()

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
        weigh = self.weigh
        weights = (
            phase_weights(load_phases, self.site.phases)
            if weigh is None
            else weigh(charger, load_phases)
        )
        if self.overloaded and any(weights[p] for p in self.overloaded):
            self.limits[charger.charger_id] = ChargerLimit(
                0.0, Reason.PAUSED_OVERLOAD, load_phases
            )
            return
        candidate = self._candidate(charger, memory, load_phases, weights)
        if charger.wants_energy:
            self._classes.setdefault(charger.priority, []).append(candidate)
        else:
            self._full.append(candidate)

    def run(self) -> None:
        """Fill the classes from the highest priority down, then full EVs."""
        residual = self.site_capacity[:]
        for priority in sorted(self._classes, reverse=True):
            self._fill_class(self._classes[priority], residual, priority)
        self._top_up_full(residual)

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
        if self.increases_frozen or not memory.increase_allowed(charger, now, settings):
            held = current or 0.0
            if held < ceiling:
                ceiling, reason = held, Reason.HELD
        elif current is not None and settings.ramp_step_a > 0:
            step = max(current, charger.min_a) + settings.ramp_step_a
            if step < ceiling:
                ceiling, reason = step, Reason.HELD
        candidate = Candidate(charger, memory, load_phases, weights, ceiling, reason)
        if settings.strategy is Strategy.DEPARTURE:
            candidate.laxity_s = laxity_s(
                charger, len(load_phases), self.site.voltage_v, now
            )
        return candidate

    def _fill_class(
        self, candidates: list[Candidate], residual: list[float], priority: int
    ) -> None:
        settings = self.settings
        class_capacity = residual[:]
        planned: dict[str, float] = {}
        if settings.strategy is Strategy.DEPARTURE:
            planned = planned_currents(
                candidates,
                class_capacity,
                site=self.site,
                settings=settings,
                now=self.now,
                cache=self.plans,
                priority=priority,
                fuses=self.fuses,
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
            self._raise_floors_for_departure(admitted, residual, planned)
        fill = water_fill(
            class_capacity,
            [FillMember(c.weights, c.floor_a, c.ceiling_a) for c in admitted],
        )
        shares = exchange_on_binding_phases(
            admitted,
            fill,
            floor_ratio=settings.value_floor_ratio,
            voltage_v=self.site.voltage_v,
            now=self.now,
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
        for candidate, value, share, limit, stop in zip(
            admitted, fill.allocation, shares, stepped, fill.stopped_by, strict=True
        ):
            moved = exchange_reason(candidate, value, share)
            if moved is not None:
                reason = moved
            elif stop == BY_CEILING:
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
        self,
        admitted: list[Candidate],
        residual: list[float],
        planned: dict[str, float],
    ) -> None:
        """Least laxity first, give each EV what the plan says it needs now
        (at least the steady rate that makes it full on time)."""
        for candidate in sorted(admitted, key=lambda c: c.laxity_s):
            need = max(
                planned.get(candidate.charger.charger_id, 0.0),
                required_current_a(
                    candidate.charger,
                    len(candidate.load_phases),
                    self.site.voltage_v,
                    self.now,
                ),
            )
            room = min(
                (residual[p] / w for p, w in enumerate(candidate.weights) if w),
                default=0.0,
            )
            extra = min(min(need, candidate.ceiling_a) - candidate.floor_a, room)
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


def fixed_outcome(charger: ChargerInput) -> Reason | None:
    """The reason for chargers that get 0 A whatever the capacity, else None."""
    if charger.state is ChargerState.NO_EV:
        return Reason.NO_EV
    if charger.state is ChargerState.FAULTED:
        return Reason.FAULTED
    if not charger.controllable:
        return Reason.NOT_CONTROLLED
    return None
