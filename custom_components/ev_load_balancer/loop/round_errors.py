"""Rounds that fail: logged once per kind, a repair issue when they persist.

A bad number or a bug in one round falls back to the failsafe for that round
and the next round runs as usual: the loop never dies.
"""

from __future__ import annotations

import logging

_LOGGER = logging.getLogger(__name__)
# A round that fails this many times in a row raises a repair issue.
ROUND_ERRORS_BEFORE_ISSUE = 3
# What a bad number or a bug in one round can raise.
ROUND_ERRORS = (
    ArithmeticError,
    AssertionError,
    AttributeError,
    LookupError,
    TypeError,
    ValueError,
)


class RoundErrors:
    """Failed rounds of one site, in a row."""

    def __init__(self) -> None:
        self._in_a_row = 0
        self._logged: set[str] = set()

    def failed(self, site_name: str, err: Exception) -> str | None:
        """Log a failure; the error to raise an issue for, once it persists."""
        self._in_a_row += 1
        key = f"{type(err).__name__}: {err}"
        if key not in self._logged:
            self._logged.add(key)
            _LOGGER.error(
                "A round of %s failed; failsafe limits this round",
                site_name,
                exc_info=err,
            )
        else:
            _LOGGER.debug("A round of %s failed again: %s", site_name, key)
        return key if self._in_a_row >= ROUND_ERRORS_BEFORE_ISSUE else None

    def succeeded(self, site_name: str) -> bool:
        """A round ran normally; whether it ends a run of failures."""
        if not self._in_a_row:
            return False
        _LOGGER.info("Rounds of %s run normally again", site_name)
        self._in_a_row = 0
        return True
