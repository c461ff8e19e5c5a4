"""How much of a charger's reported draw counts as EV load, not building load.

The baseline is the site meter minus what the EVs draw, but a charger's reading
is late: it shows what the EV drew when it was taken, and the EV needs seconds
to follow a new limit. Until a reading taken after the EV could follow its last
change comes in (the change is "pending"), the EV's draw is only known to lie
in a range:

- after a raise from the last confirmed limit, between the reading and the
  reading plus the raise (never above the new limit);
- after a cut, between the new limit and the reading.

An EV must follow a cut within ramp_s (IEC 61851-1: 5 s); after that a
cut counts as followed. For sharing, the EV is credited with the top of that
range: a raise it is
following does not look like the building rising (which would cut the others
and start a see-saw). The bottom of the range is what surely flows; the
difference is reported as uncertain, and the engine hands out no *more*
current on those phases until it is resolved (see engine.py): limits may be
kept on the optimistic estimate, never raised on it.

A reading is never believed beyond the EV's limit (a charger that overshoots
leaves the rest in the baseline, where it is safe). An EV that stopped by
itself, left, or whose charger faulted gets no credit: its last reading may
still show the old draw and would hide building load.

For telling a real overload from our own cut, an EV we just cut is still
ramping down: its reading counts as EV load up to its old limit for a while,
so that one cut is not reported as (or escalated into) a building overload.
"""

from __future__ import annotations

from dataclasses import dataclass

from .memory import ChargerMemory
from .model import BalancerSettings, ChargerInput, ChargerState


@dataclass(frozen=True, slots=True)
class Credit:
    """Credited current per charger conductor, and how much of it is uncertain.

    `draw_a` assumes the EV has followed its last change; it may draw up to
    `uncertain_a` less than that (per conductor).
    """

    draw_a: tuple[float, ...]
    uncertain_a: tuple[float, ...]


def credited_draw(
    charger: ChargerInput,
    memory: ChargerMemory,
    now: float,
    settings: BalancerSettings,
    conductors: tuple[int, ...],
) -> Credit:
    """What the EV on `charger` is taken to draw now, per conductor.

    `conductors`: those the EV is taken to draw on (see phases.py).
    """
    count = len(charger.wiring)
    none = (0.0,) * count
    measured = charger.measured_a
    if not charger.controllable or not charger.wants_energy or not measured:
        return Credit(none, none)
    limit = memory.limit_a
    # IEC 61851-1 gives an EV ramp_s (5 s) to follow a lower limit: after that
    # a cut is followed, whatever a late reading still shows.
    cut_followed = (
        limit is not None
        and limit <= (memory.confirmed_a or 0.0)
        and now - memory.changed_at >= settings.ramp_s
    )
    if memory.pending_since is None or limit is None or cut_followed:
        if charger.state is not ChargerState.CHARGING:
            return Credit(none, none)
        # Unknown last limit (first round after a start): the reading is all.
        cap = charger.max_a if limit is None else limit
        return Credit(tuple(min(v, cap) for v in measured), none)
    raise_a = max(0.0, limit - (memory.confirmed_a or 0.0))
    draw: list[float] = []
    uncertain: list[float] = []
    for index in range(count):
        reading = measured[index] if index in conductors else 0.0
        surely = min(reading, limit)
        if index in conductors:
            # Following a raise: up to the raise more; a cut: still the reading.
            top = min(max(reading, limit), reading + raise_a)
        else:
            top = surely
        draw.append(top)
        uncertain.append(top - surely)
    return Credit(tuple(draw), tuple(uncertain))


def building_draw(
    charger: ChargerInput,
    memory: ChargerMemory,
    now: float,
    settings: BalancerSettings,
    credit: Credit,
) -> tuple[float, ...]:
    """The EV's draw as counted for deciding whether the building overloads.

    An EV still ramping down after our cut counts as EV load up to its old
    limit: the building alone is what decides an overload.
    """
    limit = memory.limit_a
    if (
        not charger.controllable
        or limit is None
        or not charger.wants_energy
        or not charger.measured_a
        or now - memory.cut_at >= settings.follow_s
    ):
        return credit.draw_a
    cap = max(limit, memory.before_cut_a)
    return tuple(
        max(min(value, cap), drawn)
        for value, drawn in zip(charger.measured_a, credit.draw_a, strict=True)
    )
