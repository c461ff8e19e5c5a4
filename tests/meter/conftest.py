"""Fixtures: real pymodbus servers on 127.0.0.1, stopped after each test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from evlb_sim.live.modbus_meter import SimulatedMeter
from evlb_sim.live.modbus_server import MeterServer

from .helpers import StartServer


@pytest.fixture
async def start_server(socket_enabled: None) -> AsyncIterator[StartServer]:
    """Start a server for a `SimulatedMeter`; every one is stopped at teardown."""
    servers: list[MeterServer] = []

    async def start(meter: SimulatedMeter, *, rtu_framing: bool = False) -> MeterServer:
        server = MeterServer(meter, rtu_framing=rtu_framing)
        await server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        await server.stop()
