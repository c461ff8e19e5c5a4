"""Waits on what the site's meter reports, with the clock frozen by the tests.

Under the `freezer` the event loop's clock stands still: the Modbus source's
poll sleeps and pymodbus' timeouts only expire when a test ticks the clock and
fires the time change. Socket I/O with the server still happens in real time.
So a test ticks to the next poll, then awaits the meter's report; while that
is pending, `run_until` lets real I/O run and nudges the clock 0.1 s at a time
(pymodbus 3.8 sleeps 0.1 s after every connect). It fails a test that waits in
vain; no assertion depends on how much real time anything took.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
import threading

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.ev_load_balancer.meter.base import MeterSource

NUDGE_S = 0.1  # frozen seconds per nudge
IO_WAIT_S = 0.02  # real seconds given to socket I/O before each nudge
MAX_NUDGES = 200


async def _io_wait[T](waiter: asyncio.Future[T], seconds: float) -> bool:
    """Wait for `waiter`, at most `seconds` of real time; True when done."""
    loop = asyncio.get_running_loop()
    expired: asyncio.Future[None] = loop.create_future()

    def expire() -> None:
        if not expired.done():
            expired.set_result(None)

    timer = threading.Timer(seconds, loop.call_soon_threadsafe, (expire,))
    timer.start()
    try:
        await asyncio.wait({waiter, expired}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        timer.cancel()
        timer.join()
        expired.cancel()
    return waiter.done()


async def run_until[T](
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    awaitable: Awaitable[T],
    what: str,
) -> T:
    """Await `awaitable`, nudging the frozen clock while it is pending."""
    waiter = asyncio.ensure_future(awaitable)
    for _ in range(MAX_NUDGES):
        if await _io_wait(waiter, IO_WAIT_S):
            return waiter.result()
        freezer.tick(NUDGE_S)
        async_fire_time_changed(hass)
    waiter.cancel()
    raise AssertionError(f"no {what} after {MAX_NUDGES * NUDGE_S:g} s")


async def drain(hass: HomeAssistant) -> None:
    """Run until quiet: a round, the limits it sends, the EVs that follow."""
    for _ in range(6):
        await hass.async_block_till_done()


async def tick(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    """Let time pass without waiting for the meter (it may be stuck)."""
    freezer.tick(seconds)
    async_fire_time_changed(hass)
    await drain(hass)


class MeterWatch:
    """Futures resolved by the meter's next report to the loop."""

    def __init__(self, entry: MockConfigEntry) -> None:
        self.meter: MeterSource = entry.runtime_data.coordinator.meter
        self._waiters: list[asyncio.Future[None]] = []
        entry.async_on_unload(self.meter.add_listener(self._reported))

    def _reported(self) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    def next_report(self) -> asyncio.Future[None]:
        """A future for the next reading or problem (arm it before the tick)."""
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        return waiter

    async def poll(
        self,
        hass: HomeAssistant,
        freezer: FrozenDateTimeFactory,
        seconds: float = 1.0,
    ) -> None:
        """Let `seconds` pass (the next poll or reconnect is due by then), wait
        for the meter's report, then for the round and the limits it sent."""
        report = self.next_report()
        freezer.tick(seconds)
        async_fire_time_changed(hass)
        await run_until(hass, freezer, report, "meter report")
        await drain(hass)
