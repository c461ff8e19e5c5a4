"""The config flow's one-shot probe: values, or one of three error codes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import struct

import pytest

from custom_components.ev_load_balancer.meter.meter_models import (
    ABB_B23,
    SDM630,
    SHELLY_PRO_3EM,
)
from custom_components.ev_load_balancer.meter.modbus_probe import (
    ProbeError,
    async_probe,
)
from evlb_sim.live.modbus_meter import SimulatedMeter

from .helpers import StartServer, fast_config, free_port

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def test_probe_returns_the_values_read(start_server: StartServer) -> None:
    meter = SimulatedMeter()
    meter.serve(
        SHELLY_PRO_3EM,
        current=(5.0, 6.0, 7.0),
        voltage=(230.0, 231.0, 232.0),
        power=(1100.0, -1300.0, 1500.0),
        total_power=1300.0,
        energy=5120.0,  # kWh, served as 5120000 Wh
    )
    server = await start_server(meter)

    result = await async_probe(fast_config(server.port, SHELLY_PRO_3EM))

    assert result.ok
    assert result.error is None
    assert result.current_a == pytest.approx((5.0, -6.0, 7.0))
    assert result.voltage_v == pytest.approx((230.0, 231.0, 232.0))
    assert result.power_w == pytest.approx((1100.0, -1300.0, 1500.0))
    assert result.total_power_w == pytest.approx(1300.0)
    assert result.energy_import_kwh == pytest.approx(5120.0)
    assert "Shelly Pro 3EM" in result.detail


async def test_probe_cannot_connect() -> None:
    port = free_port()
    result = await async_probe(fast_config(port, SDM630))
    assert result.error is ProbeError.CANNOT_CONNECT
    assert f"127.0.0.1:{port}" in result.detail
    assert result.current_a is None


async def test_probe_no_answer_from_a_wrong_unit_id(start_server: StartServer) -> None:
    meter = SimulatedMeter(unit_ids={1})
    meter.serve(SDM630, current=(1.0, 1.0, 1.0), voltage=(230.0,) * 3)
    server = await start_server(meter)
    result = await async_probe(
        fast_config(server.port, SDM630, unit_id=3, timeout_s=0.1)
    )
    assert result.error is ProbeError.NO_ANSWER
    assert "no answer from unit 3" in result.detail


async def test_probe_no_answer_from_a_silent_meter(start_server: StartServer) -> None:
    server = await start_server(SimulatedMeter(silent=True))
    result = await async_probe(fast_config(server.port, SDM630, timeout_s=0.1))
    assert result.error is ProbeError.NO_ANSWER
    assert "within 0.1 s" in result.detail


@pytest.fixture
async def gateway_without_target(socket_enabled: None) -> AsyncIterator[int]:
    """A Modbus TCP gateway whose serial unit is dead: it answers every
    request with exception 0x0B (gateway target device failed to respond)."""

    async def handle(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            while True:
                header = await reader.readexactly(7)
                transaction, _protocol, length, unit = struct.unpack(">HHHB", header)
                function = (await reader.readexactly(length - 1))[0]
                writer.write(
                    struct.pack(
                        ">HHHBBB", transaction, 0, 3, unit, function | 0x80, 0x0B
                    )
                )
                await writer.drain()
        except asyncio.IncompleteReadError:
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()


async def test_probe_no_answer_through_a_gateway(gateway_without_target: int) -> None:
    result = await async_probe(fast_config(gateway_without_target, SDM630))
    assert result.error is ProbeError.NO_ANSWER
    assert "gateway target did not respond" in result.detail


async def test_probe_implausible_values(start_server: StartServer) -> None:
    meter = SimulatedMeter()
    meter.serve(
        SDM630,
        current=(1.0, 2.0, 500.0),
        voltage=(230.0,) * 3,
        power=(1.0,) * 3,
    )
    server = await start_server(meter)
    result = await async_probe(fast_config(server.port, SDM630, fuse_a=35.0))
    assert result.error is ProbeError.IMPLAUSIBLE
    assert "L3 current 500.0 A on a 35 A fuse" in result.detail


async def test_probe_implausible_when_nothing_sane_is_there(
    start_server: StartServer,
) -> None:
    # A register block full of zeros: 0 V on every phase is not a live feed.
    server = await start_server(SimulatedMeter())
    result = await async_probe(fast_config(server.port, SDM630))
    assert result.error is ProbeError.IMPLAUSIBLE
    assert "L1 voltage 0.0 V" in result.detail


async def test_probe_implausible_for_the_wrong_model(start_server: StartServer) -> None:
    # An Eastron (input registers only) probed as an ABB (holding registers).
    meter = SimulatedMeter(functions={4})
    meter.serve(SDM630, current=(1.0,) * 3, voltage=(230.0,) * 3, power=(1.0,) * 3)
    server = await start_server(meter)
    result = await async_probe(fast_config(server.port, ABB_B23))
    assert result.error is ProbeError.IMPLAUSIBLE
    assert "refused" in result.detail
    assert "is ABB B23/B24 the right model?" in result.detail
