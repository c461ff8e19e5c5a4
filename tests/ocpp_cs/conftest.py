"""Fixtures: a real central system on 127.0.0.1 and helpers to drive chargers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from ocpp.v16 import call as call16
from ocpp.v201 import call as call201
import pytest

from custom_components.ev_load_balancer.ocpp_cs import (
    CentralSystem,
    ChargerConfig,
    OcppChargerBackend,
    ServerConfig,
)
from evlb_sim.live.ocpp_charge_points import (
    RecordingChargePoint,
    RecordingChargePointV16,
)

from .fake_chargers import WAIT_S

type StartServer = Callable[..., Awaitable[CentralSystem]]


@pytest.fixture(autouse=True)
def _sockets(socket_enabled: None) -> None:
    """The HA test plugin blocks sockets; these tests use 127.0.0.1 only."""


@pytest.fixture
async def start_server() -> AsyncIterator[StartServer]:
    """Start central systems on a free port; all are stopped after the test."""
    servers: list[CentralSystem] = []

    async def start(*chargers: ChargerConfig, **settings: Any) -> CentralSystem:
        authorize = settings.pop("authorize", None)
        settings.setdefault("call_timeout_s", WAIT_S)
        server = CentralSystem(
            ServerConfig(host="127.0.0.1", port=0, **settings),
            chargers=chargers,
            authorize=authorize,
        )
        await server.async_start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        await server.async_stop()


async def wait_until(
    backend: OcppChargerBackend, predicate: Callable[[], bool]
) -> None:
    """Wait for a backend notification after which predicate holds."""
    reached = asyncio.Event()

    def check() -> None:
        if predicate():
            reached.set()

    remove = backend.add_listener(check)
    try:
        check()
        async with asyncio.timeout(WAIT_S):
            await reached.wait()
    finally:
        remove()


async def boot(charger: RecordingChargePoint) -> str:
    """Send a BootNotification; return the status the server answered."""
    if isinstance(charger, RecordingChargePointV16):
        response = await charger.call(
            call16.BootNotification(
                charge_point_model="Wallbox X",
                charge_point_vendor="Acme",
                charge_point_serial_number="SN-1",
            )
        )
    else:
        response = await charger.call(
            call201.BootNotification(
                charging_station={
                    "model": "Wallbox Y",
                    "vendor_name": "Acme",
                    "serial_number": "SN-2",
                },
                reason="PowerUp",
            )
        )
    return str(response.status)


async def boot_and_setup(
    charger: RecordingChargePoint, backend: OcppChargerBackend
) -> None:
    """Boot an adopted charger and wait until its setup (failsafe) is done."""
    assert await boot(charger) == "Accepted"
    await wait_until(backend, lambda: backend.info.failsafe_installed is not None)
