"""A `MeterServer` on a thread of its own, with its own event loop.

A real meter answers whatever else goes on in the building. In the demo the
meter shares its process with up to 200 simulated chargers (websockets, JSON
schema checks, their EVs): on one event loop, a busy moment of theirs would
delay the meter's answers past the integration's read timeout. On its own
loop the meter answers within milliseconds whatever the chargers do. The
site's loop keeps writing the registers (plain dict items: each is written
whole, as a meter's registers are).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
import threading
from typing import Any

from .modbus_meter import SimulatedMeter
from .modbus_server import MeterServer

START_TIMEOUT_S = 10.0


class MeterThread:
    """Start, serve, stop: `MeterServer`'s calls, run on the meter's thread."""

    def __init__(self, meter: SimulatedMeter, *, port: int = 0) -> None:
        self._server = MeterServer(meter, port=port)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.port

    async def start(self) -> None:
        """Listen on 127.0.0.1:port from the meter's own thread."""
        ready = threading.Event()

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.close()

        self._thread = threading.Thread(target=serve, name="meter", daemon=True)
        self._thread.start()
        await asyncio.to_thread(ready.wait, START_TIMEOUT_S)
        try:
            await self._on_meter_loop(self._server.start())
        except OSError:
            await self._end_loop()
            raise

    async def stop(self) -> None:
        """Close the server and its connections, then end the thread."""
        if self._loop is None:
            return
        await self._on_meter_loop(self._server.stop())
        await self._end_loop()

    async def _on_meter_loop(self, work: Coroutine[Any, Any, None]) -> None:
        assert self._loop is not None
        done = asyncio.run_coroutine_threadsafe(work, self._loop)
        await asyncio.wrap_future(done)

    async def _end_loop(self) -> None:
        loop, thread = self._loop, self._thread
        self._loop = self._thread = None
        if loop is not None:
            loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            await asyncio.to_thread(thread.join)
