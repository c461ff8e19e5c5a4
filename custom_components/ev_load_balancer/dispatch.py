"""Sends the loop's commands to chargers in Home Assistant.

The loop decides what goes out and when (loop/link.py: one command at a time
per charger, the newest limit wins, a backoff after failures); this only does
the I/O. A slow or dead charger only ever delays itself: each command runs in
a short-lived task of its own, which reports the outcome to the loop and sends
the next limit the loop asks for, until the charger is caught up.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
import logging
from typing import Any

from .chargers.base import ChargerBackend, ChargerCommandError
from .const import COMMAND_TIMEOUT_S
from .ha_clock import loop_now
from .loop import ControlLoop

_LOGGER = logging.getLogger(__name__)


class CommandSender:
    """Runs the loop's sends against the charger back ends."""

    def __init__(
        self,
        loop: ControlLoop,
        backends: dict[str, ChargerBackend],
        spawn: Callable[[Coroutine[Any, Any, None]], asyncio.Task[None]],
        on_change: Callable[[], None],
    ) -> None:
        self._loop = loop
        self._backends = backends
        self._spawn = spawn
        self._on_change = on_change
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def send(self, charger_id: str, current_a: float) -> None:
        """Start a command the loop asked for."""
        self._tasks[charger_id] = self._spawn(self._run(charger_id, current_a))

    def cancel(self) -> None:
        """Abandon commands in flight (unload); the loop forgets them too."""
        for charger_id, task in self._tasks.items():
            task.cancel()
            track = self._loop.tracks.get(charger_id)
            if track is not None:
                track.link.abandon()
        self._tasks.clear()

    async def _run(self, charger_id: str, current_a: float) -> None:
        target: float | None = current_a
        while target is not None:
            target = await self._send(charger_id, target)

    async def _send(self, charger_id: str, current_a: float) -> float | None:
        """Apply one limit; the next one the loop wants sent, if any."""
        backend = self._backends[charger_id]
        loop = self._loop
        track = loop.tracks.get(charger_id)
        was_failing = track is not None and track.link.failing_since is not None
        try:
            async with asyncio.timeout(COMMAND_TIMEOUT_S):
                await backend.async_apply_limit(current_a)
        except ChargerCommandError as err:
            self._failed(backend, err.reason, str(err), was_failing)
            return None
        except TimeoutError:
            detail = f"no answer within {COMMAND_TIMEOUT_S:g} s"
            self._failed(backend, "timeout", detail, was_failing)
            return None
        if was_failing:
            _LOGGER.info("Charger %s accepts limits again", charger_id)
        following = loop.command_succeeded(charger_id, loop_now())
        self._on_change()
        return following

    def _failed(
        self, backend: ChargerBackend, reason: str, detail: str, was_failing: bool
    ) -> None:
        out_of_reach = not backend.available
        if not was_failing:
            _LOGGER.log(
                logging.INFO if out_of_reach else logging.WARNING,
                "Charger %s did not accept its limit: %s",
                backend.charger_id,
                detail,
            )
        self._loop.command_failed(
            backend.charger_id, loop_now(), reason, out_of_reach=out_of_reach
        )
        self._on_change()
