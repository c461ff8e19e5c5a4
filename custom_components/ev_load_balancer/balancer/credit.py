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

An EV we just lowered is still ramping down: while the site meter's reading
is from less than ramp_s after the decrease, the EV's reading counts as EV
load up to its old limit, so that one cut is neither taken for a building
rise (which would cut, or pause, the others in turn: the loop runs on every
charger report, before EVs follow) nor reported as a building overload. For
a meter reading taken later, the EV has followed: up to the new limit only.
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
    *,
    site_measured_at: float | None = None,
) -> Credit:
    """What the EV on `charger` is taken to draw now, per conductor.

    `conductors`: those the EV is taken to draw on (see phases.py).
    `site_measured_at`: when the site meter took the reading the credit is
    set against (None: now).
    """
    count = len(charger.wiring)
    none = (0.0,) * count
    measured = charger.measured_a
    if not charger.controllable or not charger.wants_energy or not measured:
        return Credit(none, none)
    limit = memory.limit_a
    # IEC 61851-1 gives an EV ramp_s (5 s) to follow a lower limit: a meter
    # reading taken that long after a cut shows it followed, whatever a late
    # charger reading still says.
    meter_at = now if site_measured_at is None else site_measured_at
    cut_followed = (
        limit is not None
        and limit <= (memory.confirmed_a or 0.0)
        and meter_at - memory.changed_at >= settings.ramp_s
    )
    if memory.pending_since is None or limit is None or cut_followed:
        if charger.state is not ChargerState.CHARGING:
            return Credit(none, none)
        # Unknown last limit (first round after a start): the reading is all.
        cap = charger.max_a if limit is None else limit
        return Credit(tuple(min(v, cap) for v in measured), none)
    raise_a = max(0.0, limit - (memory.confirmed_a or 0.0))
    # Never believed beyond the highest limit it may still be following.
    highest = max(limit, memory.confirmed_a or 0.0)
    draw: list[float] = []
    uncertain: list[float] = []
    for index in range(count):
        reading = measured[index] if index in conductors else 0.0
        surely = min(reading, limit)
        if index in conductors:
            # Following a raise: up to the raise more; a cut: still the reading.
            top = min(max(reading, limit), reading + raise_a, highest)
        else:
            top = surely
        draw.append(top)
        uncertain.append(top - surely)
    return Credit(tuple(draw), tuple(uncertain))
