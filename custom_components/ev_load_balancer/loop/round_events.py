"""The events one round raises: overload and failsafe edges, pauses and resumes."""

from __future__ import annotations

from collections.abc import Sequence

from ..balancer import Allocation
from .events import EventKind, LoopEvent
from .track import WANTS_ENERGY, ChargerTrack


def round_events(
    before: Allocation | None,
    allocation: Allocation | None,
    active: Sequence[tuple[str, ChargerTrack]],
    rounds_before: int,
) -> list[LoopEvent]:
    """Events for what changed since the previous round (`before`).

    The first round (`rounds_before` 0) raises no site edges: there is no
    previous state to change from. Each charger's pause state is kept on its
    track.
    """
    events: list[LoopEvent] = []
    if rounds_before:
        for was, now_on, started, ended in (
            (
                bool(before and before.overload),
                bool(allocation and allocation.overload),
                EventKind.OVERLOAD_STARTED,
                EventKind.OVERLOAD_ENDED,
            ),
            (
                bool(before and before.failsafe),
                bool(allocation and allocation.failsafe),
                EventKind.FAILSAFE_STARTED,
                EventKind.FAILSAFE_ENDED,
            ),
        ):
            if was != now_on:
                events.append(LoopEvent(started if now_on else ended))
    for charger_id, track in active:
        limit = allocation.limits.get(charger_id) if allocation else None
        if limit is None:
            track.paused = None
            continue
        # A read-only charger is never paused by us, whatever it draws.
        paused = (
            limit.current_a == 0 and track.state in WANTS_ENERGY and not track.read_only
        )
        if track.paused is not None and paused != track.paused:
            kind = EventKind.CHARGER_PAUSED if paused else EventKind.CHARGER_RESUMED
            events.append(
                LoopEvent(
                    kind,
                    charger_id,
                    {"reason": limit.reason.value, "current": limit.current_a},
                )
            )
        track.paused = paused
    return events
