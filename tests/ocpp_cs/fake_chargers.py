"""Connect the charge points of evlb_sim.live.ocpp_charge_points to a central
system under test: real `ocpp` library clients over real websockets.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
import ssl

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from custom_components.ev_load_balancer.ocpp_cs import CentralSystem
from evlb_sim.live.ocpp_charge_points import (
    RESPONSE_TIMEOUT_S,
    RecordingChargePointV16,
    RecordingChargePointV201,
)

# A guard against hanging forever on a bug, not a timing assertion.
WAIT_S = RESPONSE_TIMEOUT_S


def basic_auth(user: str, password: str) -> dict[str, str]:
    """An Authorization header for HTTP Basic auth."""
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def charger_url(server: CentralSystem, charger_id: str, *, scheme: str = "ws") -> str:
    return f"{scheme}://127.0.0.1:{server.port}/ocpp/{charger_id}"


@asynccontextmanager
async def charger_session[T: (RecordingChargePointV16, RecordingChargePointV201)](
    server: CentralSystem,
    charger_id: str,
    factory: type[T],
    *,
    headers: dict[str, str] | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> AsyncIterator[T]:
    """A connected charge point whose receive loop runs for the block."""
    version = "ocpp1.6" if issubclass(factory, RecordingChargePointV16) else "ocpp2.0.1"
    scheme = "wss" if ssl_context else "ws"
    async with connect(
        charger_url(server, charger_id, scheme=scheme),
        subprotocols=[Subprotocol(version)],
        additional_headers=headers,
        ssl=ssl_context,
    ) as websocket:
        charger = factory(charger_id, websocket)
        receive = asyncio.create_task(charger.start())
        try:
            yield charger
        finally:
            receive.cancel()
            with suppress(asyncio.CancelledError, ConnectionClosed):
                await receive
