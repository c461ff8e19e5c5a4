"""First come, first served: the first EVs take what they want (as evcc does).

Each round it measures like our balancer (site meter minus what the chargers
report, each capped at its limit), then walks the EVs in plug-in order: each
takes what it wants from what is left on its phases, or waits when less than
its minimum is left. What an EV wants is its charger's maximum until it is
seen drawing well below its limit; from then on its highest draw plus a
little (it has learnt the car's own maximum). No sharing, no turns, no
reclaim of an EV that tapers near full.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
import math

from custom_components.ev_load_balancer.balancer import (
    ChargerInput,
    ChargerState,
    Site,
)

# A conductor counts as drawing above this (A), and above this share of the
# busiest one, as in the balancer.
_DRAWING_MIN_A = 1.5
_DRAWING_SHARE = 0.25
# Drawing this far below the limit means the car tops out by itself (A).
_NOT_FOLLOWING_A = 3.0
_LEARNT_HEADROOM_A = 1.0


class FirstComeFirstServed:
    """Capacity goes to the EVs in the order they plugged in."""

    name = "fcfs"

    def __init__(self, step_a: float = 0.1) -> None:
        self._step_a = step_a
        self._arrived: dict[str, int] = {}
        self._arrivals = 0
        self._seen: dict[str, set[int]] = {}
        self._wants: dict[str, float] = {}
        self._last: dict[str, float] = {}
        self._slack: tuple[float, ...] | None = None

    def allocate(
        self,
        now_s: float,
        site: Site,
        site_measured_a: Sequence[float],
        chargers: Sequence[ChargerInput],
    ) -> Mapping[str, float]:
        """Serve the EVs in plug-in order."""
        self._forget_departed(chargers)
        capacity = [
            site.usable_a - value for value in self._baseline(site_measured_a, chargers)
        ]
        limits = {charger.charger_id: 0.0 for charger in chargers}
        constrained = False
        for charger in sorted(
            (c for c in chargers if c.wants_energy), key=self._arrival_order
        ):
            want = self._learn_want(charger)
            phases = self._load_phases(charger)
            room = min(capacity[phase] / phases.count(phase) for phase in phases)
            give = min(want, math.floor(room / self._step_a + 1e-9) * self._step_a)
            constrained = constrained or give < want
            if give < charger.min_a:
                continue
            limits[charger.charger_id] = round(give, 6)
            for phase in phases:
                capacity[phase] -= give
        self._last = limits
        self._slack = None if constrained else tuple(max(0.0, c) for c in capacity)
        return limits

    def next_wake_s(self, now_s: float) -> float:
        """No timers."""
        return math.inf

    def baseline_slack_a(self) -> tuple[float, ...] | None:
        """Headroom while everyone gets what they want."""
        return self._slack

    def _forget_departed(self, chargers: Sequence[ChargerInput]) -> None:
        present = {c.charger_id for c in chargers if c.state is not ChargerState.NO_EV}
        for charger_id in [c for c in self._arrived if c not in present]:
            del self._arrived[charger_id]
            self._seen.pop(charger_id, None)
            self._wants.pop(charger_id, None)

    def _arrival_order(self, charger: ChargerInput) -> int:
        if charger.charger_id not in self._arrived:
            self._arrivals += 1
            self._arrived[charger.charger_id] = self._arrivals
        return self._arrived[charger.charger_id]

    def _learn_want(self, charger: ChargerInput) -> float:
        """The charger's maximum, or the car's own maximum once it shows."""
        charger_id = charger.charger_id
        draw = max(charger.measured_a, default=0.0)
        limit = self._last.get(charger_id, 0.0)
        if draw >= _DRAWING_MIN_A and draw < limit - _NOT_FOLLOWING_A:
            learnt = draw + _LEARNT_HEADROOM_A
            self._wants[charger_id] = max(self._wants.get(charger_id, 0.0), learnt)
        want = self._wants.get(charger_id, charger.max_a)
        return min(charger.max_a, max(charger.min_a, want))

    def _load_phases(self, charger: ChargerInput) -> list[int]:
        """Site phases the EV loads: those seen drawing, else every wired one."""
        seen = self._seen.setdefault(charger.charger_id, set())
        measured = charger.measured_a
        peak = max(measured, default=0.0)
        if peak >= _DRAWING_MIN_A:
            threshold = max(_DRAWING_MIN_A, _DRAWING_SHARE * peak)
            seen.update(i for i, value in enumerate(measured) if value >= threshold)
        conductors = sorted(seen) if seen else range(len(charger.wiring))
        return [charger.wiring[i] for i in conductors]

    def _baseline(
        self, site_measured_a: Sequence[float], chargers: Sequence[ChargerInput]
    ) -> list[float]:
        """Site minus what the chargers report, each capped at its last limit."""
        baseline = list(site_measured_a)
        for charger in chargers:
            last = self._last.get(charger.charger_id, charger.max_a)
            for conductor, value in enumerate(charger.measured_a):
                if value > 0:
                    baseline[charger.wiring[conductor]] -= min(value, last)
        return [max(0.0, value) for value in baseline]
