"""Value exchange: on a binding phase, amperes go to the EVs that make most of them.

Max-min fair sharing gives every EV on a binding phase the same amperes. An
ampere on that phase brings a three-phase EV three times the power it brings a
one-phase EV, but only if the three-phase EV's other phases have room. So after
the fair fill, this moves current on each binding phase from EVs that load
fewer conductors (donors) to EVs that load more (receivers), as far as the
receivers' other phases, their ceilings and the donors' floors allow.

Who gives: only an EV whose departure and energy are known, and only what it
does not need to be full on time. An EV whose departure is unknown keeps its
fair share, so a site that tells no departures is shared exactly as before.

The fairness floor (the property the tests check): every EV keeps at least
its fair share if its departure is unknown, else at least the largest of its
minimum, `floor_ratio` x its fair share and `NEED_FACTOR` x the current it
needs to be full on time (never more than its fair share); nobody who charges
under fair sharing is paused. Power (sum of amperes x conductors) never
falls, and no phase carries more than its capacity. Where every EV on a
binding phase loads the same number of conductors, or no phase binds,
nothing moves.

Only EVs that load each of their phases once take part (a charger whose
conductors are bridged onto one phase keeps its fair share).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .candidate import Candidate
from .departure import required_current_a
from .model import Reason
from .waterfill import FillMember, FillResult, water_fill

# Slack below this (A) counts as a binding phase; moves below it are noise.
BINDING_A = 1e-6
# Halvings of the donors' cap: 32 A / 2**40 is far below any step.
_BISECTIONS = 40
# A donor keeps this multiple of the current that would make it full on time:
# it still competes later, and the last kWh come slower (taper).
NEED_FACTOR = 1.5


def exchange_on_binding_phases(
    admitted: Sequence[Candidate],
    fill: FillResult,
    *,
    floor_ratio: float,
    voltage_v: float,
    now: float,
) -> list[float]:
    """The fair fill of one priority class after the value exchange."""
    keep = [
        donor_keeps(c, fair, floor_ratio, voltage_v, now)
        for c, fair in zip(admitted, fill.allocation, strict=True)
    ]
    return exchange(
        fill.allocation,
        [c.weights for c in admitted],
        keep=keep,
        ceilings=[c.ceiling_a for c in admitted],
        slack=fill.residual,
        conductors=[site_conductors(c.load_phases) for c in admitted],
    )


def site_conductors(load_phases: tuple[int, ...]) -> int:
    """Site conductors an EV loads, 0 when it loads a phase twice (bridged)."""
    count = len(load_phases)
    return count if len(set(load_phases)) == count else 0


def donor_keeps(
    candidate: Candidate, fair: float, floor_ratio: float, voltage_v: float, now: float
) -> float:
    """The least an EV keeps of its fair share `fair` (see the module's floor)."""
    charger = candidate.charger
    if charger.departure is None or not charger.energy_wanted_kwh:
        return fair
    need = required_current_a(charger, len(candidate.load_phases), voltage_v, now)
    return min(fair, max(candidate.floor_a, floor_ratio * fair, NEED_FACTOR * need))


def exchange_reason(candidate: Candidate, fair: float, share: float) -> Reason | None:
    """Why an EV's share differs from its fair one; None when it does not."""
    if share < fair - BINDING_A:
        return Reason.CAPPED_BY_PHASE
    if share > fair + BINDING_A:
        if share >= candidate.ceiling_a - BINDING_A:
            return candidate.ceiling_reason
        return Reason.FAIR_SHARE
    return None


def exchange(
    allocation: Sequence[float],
    weights: Sequence[tuple[int, ...]],
    *,
    keep: Sequence[float],
    ceilings: Sequence[float],
    slack: Sequence[float],
    conductors: Sequence[int] | None = None,
) -> list[float]:
    """The allocation after the value exchange.

    `allocation` is the fair fill (every value within [floor, ceiling]),
    `keep` the least each EV gives down to, `slack` what the fill leaves per
    phase. `conductors`: site conductors each EV loads (0: bridged), when the
    weights have more dimensions than the site has phases (circuits); None:
    counted from the weights. Returns a new list.
    """
    result = list(allocation)
    if not any(value < BINDING_A for value in slack):
        return result
    if all(k >= value for k, value in zip(keep, allocation, strict=True)):
        return result
    if conductors is None:
        conductors = [sum(w) if max(w, default=0) == 1 else 0 for w in weights]
    state = _Exchange(
        result=result,
        residual=list(slack),
        weights=weights,
        ceilings=ceilings,
        keep=keep,
    )
    for phase, room in enumerate(slack):
        if room >= BINDING_A:
            continue
        on_phase = [i for i, w in enumerate(weights) if w[phase] and conductors[i]]
        # From the fewest conductors up: each class gives to every larger one.
        for donor_class in sorted({conductors[i] for i in on_phase}):
            donors = [
                i
                for i in on_phase
                if conductors[i] == donor_class and keep[i] < result[i]
            ]
            receivers = [i for i in on_phase if conductors[i] > donor_class]
            if donors and receivers:
                state.move(phase, donors, receivers)
    return result


@dataclass(slots=True, kw_only=True)
class _Exchange:
    """The allocation being changed, and what bounds each move."""

    result: list[float]
    residual: list[float]
    weights: Sequence[tuple[int, ...]]
    ceilings: Sequence[float]
    # Nobody gives below this (the fairness floor).
    keep: Sequence[float]

    def move(self, phase: int, donors: list[int], receivers: list[int]) -> None:
        """Move what the receivers can take on `phase` from the donors."""
        result, weights = self.result, self.weights
        available = sum(max(0.0, result[i] - self.keep[i]) for i in donors)
        if available < BINDING_A:
            return
        # The receivers share, fairly, what the donors can give on the binding
        # phase and the slack on their other phases.
        capacity = [max(0.0, value) for value in self.residual]
        capacity[phase] += available
        for i in receivers:
            for p, w in enumerate(weights[i]):
                capacity[p] += w * result[i]
        fill = water_fill(
            capacity,
            [FillMember(weights[i], result[i], self.ceilings[i]) for i in receivers],
        )
        taken = 0.0
        for i, value in zip(receivers, fill.allocation, strict=True):
            gained = value - result[i]
            if gained > 0:
                taken += gained
                self._add(i, gained)
        for i, given in _cut_from_the_top(result, donors, self.keep, taken):
            self._add(i, -given)

    def _add(self, index: int, amount: float) -> None:
        """Change one EV's share, keeping the residual per phase."""
        self.result[index] += amount
        for p, w in enumerate(self.weights[index]):
            self.residual[p] -= w * amount


def _cut_from_the_top(
    result: Sequence[float], donors: list[int], keep: Sequence[float], amount: float
) -> list[tuple[int, float]]:
    """Take at least `amount` from the donors, highest first (they stay
    max-min fair among themselves); returns what each one gave."""
    if amount <= 0:
        return []
    # The highest common cap at which the donors above it give `amount`.
    low, high = 0.0, max(result[i] for i in donors)
    for _ in range(_BISECTIONS):
        cap = (low + high) / 2
        if _given(result, donors, keep, cap) >= amount:
            low = cap
        else:
            high = cap
    cuts = []
    for i in donors:
        new = min(result[i], max(low, keep[i]))
        if new < result[i]:
            cuts.append((i, result[i] - new))
    return cuts


def _given(
    result: Sequence[float], donors: list[int], keep: Sequence[float], cap: float
) -> float:
    return sum(max(0.0, result[i] - max(cap, keep[i])) for i in donors)
