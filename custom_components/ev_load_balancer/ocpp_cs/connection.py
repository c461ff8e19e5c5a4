"""One charger's websocket: the receive loop and the RPC channel on it.

The websocket answers pings itself (aiohttp's autoping is off), so that the
loop sees every frame and can tell whether the charger is still there.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import WSCloseCode, WSMsgType, web

from .const import OcppVersion
from .rpc import CallFailedError, CallHandler, RpcChannel
from .wire import JsonObject

_LOGGER = logging.getLogger(__name__)


class Connection:
    """A live websocket to one charger."""

    def __init__(
        self,
        websocket: web.WebSocketResponse,
        *,
        charger_id: str,
        version: OcppVersion,
        handler: CallHandler,
        call_timeout_s: float,
        address: str = "",
    ) -> None:
        self.charger_id = charger_id
        self.version = version
        self.address = address
        self._websocket = websocket
        # Resolved by the next frame of any kind (see alive()).
        self._heard: asyncio.Future[None] | None = None
        self._channel = RpcChannel(
            charger_id=charger_id,
            version=version,
            send_text=websocket.send_str,
            handler=handler,
            timeout_s=call_timeout_s,
        )

    @property
    def handler(self) -> CallHandler:
        """Who answers the charger's CALLs (changes at adoption)."""
        return self._channel.handler

    @handler.setter
    def handler(self, handler: CallHandler) -> None:
        self._channel.handler = handler

    @property
    def closed(self) -> bool:
        """Whether the connection is gone or going."""
        return self._channel.closed or self._websocket.closed

    async def call(
        self, action: str, payload: JsonObject, *, timeout_s: float | None = None
    ) -> JsonObject:
        """Send a CALL to the charger; raise CallFailedError."""
        return await self._channel.call(action, payload, timeout_s=timeout_s)

    async def alive(self, timeout_s: float) -> bool:
        """Whether the charger answers a ping (or sends anything) in time."""
        if self.closed:
            return False
        if self._heard is None or self._heard.done():
            self._heard = asyncio.get_running_loop().create_future()
            try:
                await self._websocket.ping(b"alive?")
            except ConnectionError:
                return False
        try:
            async with asyncio.timeout(timeout_s):
                await asyncio.shield(self._heard)
        except TimeoutError:
            return False
        return not self.closed

    def _heard_from(self) -> None:
        if self._heard is not None and not self._heard.done():
            self._heard.set_result(None)

    async def serve(self) -> None:
        """Read frames until the websocket closes."""
        try:
            async for message in self._websocket:
                self._heard_from()
                if message.type is WSMsgType.PING:
                    await self._websocket.pong(message.data)
                elif message.type is WSMsgType.TEXT:
                    await self._channel.receive_text(message.data)
                elif message.type is WSMsgType.BINARY:
                    # OCPP-J uses text frames; be lenient with UTF-8 in binary.
                    await self._channel.receive_text(
                        message.data.decode("utf-8", errors="replace")
                    )
                elif message.type is WSMsgType.ERROR:
                    # e.g. a frame above max_msg_size: aiohttp closes with 1009.
                    _LOGGER.warning(
                        "%s: websocket error: %s",
                        self.charger_id,
                        self._websocket.exception(),
                    )
        except (CallFailedError, ConnectionError):
            _LOGGER.debug("%s: connection lost while answering", self.charger_id)
        finally:
            self._channel.close()
            self._heard_from()  # a waiting alive() sees it closed

    async def close(
        self, code: int = WSCloseCode.OK, message: str = "closed by server"
    ) -> None:
        """Close the websocket and fail the outstanding CALL."""
        self._channel.close()
        try:
            await self._websocket.close(code=code, message=message.encode())
        except ConnectionError:
            _LOGGER.debug("%s: connection already gone", self.charger_id)
