"""Who gets a turn when there is not enough for every EV's minimum.

Inside a priority class the EV that has charged least since it plugged in goes
first (least laxity first with the departure strategy). A running EV keeps its
place until it has charged a whole rotation period more than the one waiting:
that hysteresis makes turns last a rotation period and stops EVs of equal
standing from swapping places every round. A waiting EV that has waited a whole
rotation period and still does not fit reserves what it needs on the phases
where it does not fit, so EVs behind it cannot keep taking that current: no
EV waits forever. Only its need is held back, not the whole phase, and not on
a phase where it would fit: a three-phase EV that L1 blocks leaves L3 to the
one-phase EVs there (holding L3 would not let it start; should L3 block it
later, the reservation moves there).

With the departure strategy, where a phase blocks a waiting EV that loads
more conductors, EVs that load fewer give it their places while they keep an
hour of slack (see `_make_room_for_more_conductors`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .candidate import Candidate
from .model import BalancerSettings, Reason, Strategy

# A swap of places must bring more than this multiple of the power it takes.
_SWAP_GAIN = 2.0


@dataclass(slots=True)
class Admission:
    """The outcome of admission for one priority class."""

    admitted: list[Candidate] = field(default_factory=list)
    # Waiting EVs in queue order, with the reason they wait.
    waiting: list[tuple[Candidate, Reason]] = field(default_factory=list)


def admission_order(
    candidates: Sequence[Candidate], now: float, settings: BalancerSettings
) -> list[Candidate]:
    """Candidates in the order they are offered their minimum."""
    departure_first = settings.strategy is Strategy.DEPARTURE
    protected: list[Candidate] = []
    others: list[Candidate] = []
    for candidate in candidates:
        memory = candidate.memory
        if memory.running and not memory.may_yield(now, settings):
            protected.append(candidate)
        else:
            others.append(candidate)

    def standing(candidate: Candidate) -> tuple[float, float, float]:
        memory = candidate.memory
        served = memory.served_s
        if memory.running:
            served -= settings.rotation_s
        since = memory.waiting_since
        urgency = candidate.laxity_s if departure_first else 0.0
        return (urgency, served, now if since is None else since)

    # Sorts are stable: ties keep the order the chargers were given in.
    others.sort(key=standing)
    return protected + others


def admit(
    ordered: Sequence[Candidate],
    residual: list[float],
    capacity: Capacities,
    now: float,
    settings: BalancerSettings,
) -> Admission:
    """Give each candidate its minimum in order while it fits; queue the rest.

    `residual` is consumed. An EV that would fit in what its class had but not
    in what is left waits its turn; one that would fit only without the higher
    classes is paused for priority.
    """
    result = Admission()
    # Per dimension, what waiting EVs that have waited a whole rotation need.
    reserved = [0.0] * len(residual)
    for candidate in ordered:
        charger = candidate.charger
        memory = candidate.memory
        running = memory.running
        needed = (
            charger.min_a if running else charger.min_a + settings.resume_headroom_a
        )
        # Held: its limit may not rise yet (hysteresis, settling, switch budget).
        held = candidate.ceiling_a < charger.min_a
        can_start = not held and (running or memory.resume_allowed(now, settings))
        fits_now = candidate.fits(residual, needed)
        beside_reserved = fits_now and (
            not any(reserved)
            or candidate.fits(
                [r - h for r, h in zip(residual, reserved, strict=True)], needed
            )
        )
        if can_start and beside_reserved:
            candidate.take(residual, charger.min_a)
            result.admitted.append(candidate)
            continue
        # The reason a user sees: capacity first; "held" only when it would fit.
        if held and fits_now:
            reason = candidate.ceiling_reason
        elif candidate.fits(capacity.class_a, needed):
            reason = Reason.PAUSED_QUEUE
            if (
                can_start
                and not running
                and _waited_s(candidate, now) >= settings.rotation_s
            ):
                # Held back only where it does not fit: on a phase it would
                # fit, an EV behind it may charge until that phase blocks it.
                blocking = [
                    (phase, weight)
                    for phase, weight in candidate.loaded
                    if residual[phase] - reserved[phase] < weight * needed
                ]
                for phase, weight in blocking:
                    reserved[phase] += weight * needed
        elif candidate.fits(capacity.site_a, needed):
            reason = Reason.PAUSED_PRIORITY
        else:
            reason = Reason.PAUSED_QUEUE
        result.waiting.append((candidate, reason))
    if settings.strategy is Strategy.DEPARTURE and result.waiting:
        _make_room_for_more_conductors(result, residual, now, settings)
    return result


def _make_room_for_more_conductors(
    result: Admission, residual: list[float], now: float, settings: BalancerSettings
) -> None:
    """Departure strategy: a waiting EV that loads more conductors takes the
    place of EVs that load fewer, where a phase they share blocks it.

    A three-phase EV at its minimum brings three times the power of a
    one-phase EV at its minimum on the same ampere of the blocking phase, and
    its other phases have room nobody else can use. The EVs that give way
    load only blocking phases, keep at least `yield_slack_s` of slack (they
    can still be full on time) and are resuming this round or may yield
    (switch budget). A swap must gain more than twice the power it takes:
    each one costs a pause and a ramp.
    """
    moved_in: list[Candidate] = []
    for waiting, reason in result.waiting:
        if reason is not Reason.PAUSED_QUEUE:
            continue
        chosen = _giving_way(waiting, result.admitted, residual, now, settings)
        if not chosen:
            continue
        for donor in chosen:
            result.admitted.remove(donor)
            result.waiting.append((donor, Reason.PAUSED_QUEUE))
            for phase, weight in donor.loaded:
                residual[phase] += weight * donor.charger.min_a
        waiting.take(residual, waiting.charger.min_a)
        result.admitted.append(waiting)
        moved_in.append(waiting)
    if moved_in:
        result.waiting = [(c, r) for c, r in result.waiting if c not in moved_in]


def _giving_way(
    waiting: Candidate,
    admitted: Sequence[Candidate],
    residual: list[float],
    now: float,
    settings: BalancerSettings,
) -> list[Candidate]:
    """The admitted EVs whose places let `waiting` start, or none."""
    charger, memory = waiting.charger, waiting.memory
    conductors = len(set(waiting.load_phases))
    if conductors < 2 or waiting.ceiling_a < charger.min_a:
        return []
    if not memory.running and not memory.resume_allowed(now, settings):
        return []
    needed = charger.min_a + (0.0 if memory.running else settings.resume_headroom_a)
    blocking = {p for p, w in waiting.loaded if residual[p] < w * needed}
    if not blocking or len(blocking) == len(waiting.loaded):
        return []
    waiting_phases = set(waiting.load_phases)
    donors = sorted(
        (
            d
            for d in admitted
            if len(set(d.load_phases)) < conductors
            and waiting_phases.issuperset(d.load_phases)
            and any(phase in blocking for phase, _ in d.loaded)
            and d.laxity_s >= settings.yield_slack_s
            and (not d.memory.running or d.memory.may_yield(now, settings))
        ),
        key=lambda d: -d.laxity_s,
    )
    trial = residual[:]
    chosen: list[Candidate] = []
    given = 0.0
    for donor in donors:
        if waiting.fits(trial, needed):
            break
        for phase, weight in donor.loaded:
            trial[phase] += weight * donor.charger.min_a
        chosen.append(donor)
        given += len(donor.load_phases) * donor.charger.min_a
    if not chosen or not waiting.fits(trial, needed):
        return []
    if conductors * charger.min_a <= _SWAP_GAIN * given:
        return []
    return chosen


@dataclass(frozen=True, slots=True)
class Capacities:
    """Per-phase capacity for EVs before any class, and before this class."""

    site_a: list[float]
    class_a: list[float]


def _waited_s(candidate: Candidate, now: float) -> float:
    since = candidate.memory.waiting_since
    return 0.0 if since is None else now - since
