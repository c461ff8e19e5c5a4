"""How much of an unconfirmed raise the site meter shows.

While a raise is unconfirmed (credit.py), the EV is credited with its ramp, so
that its ramp on the meter does not look like the building's. A building load
that starts in those seconds would hide under that credit (seen in the
simulator: a three-phase EV hid a 9 A coffee machine on L1, and the limits went
6 A above the fuse). Where the EV loads more than one phase, the meter tells
the two apart: the EV's ramp shows on every phase it loads, a building load
seldom does. The ramp is credited only as far as the meter's rise since the
raise shows it, on the median of the EV's phases, so one phase's building
change does not decide. An EV whose phases are not known (no reading of
this session showed it drawing on all it is credited on: a start, a charger
that reports power only) may load only the first of the conductors it is
reserved for: each conductor is credited as far as the rise
on its phase shows, and no further than the conductor before it (a 1-phase EV
draws on the connector's first conductor).

The rise on a phase is the building estimate with the raises credited, less
the estimate of when the EV was at its base: what the meter has seen of the
raised EVs' ramps beyond their readings (with the building's own change).
EVs that share a phase share its rise in proportion to their raises, the EVs
whose phases are known first, those on the most phases before the others;
each takes its part out before the next.

Limits: a building rise shaped like a ramp (on a 1-phase EV's phase, on all
three phases at once) still hides under the credit, by at most the raise
(README, known limitations). An EV that ramped while the building fell on
most of its phases is credited less than it draws: the building is then
over-estimated for a few seconds, the fuse's side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from .baseline import Credits
from .credit import credited_draw, unconfirmed_raise
from .memory import ChargerMemory
from .model import BalancerSettings, ChargerInput


@dataclass(frozen=True, slots=True)
class RaisedCredit:
    """One EV whose credit includes an unconfirmed raise."""

    # Its place in the round's credits.
    index: int
    # Its credit with the raise and without it, per charger conductor (A).
    full_a: tuple[float, ...]
    without_a: tuple[float, ...]
    # The site's raw building estimate while it was at its base (A per phase).
    reference_a: tuple[float, ...]
    # Whether it was seen drawing on every conductor it is credited on.
    phases_known: bool = True


def raise_to_judge(
    index: int,
    *,
    charger: ChargerInput,
    memory: ChargerMemory,
    settings: BalancerSettings,
    conductors: tuple[int, ...],
    credit: tuple[float, ...],
    meter_at: float,
) -> RaisedCredit | None:
    """The EV's raise credit to set against the meter, or None (no raise in
    its credit, or none with a known reference)."""
    raised = unconfirmed_raise(charger, memory, settings, meter_at)
    if raised is None or raised.reference_a is None:
        return None
    without = credited_draw(
        charger,
        memory,
        meter_at,
        settings,
        conductors,
        site_measured_at=meter_at,
        assume_followed=True,
        raise_credit=False,
    )
    credited = {
        c for c, (f, w) in enumerate(zip(credit, without, strict=True)) if f > w
    }
    if not credited:
        return None  # the raise credits nothing beyond the reading
    # Known: seen drawing on every conductor it is credited on. A charger
    # that reports power only has every conductor reserved and one seen.
    known = credited <= memory.seen_conductors
    return RaisedCredit(index, credit, without, raised.reference_a, known)


def evidenced_credits(
    site_measured_a: Sequence[float],
    credits: Credits,
    raised: Sequence[RaisedCredit],
) -> Credits:
    """`credits` with each raise credited as far as the meter shows it."""
    phase_count = len(site_measured_a)
    result = list(credits)
    estimate = list(site_measured_a)
    for wiring, draws in credits:
        for conductor, value in enumerate(draws):
            if value > 0:
                estimate[wiring[conductor]] -= value
    judged = [r for r in raised if len(r.reference_a) == phase_count]
    hidden = {r.index: _hidden(r) for r in judged}
    # Per phase, the raises not judged yet: all of them, and those of EVs
    # whose phases are known (the rise is theirs first: their evidence is
    # the clearest, and an unknown EV may not load the phase at all).
    pending = [0.0] * phase_count
    pending_known = [0.0] * phase_count
    for r in judged:
        wiring = credits[r.index][0]
        for conductor, value in enumerate(hidden[r.index]):
            pending[wiring[conductor]] += value
            if r.phases_known:
                pending_known[wiring[conductor]] += value
    judged.sort(
        key=lambda r: (not r.phases_known, -len(_phases(r, credits, hidden)), r.index)
    )
    for r in judged:
        wiring = credits[r.index][0]
        # What the meter's rise leaves to explain on each phase, against
        # what the EVs of its kind still to be judged may have ramped by.
        among = pending_known if r.phases_known else pending
        shown = {
            p: min(
                1.0,
                max(0.0, (estimate[p] - r.reference_a[p] + pending[p]) / among[p]),
            )
            for p in _phases(r, credits, hidden)
        }
        if r.phases_known:
            shown = dict.fromkeys(shown, median(shown.values()))
        part = _conductor_parts(r, wiring, hidden[r.index], shown)
        # Never above the credit with the raise (a conductor it credits less
        # than the reading keeps that).
        credit = tuple(
            min(full, base + value * share)
            for full, base, value, share in zip(
                r.full_a, r.without_a, hidden[r.index], part, strict=True
            )
        )
        for conductor, value in enumerate(hidden[r.index]):
            phase = wiring[conductor]
            pending[phase] -= value
            if r.phases_known:
                pending_known[phase] -= value
            # Credited less: the estimate holds the rest as building load.
            estimate[phase] += value * (1.0 - part[conductor])
        result[r.index] = (wiring, credit)
    return result


def _conductor_parts(
    raised: RaisedCredit,
    wiring: tuple[int, ...],
    hidden: tuple[float, ...],
    shown: dict[int, float],
) -> list[float]:
    """The share of its raise credited on each charger conductor.

    An EV of unknown phases loads the connector's first conductor, then the
    second, then the third (a 1-phase EV draws on the first): a conductor is
    credited no more than the meter shows on the one before.
    """
    parts: list[float] = []
    running = 1.0
    for conductor, value in enumerate(hidden):
        if value <= 0:
            parts.append(0.0)
            continue
        share = shown[wiring[conductor]]
        if not raised.phases_known:
            running = share = min(running, share)
        parts.append(share)
    return parts


def _hidden(raised: RaisedCredit) -> tuple[float, ...]:
    """The raise's part of the credit per conductor."""
    return tuple(
        max(0.0, full - without)
        for full, without in zip(raised.full_a, raised.without_a, strict=True)
    )


def _phases(
    raised: RaisedCredit, credits: Credits, hidden: dict[int, tuple[float, ...]]
) -> list[int]:
    """The site phases its raise loads."""
    wiring = credits[raised.index][0]
    return sorted(
        {wiring[c] for c, value in enumerate(hidden[raised.index]) if value > 0}
    )
