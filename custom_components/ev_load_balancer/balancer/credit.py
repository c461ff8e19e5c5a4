"""How much of a charger's reported draw counts as EV load, not building load.

For sharing, the reading of a charging EV is believed, never beyond its limit:
a charger that overshoots leaves the rest in the baseline, where it is safe. An
EV that stopped by itself, left, or whose charger faulted gets no credit: its
last reading may still show the old draw and would hide building load.

A reading taken before our last raise had time to show (charger readings lag
the site meter by a meter interval, EVs take seconds to ramp) would make the
EV's own ramp look like the building's: the EV is then credited with its new
limit until a reading from after its ramp comes. If the EV cannot take the new
limit, that over-credits by at most the raise (see ramp_step_a) until then;
the site is settling meanwhile, so nobody is raised on the strength of it.

For telling a real overload from our own cut, an EV we just cut is still
ramping down: its reading counts as EV load up to its old limit for a while,
so that one cut is not reported as (or escalated into) a building overload.
"""

from __future__ import annotations

from .memory import ChargerMemory
from .model import BalancerSettings, ChargerInput, ChargerState


def credited_draw(
    charger: ChargerInput,
    memory: ChargerMemory,
    now: float,
    settings: BalancerSettings,
    conductors: tuple[int, ...],
    *,
    following_cuts: bool = False,
) -> tuple[float, ...]:
    """Credited current per charger conductor.

    `conductors`: those the EV is taken to draw on. `following_cuts`: also
    credit EVs still ramping down after a recent cut.
    """
    count = len(charger.wiring)
    none = (0.0,) * count
    if not charger.controllable:
        return none
    limit = memory.limit_a
    if (
        limit is not None
        and charger.state in (ChargerState.CONNECTED, ChargerState.CHARGING)
        and now - memory.raised_at < settings.follow_s
        and _older_than(charger, memory.raised_at + settings.ramp_s)
    ):
        return tuple(limit if i in conductors else 0.0 for i in range(count))
    if not charger.measured_a:
        return none
    ramping_down = following_cuts and now - memory.cut_at < settings.follow_s
    if (
        ramping_down
        and limit is not None
        and charger.state
        in (
            ChargerState.CONNECTED,
            ChargerState.CHARGING,
        )
    ):
        cap = max(limit, memory.before_cut_a)
    elif charger.state is ChargerState.CHARGING:
        # Unknown last limit (first round after a start): the reading is all.
        cap = charger.max_a if limit is None else limit
    else:
        return none
    return tuple(min(value, cap) for value in charger.measured_a)


def _older_than(charger: ChargerInput, moment: float) -> bool:
    """Whether the charger's reading was taken before `moment`."""
    taken = charger.measured_at
    return not charger.measured_a or (taken is not None and taken < moment)
