"""Count the rounds in which a strategy commands more than the fuse minus the margin.

The replay knows the truth the controller can only estimate: the building's own
load and which phases each EV really draws on. A round "commands above the
usable current" when, on some phase, the true baseline plus the limits of the
EVs that want energy (each capped at what its EV can draw) exceeds fuse minus
margin, or when the building alone exceeds it and an EV still gets current
there. That is the controller's own mistake, before any EV has followed it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence

from custom_components.ev_load_balancer.balancer import ChargerInput, Site
from custom_components.ev_load_balancer.sizing import (
    BaselineSeries,
    ChargerSpec,
    Controller,
    Session,
    ev_load_phases,
)

# Float noise allowed above the usable current (A).
TOLERANCE_A = 1e-6


class CommandAudit:
    """A controller wrapped so that each of its rounds is checked against the truth."""

    def __init__(
        self,
        controller: Controller,
        baseline: BaselineSeries,
        chargers: Sequence[ChargerSpec],
        sessions: Sequence[Session],
    ) -> None:
        self.controller = controller
        self.name = controller.name
        self._baseline = baseline
        self._specs = {charger.charger_id: charger for charger in chargers}
        self._sessions: dict[str, list[Session]] = {}
        for session in sorted(sessions, key=lambda s: s.arrival_s):
            self._sessions.setdefault(session.charger_id, []).append(session)
        self._arrivals = {
            charger_id: [s.arrival_s for s in listed]
            for charger_id, listed in self._sessions.items()
        }
        self.rounds_above_usable = 0
        # Worst of baseline + commanded - (fuse - margin), A.
        self.worst_excess_a = float("-inf")

    def allocate(
        self,
        now_s: float,
        site: Site,
        site_measured_a: Sequence[float],
        chargers: Sequence[ChargerInput],
    ) -> Mapping[str, float]:
        """The wrapped controller's limits, after checking them."""
        limits = self.controller.allocate(now_s, site, site_measured_a, chargers)
        baseline = self._baseline.at(now_s)
        commanded = list(baseline)
        for charger in chargers:
            limit = limits.get(charger.charger_id, 0.0)
            session = self._session_at(charger.charger_id, now_s)
            if not limit or session is None or not charger.wants_energy:
                continue
            for phase in ev_load_phases(self._specs[charger.charger_id], session):
                commanded[phase] += min(limit, session.ev_max_a)
        # A phase the building alone overloads must carry no EV at all; there,
        # any EV current counts as the excess.
        excess = max(
            total - max(site.usable_a, base)
            for total, base in zip(commanded, baseline, strict=True)
        )
        self.worst_excess_a = max(self.worst_excess_a, excess)
        if excess > TOLERANCE_A:
            self.rounds_above_usable += 1
        return limits

    def next_wake_s(self, now_s: float) -> float:
        """The wrapped controller's timers."""
        return self.controller.next_wake_s(now_s)

    def baseline_slack_a(self) -> tuple[float, ...] | None:
        """The wrapped controller's slack."""
        return self.controller.baseline_slack_a()

    def _session_at(self, charger_id: str, now_s: float) -> Session | None:
        arrivals = self._arrivals.get(charger_id)
        if not arrivals:
            return None
        index = bisect_right(arrivals, now_s) - 1
        if index < 0:
            return None
        session = self._sessions[charger_id][index]
        return session if now_s < session.departure_s else None
