"""The demo's meter on a thread of its own answers while the simulation's
event loop is busy, and stops without leaving its port open."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest

from custom_components.ev_load_balancer.meter.meter_models import SDM630
from custom_components.ev_load_balancer.meter.modbus_client import ModbusConnection
from custom_components.ev_load_balancer.meter.modbus_config import (
    ModbusMeterConfig,
    TcpTransport,
)
from custom_components.ev_load_balancer.meter.modbus_reading import read_meter
from evlb_sim.live.meter_thread import MeterThread
from evlb_sim.live.modbus_meter import SimulatedMeter

CURRENTS = (12.5, 7.0, 3.25)
READ_TIMEOUT_S = 0.5  # the simulation's loop stays stuck twice as long
STUCK_S = 1.0


@pytest.fixture(autouse=True)
def _sockets(socket_enabled: None) -> None:
    """127.0.0.1 only."""


def _read_currents(port: int) -> tuple[float, ...]:
    """The integration's own read, from a process (a loop) of its own."""

    async def read() -> tuple[float, ...]:
        config = ModbusMeterConfig(
            transport=TcpTransport(host="127.0.0.1", port=port),
            register_map=SDM630,
            timeout_s=READ_TIMEOUT_S,
        )
        connection = ModbusConnection(
            config.transport, unit_id=1, timeout_s=READ_TIMEOUT_S
        )
        await connection.connect()
        try:
            return (await read_meter(connection, config)).reading.current_a
        finally:
            connection.close()

    return asyncio.run(read())


async def test_the_meter_answers_while_the_simulations_loop_is_stuck() -> None:
    meter = SimulatedMeter(max_registers_per_read=SDM630.max_registers_per_read)
    meter.serve(SDM630, current=CURRENTS, voltage=(230.0,) * 3, power=(0.0,) * 3)
    server = MeterThread(meter)
    await server.start()
    try:
        reading = asyncio.ensure_future(asyncio.to_thread(_read_currents, server.port))
        await asyncio.sleep(0)  # the reader is on its way
        time.sleep(STUCK_S)  # noqa: ASYNC251 (the point: this loop is stuck)
        assert await reading == pytest.approx(CURRENTS)
        assert meter.requests, "the reads reached the meter"
    finally:
        await server.stop()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        assert probe.connect_ex(("127.0.0.1", server.port)) != 0  # closed
