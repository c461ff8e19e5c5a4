"""Notices a charger whose draw ignores the limit it accepted."""

from __future__ import annotations

from dataclasses import dataclass
import math

from ..const import IGNORE_GRACE_S, IGNORE_TOLERANCE_A

# After a cut the EV may draw up to its previous limit while it ramps down.
RAMP_DOWN_S = 15.0


@dataclass(slots=True)
class ComplianceWatch:
    """Marks a charger that draws clearly above its limit for too long.

    The clock runs while the draw exceeds the limit (or, for a short while
    after a cut, the previous one); new commands do not reset it, so a charger
    that keeps being told a new limit cannot ignore every one of them.
    """

    over_since: float | None = None
    ignoring: bool = False
    _limit_a: float | None = None
    _previous_a: float = 0.0
    _cut_at: float = -math.inf

    def update(
        self,
        draw_a: float | None,
        limit_a: float | None,
        applied_at: float | None,
        now: float,
    ) -> bool:
        """Feed one observation; return whether the charger ignores its limit."""
        if limit_a != self._limit_a:
            if (
                self._limit_a is not None
                and limit_a is not None
                and limit_a < self._limit_a
            ):
                self._previous_a = self._limit_a
                self._cut_at = applied_at if applied_at is not None else now
            self._limit_a = limit_a
        if draw_a is None or limit_a is None:
            self.over_since = None
            return self.ignoring
        allowed = limit_a
        if now - self._cut_at < RAMP_DOWN_S:
            allowed = max(allowed, self._previous_a)
        if draw_a <= allowed + IGNORE_TOLERANCE_A:
            self.over_since = None
            self.ignoring = False
            return False
        if self.over_since is None:
            self.over_since = now
        if now - self.over_since >= IGNORE_GRACE_S:
            self.ignoring = True
        return self.ignoring
