"""Refused connections, logged as a count once a minute instead of one by one.

The first refusal after a quiet minute is logged at once (with its reason and
charger id, so that a misconfigured charger is easy to find); later ones are
counted by reason and summed up in one line when the minute is over.
"""

from __future__ import annotations

import asyncio
from collections import Counter
import logging

_LOGGER = logging.getLogger(__name__)


class RefusalLog:
    """Counts refusals by reason; logs the first, then one line a minute."""

    def __init__(self, interval_s: float) -> None:
        self._interval_s = interval_s
        self._counts: Counter[str] = Counter()
        self._window: asyncio.TimerHandle | None = None

    def refused(self, reason: str, charger_id: str | None = None) -> None:
        """One connection was refused."""
        if self._window is None:
            _LOGGER.warning(
                "OCPP server refused a connection%s: %s (more refusals are "
                "counted and logged once a minute)",
                f" from {charger_id}" if charger_id else "",
                reason,
            )
            self._window = asyncio.get_running_loop().call_later(
                self._interval_s, self._summary
            )
            return
        self._counts[reason] += 1

    def _summary(self) -> None:
        self._window = None
        if not self._counts:
            return
        _LOGGER.warning(
            "OCPP server refused %s in the last %.0f s",
            self._take_counts(),
            self._interval_s,
        )
        # Still refusing: the next minute is summed up as well.
        self._window = asyncio.get_running_loop().call_later(
            self._interval_s, self._summary
        )

    def _take_counts(self) -> str:
        """'N more connections: a reason, b reason', and the counts start over."""
        counts, self._counts = self._counts, Counter()
        reasons = ", ".join(
            f"{count} {reason}" for reason, count in counts.most_common()
        )
        return f"{counts.total()} more connections: {reasons}"

    def close(self) -> None:
        """Log what is still counted and stop the timer (the server stops)."""
        if self._window is not None:
            self._window.cancel()
            self._window = None
        if self._counts:
            _LOGGER.warning(
                "OCPP server refused %s before it stopped", self._take_counts()
            )
