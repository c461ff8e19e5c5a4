"""A charger's recent readings, and what it drew at a given moment.

A reading is a sample taken at one instant; between samples the charger's
draw is not known. Its draw at a meter reading's moment is known when the
samples from a little before that moment to the first one after it agree:
then nothing changed in between (or so little that it does not matter).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargerSample:
    """One reading of a charger, on the detector's clock."""

    taken_at: float
    # Per conductor (L1, L2, L3); for a power-only charger only the total counts.
    currents_a: tuple[float, ...]
    # Sum over the conductors (A): the power over the phase voltage.
    total_a: float
    # False: the charger reports its power only; the split over conductors is unknown.
    per_phase: bool
    # An EV is plugged in (a charging session is open).
    plugged: bool


@dataclass(frozen=True, slots=True)
class DrawAt:
    """A charger's draw at one moment, and how sure that is."""

    currents_a: tuple[float, ...]
    total_a: float
    # Half the spread of the samples around that moment (A): 0 when they agree.
    spread_a: float
    session: int


class SampleHistory:
    """The last minutes of one charger's samples, in time order."""

    def __init__(self, keep_s: float) -> None:
        self._keep_s = keep_s
        self._samples: deque[tuple[ChargerSample, int]] = deque()
        self.session = 0
        self._plugged = False
        # When a sample last differed from the one before it.
        self.changed_at = -float("inf")

    @property
    def latest(self) -> ChargerSample | None:
        return self._samples[-1][0] if self._samples else None

    def add(self, sample: ChargerSample) -> bool:
        """Keep a new sample; False when it is not newer than the last one."""
        samples = self._samples
        if samples and sample.taken_at <= samples[-1][0].taken_at:
            return False
        if sample.plugged and not self._plugged:
            self.session += 1  # a new EV: the split of a power-only one may change
        self._plugged = sample.plugged
        if samples and (
            samples[-1][0].currents_a != sample.currents_a
            or samples[-1][0].total_a != sample.total_a
        ):
            self.changed_at = sample.taken_at
        samples.append((sample, self.session))
        while (
            len(samples) > 2 and samples[1][0].taken_at < sample.taken_at - self._keep_s
        ):
            samples.popleft()
        return True

    def steady_since(self, moment: float) -> bool:
        """Whether every sample since a sample older than `moment` is the same."""
        return (
            bool(self._samples)
            and self._samples[0][0].taken_at <= moment
            and self.changed_at <= moment
        )

    def draw_at(self, moment: float, guard_s: float) -> DrawAt | None:
        """The draw at `moment`, from the samples between `moment - guard_s`
        and the first one at or after `moment` (the latest when none is later).

        None when no sample is that old.
        """
        before: tuple[ChargerSample, int] | None = None
        window: list[tuple[ChargerSample, int]] = []
        for entry in self._samples:
            taken = entry[0].taken_at
            if taken <= moment - guard_s:
                before = entry
                continue
            window.append(entry)
            if taken >= moment:
                break
        if before is None:
            return None
        window.insert(0, before)
        totals = [sample.total_a for sample, _ in window]
        spread = (max(totals) - min(totals)) / 2.0
        for sample, _ in window:
            for a, b in zip(sample.currents_a, before[0].currents_a, strict=False):
                spread = max(spread, abs(a - b) / 2.0)
        first = before[0]
        return DrawAt(first.currents_a, first.total_a, spread, before[1])
