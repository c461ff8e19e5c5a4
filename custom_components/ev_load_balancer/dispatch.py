"""Sends limits to one charger: one command at a time, the newest limit wins.

A slow or dead charger only ever delays itself: while a command is out, the
loop just leaves the newest limit in the link's box; a short-lived task per
charger sends it when the previous command is done, and ends once caught up.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
import logging
from typing import Any

from homeassistant.util import dt as dt_util

from .chargers.base import ChargerBackend, ChargerCommandError
from .const import COMMAND_TIMEOUT_S

_LOGGER = logging.getLogger(__name__)
RETRY_BACKOFF_S = (5.0, 10.0, 30.0, 60.0)


class ChargerLink:
    """The command channel to one charger."""

    def __init__(
        self,
        backend: ChargerBackend,
        on_change: Callable[[], None],
        spawn: Callable[[Coroutine[Any, Any, None]], asyncio.Task[None]],
    ) -> None:
        self.backend = backend
        self._on_change = on_change
        self._spawn = spawn
        self._task: asyncio.Task[None] | None = None
        self._desired_a: float | None = None
        # What the charger last accepted (None: unknown, e.g. after a failure).
        self.applied_a: float | None = None
        self.applied_at: float | None = None
        self._failing_since: float | None = None
        self.last_error: str | None = None
        # What began the current run of failures: the root cause to report
        # (a charger that refuses limits is then also refused its pause).
        self.first_error: str | None = None
        self._failures = 0
        self._retry_at = 0.0
        # The charger could not be reached (an OCPP charger not connected, a
        # number entity unavailable): that failure ends when it is back.
        self._out_of_reach = False

    @property
    def failing_since(self) -> float | None:
        """Since when commands fail; None while they work or may work again.

        A charger back within reach is trusted and commanded at once: asking
        it to pause first, as an untrusted one is, would stop its EV for
        nothing, and a backoff would leave it unbalanced meanwhile.
        """
        back = self._out_of_reach and self.backend.available
        if self._failing_since is not None and back:
            _LOGGER.info("Charger %s is reachable again", self.backend.charger_id)
            self._failing_since = None
            self.last_error = self.first_error = None
            self._failures = 0
            self._retry_at = 0.0
            self._out_of_reach = False
        return self._failing_since

    @property
    def desired_a(self) -> float | None:
        """The newest limit the loop asked for."""
        return self._desired_a

    def request(self, current_a: float, now: float) -> None:
        """Ask for a limit; it goes out as soon as the previous command is done."""
        self._desired_a = current_a
        busy = self._task is not None and not self._task.done()
        if current_a == self.applied_a or now < self._retry_at or busy:
            return
        # Tasks start eagerly and may finish inside spawn(): keep no state in
        # a finally block, ask the task whether it is done.
        self._task = self._spawn(self._drain())

    def cancel(self) -> None:
        """Abandon a command in flight (unload)."""
        if self._task is not None:
            self._task.cancel()

    async def _drain(self) -> None:
        while (target := self._desired_a) is not None and target != self.applied_a:
            if not await self._send(target):
                return  # retried by a later round, after the backoff

    async def _send(self, target: float) -> bool:
        now = dt_util.utcnow().timestamp()
        try:
            async with asyncio.timeout(COMMAND_TIMEOUT_S):
                await self.backend.async_apply_limit(target)
        except ChargerCommandError as err:
            self._failed(now, err.reason, str(err))
            return False
        except TimeoutError:
            self._failed(now, "timeout", f"no answer within {COMMAND_TIMEOUT_S:g} s")
            return False
        else:
            if self._failing_since is not None:
                _LOGGER.info("Charger %s accepts limits again", self.backend.charger_id)
            self.applied_a = target
            self.applied_at = now
            self._failing_since = None
            self.last_error = self.first_error = None
            self._failures = 0
            self._retry_at = 0.0
            self._on_change()
            return True

    def _failed(self, now: float, reason: str, detail: str) -> None:
        self._out_of_reach = not self.backend.available
        if self._failing_since is None:
            _LOGGER.log(
                logging.INFO if self._out_of_reach else logging.WARNING,
                "Charger %s did not accept its limit: %s",
                self.backend.charger_id,
                detail,
            )
            self._failing_since = now
            self.first_error = reason
        self.last_error = reason
        self.applied_a = None
        self._retry_at = (
            now + RETRY_BACKOFF_S[min(self._failures, len(RETRY_BACKOFF_S) - 1)]
        )
        self._failures += 1
        self._on_change()
