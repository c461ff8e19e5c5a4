"""Time one full per-phase read of an Eastron SDM630 over loopback.

A real pymodbus server on 127.0.0.1 serves the SDM630 map (the tests' simulated
meter); the source's own read path (read plan, request, decode, sign, checks)
reads it over one kept-open connection, as a poll does.
"""

from __future__ import annotations

import asyncio
import time

from custom_components.ev_load_balancer.meter.meter_models import SDM630
from custom_components.ev_load_balancer.meter.modbus_client import ModbusConnection
from custom_components.ev_load_balancer.meter.modbus_config import (
    ModbusMeterConfig,
    TcpTransport,
)
from custom_components.ev_load_balancer.meter.modbus_reading import read_meter
from evlb_sim.live.modbus_meter import SimulatedMeter
from evlb_sim.live.modbus_server import MeterServer

from .report import bench_line

WARM_UP = 20
ROUNDS = 500


async def _time_reads(rounds: int) -> list[float]:
    meter = SimulatedMeter(max_registers_per_read=SDM630.max_registers_per_read)
    meter.serve(
        SDM630,
        current=(12.0, 8.5, 3.25),
        voltage=(230.0, 231.0, 229.5),
        power=(2760.0, -1960.0, 745.0),
        energy=1234.5,
    )
    server = MeterServer(meter)
    await server.start()
    config = ModbusMeterConfig(
        transport=TcpTransport(host="127.0.0.1", port=server.port),
        register_map=SDM630,
    )
    connection = ModbusConnection(
        config.transport, unit_id=config.unit_id, timeout_s=config.timeout_s
    )
    samples: list[float] = []
    try:
        await connection.connect()
        for round_index in range(rounds + WARM_UP):
            started = time.perf_counter()
            await read_meter(connection, config)
            elapsed = time.perf_counter() - started
            if round_index >= WARM_UP:
                samples.append(elapsed)
    finally:
        connection.close()
        await server.stop()
    return samples


def main() -> None:
    samples = asyncio.run(_time_reads(ROUNDS))
    print(bench_line("modbus_read", samples, map="sdm630"), flush=True)
