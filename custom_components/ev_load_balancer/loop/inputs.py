"""What a host hands the loop each round: the meter and every charger's report.

Every timestamp is on the loop clock (see clock.py): the host stamps readings
when it gets them, so their age is known whatever the wall clock does.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..balancer.frozen import fast_init
from ..chargers.base import ChargerStatus
from ..chargers.phase_control import ChargerControls
from ..meter.base import MeterReading


@dataclass(frozen=True, slots=True, kw_only=True)
class MeterInput:
    """The site meter's latest reading, or why its source has none."""

    reading: MeterReading | None  # received_at on the loop clock
    # Why the source has no usable reading now ("unavailable: sensor.x ..."),
    # None when it has one (its age and plausibility are the loop's to judge).
    problem: str | None = None


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class ChargerReport:
    """One charger's latest status and whether it can take a command now."""

    status: ChargerStatus  # updated_at on the loop clock
    available: bool = True
    # Smallest change of limit it accepts (A).
    step_a: float = 0.1
    # Its phase switch and group share, if any (chargers/phase_control.py).
    controls: ChargerControls | None = None
