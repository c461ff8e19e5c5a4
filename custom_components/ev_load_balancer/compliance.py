"""Notices a charger whose draw ignores the limit it accepted."""

from __future__ import annotations

from dataclasses import dataclass

from .const import IGNORE_GRACE_S, IGNORE_TOLERANCE_A


@dataclass(slots=True)
class ComplianceWatch:
    """Marks a charger that draws clearly above its limit for too long.

    The clock starts at the later of the command and the first excess, so an
    EV still ramping down after a decrease is not blamed.
    """

    over_since: float | None = None
    ignoring: bool = False

    def update(
        self,
        draw_a: float | None,
        limit_a: float | None,
        applied_at: float | None,
        now: float,
    ) -> bool:
        """Feed one observation; return whether the charger ignores its limit."""
        if draw_a is None or limit_a is None or applied_at is None:
            self.over_since = None
            return self.ignoring
        if draw_a <= limit_a + IGNORE_TOLERANCE_A:
            self.over_since = None
            self.ignoring = False
            return False
        if self.over_since is None:
            self.over_since = max(now, applied_at)
        if now - max(self.over_since, applied_at) >= IGNORE_GRACE_S:
            self.ignoring = True
        return self.ignoring
