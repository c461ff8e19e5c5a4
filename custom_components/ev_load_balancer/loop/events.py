"""What the loop tells the outside world: events for automations, issue states.

The loop only decides; the host delivers (Home Assistant fires bus events and
raises repair issues, the simulator counts them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class EventKind(StrEnum):
    """Changes between rounds that automations may care about."""

    CHARGER_PAUSED = "charger_paused"
    CHARGER_RESUMED = "charger_resumed"
    OVERLOAD_STARTED = "overload_started"
    OVERLOAD_ENDED = "overload_ended"
    FAILSAFE_STARTED = "failsafe_started"
    FAILSAFE_ENDED = "failsafe_ended"
    # A departure that has passed was dropped (with the energy it asked for).
    DEPARTURE_PASSED = "departure_passed"


@dataclass(frozen=True, slots=True)
class LoopEvent:
    """One event; `charger_id` is None for the site's own."""

    kind: EventKind
    charger_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ChargerIssues:
    """A charger's problems worth a repair issue."""

    # Why its commands fail, once they have failed long enough; None if they work.
    unresponsive: str | None = None
    ignores_limit: bool = False


@dataclass(slots=True)
class SiteIssues:
    """The site's problems worth a repair issue, as of the last round."""

    # Why the meter is not trusted, once that has lasted past a glitch.
    meter: str | None = None
    # A round failed with this error and kept failing (the loop went on with
    # the failsafe meanwhile).
    round_error: str | None = None
    chargers: dict[str, ChargerIssues] = field(default_factory=dict)
