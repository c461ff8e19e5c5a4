"""Request/response over one websocket: our CALLs out, the charger's CALLs in.

OCPP allows one outstanding CALL per direction. Ours wait for their answer
with a timeout; after a timeout the next CALL may go out, and a late answer to
the abandoned one is recognised by its id and dropped.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
import asyncio
from collections.abc import Awaitable, Callable
from enum import StrEnum
import logging
import uuid

from .const import OcppVersion
from .throttle import LogThrottle
from .wire import (
    CallFrame,
    ErrorCode,
    ErrorFrame,
    Frame,
    JsonObject,
    OcppError,
    ResultFrame,
    decode_frame,
    encode_call,
    encode_error,
    encode_result,
    is_known_action,
    validate_request,
    validate_response,
)

_LOGGER = logging.getLogger(__name__)

# What a handler bug raises; the charger gets an InternalError for it.
_HANDLER_BUGS = (
    ValueError,
    TypeError,
    LookupError,
    ArithmeticError,
    AttributeError,
    RecursionError,
)
_HANDLER_ERRORS_LOGGED = LogThrottle(3600.0)


class FailureReason(StrEnum):
    """Why one of our CALLs has no usable answer."""

    TIMEOUT = "timeout"
    CALL_ERROR = "call_error"  # the charger answered with a CALLERROR
    DISCONNECTED = "disconnected"
    INVALID_RESPONSE = "invalid_response"


class CallFailedError(Exception):
    """One of our CALLs failed; `reason` says how."""

    def __init__(self, reason: FailureReason, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else str(reason))
        self.reason = reason
        self.detail = detail


class CallHandler(ABC):
    """Answers the charger's CALLs."""

    @abstractmethod
    def handle_call(self, action: str, payload: JsonObject) -> JsonObject:
        """The response payload; raise OcppError to answer with a CALLERROR.

        Synchronous on purpose: a handler that awaited one of our own CALLs
        would wait for an answer that this same receive loop has to read.
        """

    def after_call(self, action: str, payload: JsonObject) -> None:  # noqa: B027
        """Runs once the response is sent (start follow-up work here)."""


type SendText = Callable[[str], Awaitable[None]]


class RpcChannel:
    """OCPP-J request/response on top of a text-frame sender."""

    def __init__(
        self,
        *,
        charger_id: str,
        version: OcppVersion,
        send_text: SendText,
        handler: CallHandler,
        timeout_s: float,
    ) -> None:
        self.charger_id = charger_id
        self.version = version
        self.handler = handler
        self._send_text = send_text
        self._timeout_s = timeout_s
        self._call_lock = asyncio.Lock()
        self._send_lock = asyncio.Lock()
        self._waiting: tuple[str, str, asyncio.Future[Frame]] | None = None
        self._closed = False

    @property
    def closed(self) -> bool:
        """Whether the channel has been closed."""
        return self._closed

    async def call(
        self, action: str, payload: JsonObject, *, timeout_s: float | None = None
    ) -> JsonObject:
        """Send a CALL and return the response payload; raise CallFailedError."""
        # Our own payloads must be valid; a failure here is a bug, not the charger.
        validate_request(self.version, action, payload)
        async with self._call_lock:
            if self._closed:
                raise CallFailedError(FailureReason.DISCONNECTED)
            message_id = str(uuid.uuid4())
            future: asyncio.Future[Frame] = asyncio.get_running_loop().create_future()
            self._waiting = (message_id, action, future)
            try:
                await self._send(encode_call(message_id, action, payload))
                async with asyncio.timeout(timeout_s or self._timeout_s):
                    frame = await future
            except TimeoutError as err:
                raise CallFailedError(FailureReason.TIMEOUT, action) from err
            finally:
                self._waiting = None
        if isinstance(frame, ErrorFrame):
            raise CallFailedError(
                FailureReason.CALL_ERROR, f"{action}: {frame.code} {frame.description}"
            )
        assert isinstance(frame, ResultFrame)
        try:
            validate_response(self.version, action, frame.payload)
        except OcppError as err:
            raise CallFailedError(FailureReason.INVALID_RESPONSE, str(err)) from err
        return frame.payload

    async def receive_text(self, text: str) -> None:
        """Handle one frame from the charger."""
        try:
            frame = decode_frame(text)
        except OcppError as err:
            _LOGGER.debug("%s: malformed frame: %s", self.charger_id, err)
            await self._send(encode_error(self.version, err))
            return
        if isinstance(frame, CallFrame):
            await self._answer(frame)
            return
        waiting = self._waiting
        if waiting is None or waiting[0] != frame.message_id or waiting[2].done():
            # Typically the late answer to a CALL that already timed out.
            _LOGGER.debug("%s: unexpected answer %s", self.charger_id, frame.message_id)
            return
        waiting[2].set_result(frame)

    async def _answer(self, frame: CallFrame) -> None:
        try:
            response = self._response(frame)
        except OcppError as err:
            err.message_id = frame.message_id
            _LOGGER.debug("%s: %s refused: %s", self.charger_id, frame.action, err)
            await self._send(encode_error(self.version, err))
            return
        await self._send(encode_result(frame.message_id, response))
        self.handler.after_call(frame.action, frame.payload)

    def _response(self, frame: CallFrame) -> JsonObject:
        if not is_known_action(self.version, frame.action):
            raise OcppError(ErrorCode.NOT_SUPPORTED, f"unknown action {frame.action}")
        try:
            validate_request(self.version, frame.action, frame.payload)
            response = self.handler.handle_call(frame.action, frame.payload)
        except _HANDLER_BUGS as err:
            # Our bug, but the input is the charger's: a client must not be
            # able to fill the log with tracebacks (those go to debug).
            if _HANDLER_ERRORS_LOGGED.ready((self.charger_id, frame.action)):
                _LOGGER.warning(
                    "%s: error handling %s: %r", self.charger_id, frame.action, err
                )
            _LOGGER.debug("%s: %s failed", self.charger_id, frame.action, exc_info=True)
            raise OcppError(ErrorCode.INTERNAL_ERROR, "handler failed") from err
        try:
            validate_response(self.version, frame.action, response)
        except OcppError as err:
            _LOGGER.error("%s: invalid own response: %s", self.charger_id, err)
            raise OcppError(ErrorCode.INTERNAL_ERROR, "invalid response") from err
        return response

    async def _send(self, text: str) -> None:
        try:
            async with self._send_lock:
                await self._send_text(text)
        except ConnectionError as err:
            raise CallFailedError(FailureReason.DISCONNECTED, str(err)) from err

    def close(self) -> None:
        """Fail the outstanding CALL; later CALLs fail at once."""
        self._closed = True
        if self._waiting is not None and not self._waiting[2].done():
            self._waiting[2].set_exception(CallFailedError(FailureReason.DISCONNECTED))
