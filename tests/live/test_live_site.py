"""The live site against the integration's own OCPP server and Modbus reader."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress

import pytest

from custom_components.ev_load_balancer.balancer import ChargerState
from custom_components.ev_load_balancer.meter.meter_models import SDM630
from custom_components.ev_load_balancer.meter.modbus_client import ModbusConnection
from custom_components.ev_load_balancer.meter.modbus_config import (
    ModbusMeterConfig,
    TcpTransport,
)
from custom_components.ev_load_balancer.meter.modbus_reading import read_meter
from custom_components.ev_load_balancer.ocpp_cs import (
    CentralSystem,
    ChargerConfig,
    OcppChargerBackend,
    ServerConfig,
)
from evlb_sim.live.modbus_meter import SimulatedMeter
from evlb_sim.live.modbus_server import MeterServer
from evlb_sim.live.site import LiveSite, SiteSpec

GUARD_S = 20.0  # only against a hung test


@pytest.fixture(autouse=True)
def _sockets(socket_enabled: None) -> None:
    """127.0.0.1 only."""


@asynccontextmanager
async def _running(
    spec: SiteSpec, adopted: int
) -> AsyncIterator[tuple[LiveSite, CentralSystem, MeterServer, asyncio.Event]]:
    ids = [charger.charger_id for charger in spec.charger_specs()]
    central = CentralSystem(
        ServerConfig(host="127.0.0.1", port=0, pending_retry_s=3600),
        chargers=[
            ChargerConfig(charger_id=charger_id, failsafe_current_a=0.0)
            for charger_id in ids[:adopted]
        ],
    )
    await central.async_start()
    meter = SimulatedMeter(max_registers_per_read=SDM630.max_registers_per_read)
    server = MeterServer(meter)
    await server.start()
    links_changed = asyncio.Event()
    site = LiveSite(
        spec,
        ocpp_url=f"ws://127.0.0.1:{central.port}/ocpp",
        meter=meter,
        on_links=links_changed.set,
    )
    running = asyncio.create_task(site.run())
    try:
        yield site, central, server, links_changed
    finally:
        running.cancel()
        with suppress(asyncio.CancelledError):
            await running
        await central.async_stop()
        await server.stop()


async def _until(event: asyncio.Event, condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(GUARD_S):
        while not condition():
            event.clear()
            await event.wait()


async def _backend_until(
    backend: OcppChargerBackend, condition: Callable[[], bool]
) -> None:
    changed = asyncio.Event()
    remove = backend.add_listener(changed.set)
    try:
        await _until(changed, condition)
    finally:
        remove()


async def test_adopted_chargers_run_and_pending_ones_wait_for_adoption() -> None:
    spec = SiteSpec(chargers=4, speed=60.0, ev_increase_s=0.2)
    async with _running(spec, adopted=2) as (site, central, _, links):
        await _until(links, lambda: site.snapshot().online == 2)
        await _until(links, lambda: len(central.pending) == 2)
        assert not any(charger.commissioned for charger in site.chargers[2:])
        await central.async_adopt(ChargerConfig(charger_id="CP003"))
        await _until(links, lambda: site.snapshot().online == 3)


async def test_the_evs_keep_to_the_limits_and_the_meter_sums_everything() -> None:
    spec = SiteSpec(chargers=8, speed=60.0, ev_decrease_s=0.2, ev_increase_s=0.2)
    async with _running(spec, adopted=8) as (site, central, server, links):
        await _until(links, lambda: site.snapshot().online == 8)
        ticked = asyncio.Event()
        site.on_tick = ticked.set
        await _until(ticked, lambda: any(h.plugged for h in site.chargers))
        hardware = next(h for h in site.chargers if h.plugged is not None)
        backend = central.backends[hardware.spec.charger_id]
        await backend.async_apply_limit(10.0)
        await _backend_until(
            backend,
            lambda: (
                backend.status.state is ChargerState.CHARGING
                and backend.status.current_a is not None
                and backend.status.current_a[0] == pytest.approx(10.0)
            ),
        )
        await backend.async_apply_limit(0.0)
        await _backend_until(
            backend, lambda: backend.status.state is ChargerState.CONNECTED
        )
        assert hardware.draw_a == 0.0

        served: list[tuple[float, ...]] = []
        site.on_tick = lambda: served.append(site.feed_a)
        connection = ModbusConnection(
            TcpTransport(host="127.0.0.1", port=server.port), unit_id=1, timeout_s=2.0
        )
        await connection.connect()
        try:
            site.tick()
            sample = await read_meter(
                connection,
                ModbusMeterConfig(
                    transport=TcpTransport(host="127.0.0.1", port=server.port),
                    register_map=SDM630,
                ),
            )
        finally:
            connection.close()
        # The registers of a tick while the read was on its way.
        assert any(
            sample.reading.current_a == pytest.approx(feed, abs=1e-3) for feed in served
        )
        building = site.building_a
        evs = [
            sum(h.site_currents()[phase] for h in site.chargers) for phase in range(3)
        ]
        assert site.feed_a == pytest.approx(
            [b + e for b, e in zip(building, evs, strict=True)]
        )
