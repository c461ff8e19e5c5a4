"""Limits for when the meter cannot be trusted: a static share, or a pause.

Without a meter, the usable current minus a fixed reserve for the building
is what EVs may share, each assumed to draw on every wired conductor. The
EVs that are charging keep charging (never above the limit they had: without
a meter nothing justifies a raise); what they leave goes to EVs waiting, in
queue order, as long as it gives them their minimum. Nothing of the budget
goes to chargers without an EV or with a full one, and nothing is left unused
while an EV waits and would fit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
import math

from .allocation_round import fixed_outcome
from .memory import ChargerMemory
from .model import ChargerInput, ChargerLimit, Reason, Site
from .phases import phase_weights, site_phases
from .waterfill import FillMember, water_fill

_FITS_EPSILON_A = 1e-9


def failsafe_limits(
    site: Site,
    chargers: Sequence[ChargerInput],
    memories: Sequence[ChargerMemory],
    *,
    static_share: bool,
    building_reserve_a: float,
) -> tuple[dict[str, ChargerLimit], list[float]]:
    """A limit per charger, and the capacity per phase that was shared."""
    capacity = [max(0.0, site.usable_a - building_reserve_a)] * site.phases
    phases = site.phases
    limits = share_failsafe(
        capacity,
        chargers,
        memories,
        static_share=static_share,
        weigh=lambda _, load_phases: phase_weights(load_phases, phases),
    )
    return limits, capacity


def share_failsafe(
    capacity: Sequence[float],
    chargers: Sequence[ChargerInput],
    memories: Sequence[ChargerMemory],
    *,
    static_share: bool,
    weigh: Callable[[ChargerInput, tuple[int, ...]], tuple[int, ...]],
) -> dict[str, ChargerLimit]:
    """A failsafe limit per charger within `capacity` (per dimension).

    `weigh`: a charger's weight per dimension when it loads the given site
    phases (the site's phases, or every fuse of a circuit tree).
    """
    limits: dict[str, ChargerLimit] = {}
    running: list[tuple[ChargerInput, ChargerMemory, tuple[int, ...]]] = []
    waiting: list[tuple[ChargerInput, ChargerMemory, tuple[int, ...]]] = []
    for charger, memory in zip(chargers, memories, strict=True):
        load_phases = site_phases(charger, tuple(range(len(charger.wiring))))
        fixed = fixed_outcome(charger)
        if fixed is not None:
            limits[charger.charger_id] = ChargerLimit(0.0, fixed, load_phases)
        elif not charger.wants_energy:
            limits[charger.charger_id] = ChargerLimit(0.0, Reason.EV_FULL, load_phases)
        elif not static_share:
            limits[charger.charger_id] = ChargerLimit(0.0, Reason.FAILSAFE, load_phases)
        else:
            queue = running if memory.limit_a else waiting
            queue.append((charger, memory, load_phases))
    running.sort(key=lambda entry: (-entry[0].priority, entry[0].charger_id))
    waiting.sort(
        key=lambda entry: (
            -entry[0].priority,
            math.inf if entry[1].waiting_since is None else entry[1].waiting_since,
            entry[0].charger_id,
        )
    )
    scratch = list(capacity)
    admitted: list[tuple[ChargerInput, tuple[int, ...]]] = []
    members: list[FillMember] = []
    for charger, memory, load_phases in (*running, *waiting):
        weights = weigh(charger, load_phases)
        need = charger.min_a
        if any(scratch[p] + _FITS_EPSILON_A < w * need for p, w in enumerate(weights)):
            limits[charger.charger_id] = ChargerLimit(0.0, Reason.FAILSAFE, load_phases)
            continue
        for phase, weight in enumerate(weights):
            scratch[phase] -= weight * need
        previous = memory.limit_a
        ceiling = charger.max_a if not previous else min(charger.max_a, previous)
        admitted.append((charger, load_phases))
        members.append(FillMember(weights, need, max(need, ceiling)))
    fill = water_fill(capacity, members)
    for (charger, load_phases), share in zip(admitted, fill.allocation, strict=True):
        current = share if share >= charger.min_a else 0.0
        limits[charger.charger_id] = ChargerLimit(current, Reason.FAILSAFE, load_phases)
    return limits
