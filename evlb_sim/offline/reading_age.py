"""Give each charger reading its age, as the control loop does (issue #18).

The replay's chargers report what their EV drew `measurement_lag_s` ago but
leave `ChargerInput.measured_at` empty. The Home Assistant loop stamps each
reading with when it was taken; this wrapper does the same for the replay, so
that the balancer's handling of late readings (credit.py) is the one measured.

The replay hands out one cached ChargerInput per charger while its reading is
unchanged; stamping a fresh copy per round would cost more than the round
itself, so the stamp is written into that cached object (it is the replay's
own and read by nobody else).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from custom_components.ev_load_balancer.balancer import ChargerInput, Site
from custom_components.ev_load_balancer.sizing import Controller


class ReadingAge:
    """A controller whose charger readings carry `measured_at = now - lag`."""

    def __init__(self, controller: Controller, lag_s: float) -> None:
        self.controller = controller
        self.name = controller.name
        self._lag_s = lag_s

    def allocate(
        self,
        now_s: float,
        site: Site,
        site_measured_a: Sequence[float],
        chargers: Sequence[ChargerInput],
    ) -> Mapping[str, float]:
        """The wrapped controller's limits for readings stamped with their age."""
        taken = now_s - self._lag_s
        for charger in chargers:
            if charger.measured_a:
                object.__setattr__(charger, "measured_at", taken)
        return self.controller.allocate(now_s, site, site_measured_a, chargers)

    def next_wake_s(self, now_s: float) -> float:
        """The wrapped controller's timers."""
        return self.controller.next_wake_s(now_s)

    def baseline_slack_a(self) -> tuple[float, ...] | None:
        """The wrapped controller's slack."""
        return self.controller.baseline_slack_a()
