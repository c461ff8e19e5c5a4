"""Whether the members of a group follow the group's one limit, together.

Zaptec spreads its installation's limit over its chargers as it likes (and
the limit changes at most every 15 minutes); Easee spreads a circuit's. One
member may then draw more than its own limit while another draws less: only
the group's total tells whether the limit is followed.
"""

from __future__ import annotations

from collections.abc import Iterable
import math

from ..const import IGNORE_TOLERANCE_A
from .track import ChargerTrack


def complying_groups(tracks: Iterable[ChargerTrack]) -> set[str]:
    """Groups whose members together draw no more than their limits allow.

    A member whose limit is not known (a command failed) leaves its group
    out: each member is then judged on its own.
    """
    draw: dict[str, float] = {}
    allowed: dict[str, float] = {}
    for track in tracks:
        group = track.group
        if group is None:
            continue
        current = track.status.current_a
        applied = track.link.applied_a
        draw[group] = draw.get(group, 0.0) + (max(current) if current else 0.0)
        allowed[group] = allowed.get(group, 0.0) + (
            applied if applied is not None else -math.inf
        )
    return {
        group
        for group, total in draw.items()
        if total <= allowed[group] + IGNORE_TOLERANCE_A
    }
