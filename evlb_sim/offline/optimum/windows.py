"""Time slots for the hindsight optimum, and independent windows of sessions.

Two sessions are coupled only through the fuse in the slots they share. Group
sessions whose slot ranges overlap (directly or through others): each group is
an independent linear program, and a month splits wherever the garage is empty
for a whole slot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
import math

from custom_components.ev_load_balancer.sizing import (
    ChargerSpec,
    Session,
    ev_load_phases,
)


@dataclass(frozen=True, slots=True)
class SlotCover:
    """Which slots a session is present in, and for what fraction of each."""

    session: Session
    # Site phases the EV draws on, and the most it may draw per phase.
    phases: tuple[int, ...]
    max_a: float
    first_slot: int
    fractions: tuple[float, ...]

    @property
    def last_slot(self) -> int:
        """The last slot the session is present in."""
        return self.first_slot + len(self.fractions) - 1


def slot_cover(session: Session, charger: ChargerSpec, slot_s: float) -> SlotCover:
    """The slots of `session` on a grid of `slot_s` starting at time 0."""
    first = math.floor(session.arrival_s / slot_s)
    last = max(first, math.ceil(session.departure_s / slot_s) - 1)
    fractions = tuple(
        max(
            0.0,
            min(session.departure_s, (k + 1) * slot_s)
            - max(session.arrival_s, k * slot_s),
        )
        / slot_s
        for k in range(first, last + 1)
    )
    return SlotCover(
        session,
        ev_load_phases(charger, session),
        min(session.ev_max_a, charger.max_a),
        first,
        fractions,
    )


def independent_windows(covers: Sequence[SlotCover]) -> list[list[SlotCover]]:
    """Groups of sessions whose slot ranges chain together, in time order."""
    windows: list[list[SlotCover]] = []
    window_end = -math.inf
    for cover in sorted(covers, key=lambda c: (c.first_slot, c.last_slot)):
        if windows and cover.first_slot <= window_end:
            windows[-1].append(cover)
            window_end = max(window_end, cover.last_slot)
        else:
            windows.append([cover])
            window_end = cover.last_slot
    return windows
