"""The rest of the building: site current minus what the chargers draw."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
import math

# Each charger's wiring with its credited current per conductor (credit.py).
Credits = list[tuple[tuple[int, ...], tuple[float, ...]]]


@dataclass(frozen=True, slots=True)
class Baseline:
    """Per-phase non-EV current and the phases whose data did not add up."""

    current_a: tuple[float, ...]
    inconsistent_phases: tuple[int, ...]
    # Before clamping at 0: what a raise's ramp is measured against.
    raw_a: tuple[float, ...] = ()


def estimate_baseline(
    site_measured_a: tuple[float, ...],
    credited: Iterable[tuple[tuple[int, ...], tuple[float, ...]]],
    noise_a: float,
) -> Baseline:
    """Baseline per phase: the site meter minus the EVs' credited draw.

    `credited` pairs each charger's wiring with its credited current per
    conductor (see credit.py). A negative result beyond `noise_a` means the
    data disagree: it is clamped to 0 and flagged.
    """
    phase_count = len(site_measured_a)
    ev_draw = [0.0] * phase_count
    for wiring, draws in credited:
        for conductor, value in enumerate(draws):
            if value > 0:
                ev_draw[wiring[conductor]] += value
    raw = [site - ev for site, ev in zip(site_measured_a, ev_draw, strict=True)]
    inconsistent = tuple(p for p, value in enumerate(raw) if value < -noise_a)
    return Baseline(tuple(max(0.0, value) for value in raw), inconsistent, tuple(raw))


def no_ev_credited(credits: Credits) -> bool:
    """Whether no charger's draw is subtracted: the estimate is then the
    meter itself, at least the building's load whatever the chargers did
    since their readings."""
    return not any(value > 0 for _, draws in credits for value in draws)


class PeakHold:
    """The highest baseline in force per phase over a short window.

    Site and charger readings arrive at different moments; holding the peak for
    a few seconds keeps a momentary under-estimate from handing out current the
    building is still using. An estimate is in force from its round until the
    next round's replaces it, so the hold does not depend on how often rounds
    run: the meter seeing an EV step down before its charger reports it must
    not lower the baseline because the previous round was long ago.
    """

    def __init__(self, window_s: float) -> None:
        self.window_s = window_s
        self._samples: deque[tuple[float, tuple[float, ...]]] = deque()

    def update(
        self, now: float, sample: tuple[float, ...], *, upper_bound: bool = False
    ) -> tuple[float, ...]:
        """Add a sample; return the per-phase peak over the window.

        `upper_bound`: the sample cannot be an under-estimate (no EV load was
        subtracted, see no_ev_credited), so nothing before it needs holding:
        freed capacity is handed out at once, and the hold starts again here.
        """
        samples = self._samples
        if upper_bound:
            samples.clear()
        if samples and len(samples[0][1]) != len(sample):
            samples.clear()
        if samples and samples[-1][0] >= now:
            # Same moment (or a clock standing still): one sample, the peak of
            # both, so that the window stays small whatever the clock does.
            merged = tuple(
                max(a, b) for a, b in zip(samples[-1][1], sample, strict=True)
            )
            samples[-1] = (samples[-1][0], merged)
        else:
            samples.append((now, sample))
        # A sample stands until the next one replaces it: the oldest kept is
        # the one in force when the window opened, however sparse the rounds
        # (a round skipped must not shorten the hold).
        while len(samples) > 1 and samples[1][0] <= now - self.window_s:
            samples.popleft()
        return tuple(
            max(column) for column in zip(*(s for _, s in samples), strict=True)
        )

    def next_release_s(self) -> float:
        """When letting go of an estimate lowers the held baseline (inf: no
        estimate kept stands above the ones after it)."""
        samples = self._samples
        after: tuple[float, ...] | None = None
        release = math.inf
        # From the newest back: an estimate above every later one on some
        # phase lowers the hold when it goes, as its successor comes in + window.
        for index in range(len(samples) - 1, 0, -1):
            sample = samples[index][1]
            after = sample if after is None else tuple(map(max, sample, after))
            earlier = samples[index - 1][1]
            if any(e > a for e, a in zip(earlier, after, strict=True)):
                release = samples[index][0] + self.window_s
        return release

    def clear(self) -> None:
        """Forget the history (after a failsafe, data gaps are not held over)."""
        self._samples.clear()
