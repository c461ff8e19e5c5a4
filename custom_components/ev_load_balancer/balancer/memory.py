"""What the balancer remembers about each charger between rounds.

Hysteresis (hold before increases), the switch budget, queue turns, reclaim of
unused current and the phases an EV was seen drawing on all live here; the
engine asks these rules and records what it decided.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
import math

from .model import BalancerSettings, ChargerInput, ChargerState
from .phases import drawing_conductors

HOUR_S = 3600.0


@dataclass(slots=True)
class ChargerMemory:
    """State carried from one round to the next for one charger."""

    # None until the first limit is decided (restart: we do not know the last one).
    limit_a: float | None = None
    changed_at: float = -math.inf
    decreased_at: float = -math.inf
    # Last significant raise and cut (see BalancerSettings.follow_s).
    raised_at: float = -math.inf
    # The limit before the raises of the last follow_s: what an EV may have
    # ramped by since is the limit less this (see credit.py).
    before_raise_a: float = 0.0
    # The raise before the last one: a meter reading taken between the two
    # is set against it (credit.py).
    prior_raised_at: float = -math.inf
    prior_raised_to_a: float = 0.0
    prior_before_raise_a: float = 0.0
    # The site's building estimate per phase (raw, see baseline.py) when the
    # limit was at `before_raise_a`, and at the prior raise's base: what the
    # meter's rise since is measured from (ramp_evidence.py). None: unknown.
    raise_reference_a: tuple[float, ...] | None = None
    prior_raise_reference_a: tuple[float, ...] | None = None
    cut_at: float = -math.inf
    before_cut_a: float = 0.0
    # Last decrease of any size, for what the EV is credited with while it
    # follows (see credit.py), and the highest limit it may still draw.
    lowered_at: float = -math.inf
    before_lower_a: float = 0.0
    # Seconds this EV has charged since it was plugged in: the queue's fairness key.
    served_s: float = 0.0
    seen_at: float | None = None
    waiting_since: float | None = None
    switches: deque[float] = field(default_factory=deque)
    seen_conductors: frozenset[int] = frozenset()
    below_since: float | None = None
    reclaim_cap_a: float | None = None
    reclaim_set_at: float = -math.inf
    # The charger's shortest time between two raises, as last reported.
    increase_interval_s: float = 0.0

    @property
    def running(self) -> bool:
        """Whether the charger currently has a non-zero limit."""
        return bool(self.limit_a)

    def observe(self, charger: ChargerInput, now: float) -> None:
        """Update session facts from a new reading, before allocating."""
        if self.running and self.seen_at is not None:
            self.served_s += max(0.0, now - self.seen_at)
        self.seen_at = now
        self.increase_interval_s = charger.increase_interval_s
        if charger.state is ChargerState.NO_EV:
            self.seen_conductors = frozenset()
            self.waiting_since = None
            self.served_s = 0.0
            self._clear_reclaim()
            return
        drawing = drawing_conductors(charger.measured_a)
        if drawing and not drawing <= self.seen_conductors:
            self.seen_conductors = self.seen_conductors | drawing
        if charger.wants_energy and not self.running and self.waiting_since is None:
            self.waiting_since = now

    def settling(self, now: float, settings: BalancerSettings) -> bool:
        """Whether a significant change of this charger is still being followed."""
        latest = max(self.raised_at, self.cut_at)
        return now - latest < settings.follow_s

    def increase_allowed(
        self, charger: ChargerInput, now: float, settings: BalancerSettings
    ) -> bool:
        """Whether this round may raise the limit (decreases are always allowed)."""
        if self.limit_a is None:
            return True
        if now - self.decreased_at < settings.hold_s:
            return False
        return now - self.changed_at >= charger.increase_interval_s

    def resume_allowed(self, now: float, settings: BalancerSettings) -> bool:
        """Whether a paused EV may start again within its switch budget."""
        self._forget_old_switches(now)
        return len(self.switches) < settings.max_switches_per_hour

    def may_yield(self, now: float, settings: BalancerSettings) -> bool:
        """Whether a running EV may be paused to let a waiting one charge."""
        return self.resume_allowed(now, settings)

    def update_reclaim(
        self, charger: ChargerInput, now: float, settings: BalancerSettings
    ) -> float | None:
        """Cap for an EV that leaves its limit unused, or None.

        The cap follows the draw (plus headroom); it is lifted when the EV
        draws close to it, and every probe interval to see if it wants more.
        """
        limit = self.limit_a
        if (
            charger.state is not ChargerState.CHARGING
            or not charger.measured_a
            or not limit
        ):
            self._clear_reclaim()
            return None
        draw = max(charger.measured_a)
        cap = self.reclaim_cap_a
        if cap is not None:
            if (
                draw >= cap - settings.reclaim_headroom_a / 2
                or now - self.reclaim_set_at >= settings.probe_interval_s
            ):
                self._clear_reclaim()
                return None
            return self._set_cap(charger, draw, settings)
        if draw > limit - settings.reclaim_threshold_a:
            self.below_since = None
            return None
        # The EV must have had time to follow its current limit.
        if self.below_since is None:
            self.below_since = now
        if now - max(self.changed_at, self.below_since) < settings.reclaim_delay_s:
            return None
        self.reclaim_set_at = now
        return self._set_cap(charger, draw, settings)

    def record(
        self,
        limit_a: float,
        now: float,
        settings: BalancerSettings,
        reference_a: tuple[float, ...] | None = None,
    ) -> None:
        """Remember the limit decided this round.

        `reference_a`: the round's raw building estimate (None: no meter).
        """
        previous = self.limit_a
        if previous is not None and limit_a == previous:
            return
        self.changed_at = now
        if previous is not None:
            if limit_a < previous:
                self.decreased_at = now
                following = now - self.lowered_at < settings.follow_s
                earlier_a = self.before_lower_a if following else 0.0
                self.before_lower_a = max(previous, earlier_a)
                self.lowered_at = now
            if previous - limit_a >= settings.settle_threshold_a:
                # Two cuts in a row: the EV may still draw what it had before both.
                still_following = now - self.cut_at < settings.follow_s
                earlier = self.before_cut_a if still_following else 0.0
                self.before_cut_a = max(previous, earlier)
                self.cut_at = now
            elif limit_a - previous >= settings.settle_threshold_a:
                self.prior_raised_at = self.raised_at
                self.prior_raised_to_a = previous
                self.prior_before_raise_a = self.before_raise_a
                self.prior_raise_reference_a = self.raise_reference_a
                still_following = now - self.raised_at < settings.follow_s
                earlier = self.before_raise_a if still_following else previous
                self.before_raise_a = min(previous, earlier)
                if not still_following:
                    self.raise_reference_a = reference_a
                self.raised_at = now
        was_running = bool(previous)
        if bool(limit_a) != was_running:
            self.switches.append(now)
            if limit_a:
                self.waiting_since = None
        self.limit_a = limit_a

    def _set_cap(
        self, charger: ChargerInput, draw: float, settings: BalancerSettings
    ) -> float:
        cap = min(charger.max_a, max(charger.min_a, draw + settings.reclaim_headroom_a))
        self.reclaim_cap_a = cap
        return cap

    def _clear_reclaim(self) -> None:
        self.reclaim_cap_a = None
        self.below_since = None

    def _forget_old_switches(self, now: float) -> None:
        while self.switches and self.switches[0] <= now - HOUR_S:
            self.switches.popleft()
