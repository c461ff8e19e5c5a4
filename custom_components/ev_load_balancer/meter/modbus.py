"""A Modbus meter as a meter source: poll, publish, report, reconnect.

One task polls at a fixed rate over one kept-open connection. A good read is
published; any failure is reported at once (`_fail`) so the coordinator's
failsafe can act, the link is dropped (a late answer must never be taken for
the next request's) and reopened after an exponential, capped backoff. The
first good read after that clears the problem on its own.

`async_start` returns once the first read was attempted, so the loop's first
round balances on a reading instead of starting in the failsafe.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
import contextlib
import logging
from typing import Any

from .base import MeterProblem, MeterSource
from .modbus_client import (
    CannotConnectError,
    ConnectionLostError,
    ModbusConnection,
    ModbusLinkError,
)
from .modbus_config import ModbusMeterConfig
from .modbus_reading import ImplausibleReadingError, read_meter

_LOGGER = logging.getLogger(__name__)

# Starts the poll task; Home Assistant passes one that ties it to the entry.
type TaskFactory = Callable[[Coroutine[Any, Any, None], str], asyncio.Task[None]]


def _plain_task(coroutine: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
    return asyncio.create_task(coroutine, name=name)


class Backoff:
    """Delays that double from `minimum` up to `maximum`, until `reset`."""

    def __init__(self, minimum: float, maximum: float) -> None:
        self._minimum = minimum
        self._maximum = maximum
        self._next = minimum

    def next_delay(self) -> float:
        delay = self._next
        self._next = min(self._next * 2, self._maximum)
        return delay

    def reset(self) -> None:
        self._next = self._minimum


class ModbusMeterSource(MeterSource):
    """Per-phase readings of a Modbus meter (TCP or RTU)."""

    def __init__(
        self, config: ModbusMeterConfig, *, create_task: TaskFactory = _plain_task
    ) -> None:
        super().__init__()
        self._config = config
        self._create_task = create_task
        self._connection = ModbusConnection(
            config.transport, unit_id=config.unit_id, timeout_s=config.timeout_s
        )
        self._task: asyncio.Task[None] | None = None
        self._backoff = Backoff(config.reconnect_min_s, config.reconnect_max_s)
        self._available = True  # so the first problem is logged once

    @property
    def config(self) -> ModbusMeterConfig:
        return self._config

    async def async_start(self) -> None:
        """Start polling; return once the first read gave a reading or a problem.

        That wait is bounded by the read timeouts, and ends early on a stop.
        """
        if self._task is not None:
            return
        attempted = asyncio.get_running_loop().create_future()

        def done(*_: object) -> None:
            if not attempted.done():
                attempted.set_result(None)

        remove = self.add_listener(done)
        try:
            self._task = task = self._create_task(
                self._poll_forever(), f"modbus meter {self._config.describe()}"
            )
            task.add_done_callback(done)
            await attempted
        finally:
            remove()

    async def async_stop(self) -> None:
        """Stop polling and close the connection; nothing is left running."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._connection.close()

    async def _poll_forever(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while True:
                started = loop.time()
                if await self._poll_once():
                    # Fixed rate: a slow read eats into the wait, never adds to it.
                    delay = started + self._config.poll_interval_s - loop.time()
                else:
                    delay = self._backoff.next_delay()
                await asyncio.sleep(max(0.0, delay))
        finally:
            self._connection.close()

    async def _poll_once(self) -> bool:
        """One attempt; False when the link must be reopened after a backoff."""
        try:
            if not self._connection.connected:
                await self._connection.connect()
            sample = await read_meter(self._connection, self._config)
        except ModbusLinkError as err:
            self._connection.close()
            self._report(_problem_of(err), str(err))
            return False
        except ImplausibleReadingError as err:
            # The link works; the next poll may well be sane again.
            self._report(MeterProblem.ABSURD, str(err))
            return True
        self._backoff.reset()
        if not self._available:
            _LOGGER.info("Modbus meter %s is back", self._config.describe())
            self._available = True
        self._publish(sample.reading)
        return True

    def _report(self, problem: MeterProblem, detail: str) -> None:
        if self._available:
            _LOGGER.warning(
                "Modbus meter %s gives no reading: %s", self._config.describe(), detail
            )
            self._available = False
        self._fail(problem, detail)


def _problem_of(err: ModbusLinkError) -> MeterProblem:
    if isinstance(err, CannotConnectError | ConnectionLostError):
        return MeterProblem.DISCONNECTED
    return MeterProblem.NO_RESPONSE  # no answer, or the meter refused the read
