"""No control: every charger offers its maximum, whatever the fuse says."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
import math

from custom_components.ev_load_balancer.balancer import ChargerInput, Site


class NoControl:
    """What a garage without load management does (overloads are counted)."""

    name = "no_control"

    def __init__(self) -> None:
        self._phases = 0

    def allocate(
        self,
        now_s: float,
        site: Site,
        site_measured_a: Sequence[float],
        chargers: Sequence[ChargerInput],
    ) -> Mapping[str, float]:
        """Every charger at its maximum."""
        self._phases = site.phases
        return {charger.charger_id: charger.max_a for charger in chargers}

    def next_wake_s(self, now_s: float) -> float:
        """No timers."""
        return math.inf

    def baseline_slack_a(self) -> tuple[float, ...] | None:
        """The baseline never changes anything."""
        return (math.inf,) * self._phases if self._phases else None
