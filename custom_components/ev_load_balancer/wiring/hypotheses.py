"""What a charger's step would do to the site meter under each possible wiring.

A hypothesis is a wiring (the site phase of each charger conductor) and, for
a charger that reports only its power, how many conductors the EV draws on
(L1 first: a 1-phase EV uses L1, a 2-phase one L1 and L2). For a charger that
reports every conductor the split is seen, so its hypotheses are wirings only.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations
import math

# How often an EV on a power-only charger draws on 1, 2 or 3 conductors
# (residential mix: most EVs are 3-phase or 1-phase; 2-phase ones are rare).
SPLIT_PRIOR = {1: 0.4, 2: 0.1, 3: 0.5}


@dataclass(frozen=True, slots=True)
class Hypothesis:
    """One way the charger may be wired, and the EV's split if it is latent."""

    wiring: tuple[int, ...]
    # Conductors the EV draws on (power-only chargers); 0: seen per conductor.
    split: int
    log_prior: float


def wirings(conductors: int, site_phases: int) -> tuple[tuple[int, ...], ...]:
    """Every wiring of `conductors` conductors to distinct site phases."""
    if conductors > site_phases:
        return ()
    return tuple(permutations(range(site_phases), conductors))


def hypotheses(
    conductors: int, site_phases: int, *, per_phase: bool
) -> tuple[Hypothesis, ...]:
    """The hypotheses for one charger; wirings in `wirings()` order."""
    if per_phase:
        return tuple(Hypothesis(w, 0, 0.0) for w in wirings(conductors, site_phases))
    splits = {s: p for s, p in SPLIT_PRIOR.items() if s <= conductors}
    total = sum(splits.values())
    return tuple(
        Hypothesis(w, split, math.log(prior / total))
        for w in wirings(conductors, site_phases)
        for split, prior in splits.items()
    )


def expected_deltas(
    hypothesis: Hypothesis,
    site_phases: int,
    conductor_deltas: tuple[float, ...],
    total_delta: float,
) -> list[float]:
    """The step each site phase shows if the hypothesis holds (A)."""
    expected = [0.0] * site_phases
    if hypothesis.split:
        share = total_delta / hypothesis.split
        for conductor in range(hypothesis.split):
            expected[hypothesis.wiring[conductor]] += share
    else:
        for phase, delta in zip(hypothesis.wiring, conductor_deltas, strict=True):
            expected[phase] += delta
    return expected
