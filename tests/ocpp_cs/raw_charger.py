"""A charger that sends raw OCPP-J frames: for input no library would build.

It answers the central system's own CALLs with a CALLERROR (NotImplemented),
so that the server's setup does not wait on it, and hands back the answer to
each frame it sends by message id.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
import json
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from .fake_chargers import WAIT_S

# What the server says to an unreadable frame.
UNREADABLE = "-1"


class RawCharger:
    """One websocket; `exchange` sends a frame and returns the server's answer."""

    def __init__(self, websocket: ClientConnection) -> None:
        self.websocket = websocket
        self.server_calls: list[str] = []
        self._answers: dict[str, asyncio.Future[list[Any]]] = {}
        self._reader = asyncio.create_task(self._read())

    async def exchange(
        self, frame: str, message_id: str, *, unreadable_too: bool = True
    ) -> list[Any]:
        """Send one frame; the answer with this message id (or, unless told
        otherwise, the one to an unreadable frame, "-1")."""
        future = asyncio.get_running_loop().create_future()
        self._answers[message_id] = future
        if unreadable_too and message_id != UNREADABLE:
            self._answers[UNREADABLE] = future
        try:
            await self.websocket.send(frame)
            async with asyncio.timeout(WAIT_S):
                return await future
        finally:
            self._answers.pop(message_id, None)
            if self._answers.get(UNREADABLE) is future:
                del self._answers[UNREADABLE]

    async def call(
        self, message_id: str, action: str, payload: Any, *, unreadable_too: bool = True
    ) -> list[Any]:
        """A CALL built from parts (the payload may be anything JSON)."""
        frame = json.dumps([2, message_id, action, payload])
        return await self.exchange(frame, message_id, unreadable_too=unreadable_too)

    async def _read(self) -> None:
        with suppress(ConnectionClosed):
            async for raw in self.websocket:
                message = json.loads(raw)
                if message[0] == 2:  # the server's own CALL
                    self.server_calls.append(message[2])
                    await self.websocket.send(
                        json.dumps([4, message[1], "NotImplemented", "", {}])
                    )
                    continue
                future = self._answers.get(message[1])
                if future is not None and not future.done():
                    future.set_result(message)

    async def close(self) -> None:
        self._reader.cancel()
        with suppress(asyncio.CancelledError):
            await self._reader
        await self.websocket.close()


@asynccontextmanager
async def raw_charger(
    port: int, charger_id: str, version: str, **options: Any
) -> AsyncIterator[RawCharger]:
    """A raw charger connected as `charger_id` with OCPP `version`."""
    async with connect(
        f"ws://127.0.0.1:{port}/ocpp/{charger_id}",
        subprotocols=[Subprotocol(version)],
        **options,
    ) as websocket:
        charger = RawCharger(websocket)
        try:
            yield charger
        finally:
            await charger.close()
