"""Whether a round may trust the site meter, and when that is worth an issue."""

from __future__ import annotations

import logging

from ..meter.validation import check_reading, is_stale
from .config import LoopConfig
from .inputs import MeterInput

_LOGGER = logging.getLogger(__name__)
# A glitch of a few seconds is not worth a repair issue (at least this long).
METER_ISSUE_GRACE_S = 30.0


def meter_problem(meter: MeterInput, now: float, config: LoopConfig) -> str | None:
    """Why the site meter cannot be trusted this round, or None."""
    return reading_problem(
        meter,
        now,
        stale_after_s=config.stale_after_s,
        phases=config.phases,
        rating_a=config.fuse_a,
    )


def reading_problem(
    meter: MeterInput,
    now: float,
    *,
    stale_after_s: float,
    phases: int,
    rating_a: float,
) -> str | None:
    """Why a meter (the site's or a circuit's) cannot be trusted, or None."""
    if meter.problem is not None:
        return meter.problem
    reading = meter.reading
    if is_stale(reading, now, stale_after_s):
        return "stale"
    assert reading is not None
    wrong = check_reading(reading, phases, rating_a)
    if wrong is not None:
        problem, detail = wrong
        return f"{problem.value}: {detail}"
    return None


class MeterTrust:
    """How long the meter has been distrusted; logs each change once."""

    def __init__(self) -> None:
        self._failsafe_since: float | None = None

    def track(
        self, problem: str | None, now: float, config: LoopConfig, *, logged: bool
    ) -> str | None:
        """This round's meter problem; the one to raise as an issue, or None.

        `logged`: whether the start of a failsafe is worth a warning (not in
        the very first round, before any reading could come).
        """
        name = config.name
        if problem is None:
            if self._failsafe_since is not None:
                _LOGGER.info("Meter of %s is healthy again", name)
            self._failsafe_since = None
            return None
        if self._failsafe_since is None:
            if logged:
                _LOGGER.warning(
                    "Meter of %s cannot be trusted (%s): failsafe limits", name, problem
                )
            self._failsafe_since = now
        grace = max(config.stale_after_s, METER_ISSUE_GRACE_S)
        return problem if now - self._failsafe_since >= grace else None
