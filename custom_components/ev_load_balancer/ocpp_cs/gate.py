"""The door of the server: how long a handshake may take and how many may wait.

Every TCP connection passes through a thin protocol in front of aiohttp's
own. Until the central system accepts it as a websocket (or answers and
closes it), it counts as not yet accepted: per address and in total there
is a cap on those (more are closed at once), and each must be through its
handshake within a timeout (half-sent requests are closed then).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
import logging
from typing import Any

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class GateLimits:
    """The caps and the timeout (see ServerConfig)."""

    handshake_timeout_s: float
    max_handshakes: int
    max_handshakes_per_address: int


class _Guarded(asyncio.Protocol):
    """Passes everything to aiohttp's protocol; the gate watches the start."""

    def __init__(self, gate: HandshakeGate, inner: asyncio.Protocol) -> None:
        self._gate = gate
        self._inner = inner
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        if not self._gate.admit(transport):
            transport.abort()
            return
        self._transport = transport
        self._inner.connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._transport is None:
            return  # never admitted: aiohttp never saw it
        self._gate.gone(self._transport)
        self._inner.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received()

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()


@dataclass(slots=True)
class _Waiting:
    address: str
    timer: asyncio.TimerHandle


def peer_address(transport: asyncio.BaseTransport | None) -> str:
    """The peer's IP address ('' when unknown)."""
    peer = transport.get_extra_info("peername") if transport is not None else None
    if isinstance(peer, tuple) and peer:
        return str(peer[0])
    return ""


class HandshakeGate:
    """Counts, caps and times the connections that are not yet accepted."""

    def __init__(self, limits: GateLimits, on_refused: Callable[[str], None]) -> None:
        self._limits = limits
        self._on_refused = on_refused
        self._waiting: dict[asyncio.BaseTransport, _Waiting] = {}
        self._per_address: Counter[str] = Counter()

    def protocol_factory(
        self, factory: Callable[[], Any]
    ) -> Callable[[], asyncio.Protocol]:
        """Wrap aiohttp's protocol factory (web.Server)."""
        return lambda: _Guarded(self, factory())

    @property
    def waiting(self) -> int:
        """Connections not yet accepted."""
        return len(self._waiting)

    def admit(self, transport: asyncio.Transport) -> bool:
        """A new TCP (or TLS) connection: take it, or refuse it now."""
        address = peer_address(transport)
        limits = self._limits
        if len(self._waiting) >= limits.max_handshakes:
            self._on_refused("too many handshakes at once")
            return False
        if self._per_address[address] >= limits.max_handshakes_per_address:
            self._on_refused("too many handshakes from one address")
            return False
        timer = asyncio.get_running_loop().call_later(
            limits.handshake_timeout_s, self._expired, transport
        )
        self._waiting[transport] = _Waiting(address, timer)
        self._per_address[address] += 1
        return True

    def accepted(self, transport: asyncio.BaseTransport | None) -> None:
        """The central system took it as a charger's websocket."""
        if transport is not None:
            self._release(transport)

    def gone(self, transport: asyncio.BaseTransport) -> None:
        """The connection closed."""
        self._release(transport)

    def expired(self, transport: asyncio.BaseTransport | None) -> bool:
        """Whether the handshake is over its time (or the connection gone)."""
        return transport is None or transport.is_closing()

    def _expired(self, transport: asyncio.Transport) -> None:
        if transport in self._waiting:
            self._release(transport)
            self._on_refused("handshake timeout")
            transport.abort()

    def _release(self, transport: asyncio.BaseTransport) -> None:
        waiting = self._waiting.pop(transport, None)
        if waiting is None:
            return
        waiting.timer.cancel()
        self._per_address[waiting.address] -= 1
        if self._per_address[waiting.address] <= 0:
            del self._per_address[waiting.address]

    def close(self) -> None:
        """Cancel every timer (the server stops)."""
        for transport in list(self._waiting):
            self._release(transport)
