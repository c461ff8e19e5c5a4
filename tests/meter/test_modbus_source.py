"""The Modbus meter source against a real pymodbus server on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
import itertools
from typing import Any

import pytest

from custom_components.ev_load_balancer.meter.base import MeterProblem
from custom_components.ev_load_balancer.meter.meter_models import (
    ABB_B23,
    EM24,
    METER_MODELS,
    SDM630,
    SHELLY_PRO_3EM,
)
from custom_components.ev_load_balancer.meter.modbus import Backoff, ModbusMeterSource
from custom_components.ev_load_balancer.meter.modbus_config import TcpTransport
from custom_components.ev_load_balancer.meter.read_plan import plan_reads
from custom_components.ev_load_balancer.meter.registers import Register, RegisterMap
from evlb_sim.live.modbus_meter import SimulatedMeter

from .helpers import (
    GUARD_S,
    StartServer,
    fast_config,
    free_port,
    running,
    wait_for_current,
    wait_for_problem,
    wait_until,
)

# Real sockets, limited to 127.0.0.1 by the HA test plugin.
pytestmark = pytest.mark.usefixtures("socket_enabled")

NORMAL = {"voltage": (230.0, 231.5, 229.0), "energy": 1234.5}
NAN = float("nan")
INF = float("inf")
type Spoil = Callable[[SimulatedMeter], None]


def meter_for(register_map: RegisterMap, **settings: object) -> SimulatedMeter:
    """A fake meter that refuses reads larger than the model allows."""
    return SimulatedMeter(
        max_registers_per_read=register_map.max_registers_per_read,
        **settings,
    )


@pytest.mark.parametrize("register_map", METER_MODELS.values(), ids=METER_MODELS.keys())
async def test_every_map_reads_changing_values(
    start_server: StartServer, register_map: RegisterMap
) -> None:
    meter = meter_for(register_map)
    meter.serve(
        register_map,
        current=(10.0, 8.5, 3.25),
        power=(2300.0, -1900.0, 700.0),  # L2 exports
        **NORMAL,
    )
    server = await start_server(meter)
    source = ModbusMeterSource(fast_config(server.port, register_map))
    async with running(source):
        await wait_for_current(source, (10.0, -8.5, 3.25))
        reading = source.reading
        assert reading is not None
        assert reading.voltage_v == pytest.approx((230.0, 231.5, 229.0))
        assert reading.power_w == pytest.approx((2300.0, -1900.0, 700.0))
        assert reading.energy_import_kwh == pytest.approx(1234.5)

        meter.serve(
            register_map,
            current=(16.0, 0.0, 31.5),
            power=(3600.0, 0.0, -7000.0),
            voltage=(240.0, 238.0, 241.0),
            energy=1240.5,
        )
        await wait_for_current(source, (16.0, 0.0, -31.5))
        reading = source.reading
        assert reading is not None
        assert reading.voltage_v == pytest.approx((240.0, 238.0, 241.0))
        assert reading.energy_import_kwh == pytest.approx(1240.5)


@pytest.mark.parametrize("register_map", METER_MODELS.values(), ids=METER_MODELS.keys())
async def test_each_poll_sends_the_grouped_requests_only(
    start_server: StartServer, register_map: RegisterMap
) -> None:
    meter = meter_for(register_map)
    meter.serve(register_map, current=(1.0, 2.0, 3.0), power=(1, 1, 1), **NORMAL)
    server = await start_server(meter)
    source = ModbusMeterSource(fast_config(server.port, register_map))
    requests_at_publish: list[int] = []

    def count() -> None:
        if source.problem is None:
            requests_at_publish.append(len(meter.requests))

    source.add_listener(count)
    async with running(source):
        await wait_until(source, lambda _: len(requests_at_publish) >= 4)

    blocks = plan_reads(register_map, with_total_power=False).blocks
    per_poll = [b - a for a, b in itertools.pairwise(requests_at_publish)]
    assert per_poll[:3] == [len(blocks)] * 3
    assert {(r.function, r.address, r.count) for r in meter.requests} == {
        (int(block.function), block.address, block.count) for block in blocks
    }
    assert max(r.count for r in meter.requests) <= register_map.max_registers_per_read


async def test_em24_never_asks_more_than_eleven_registers(
    start_server: StartServer,
) -> None:
    meter = meter_for(EM24)  # refuses 12+ with "illegal data value"
    meter.serve(EM24, current=(5.0, 6.0, 7.0), power=(1, 1, 1), **NORMAL)
    server = await start_server(meter)
    source = ModbusMeterSource(fast_config(server.port, EM24))
    async with running(source):
        await wait_for_current(source, (5.0, 6.0, 7.0))
    assert meter.requests
    assert all(request.count <= 11 for request in meter.requests)


async def test_a_load_step_is_published_within_one_poll(
    start_server: StartServer,
) -> None:
    meter = meter_for(SDM630)
    meter.serve(SDM630, current=(6.0, 6.0, 6.0), power=(1, 1, 1), **NORMAL)
    server = await start_server(meter)
    source = ModbusMeterSource(fast_config(server.port, SDM630))
    async with running(source):
        await wait_for_current(source, (6.0, 6.0, 6.0))
        meter.serve(SDM630, current=(32.0, 6.0, 6.0), power=(1, 1, 1))
        requests_at_step = len(meter.requests)
        await wait_for_current(source, (32.0, 6.0, 6.0))
        # SDM630 is one request per poll: the first request after the step
        # carried it, and it was published before another request went out.
        assert len(meter.requests) - requests_at_step == 1


async def test_a_silent_meter_is_reported_then_recovers(
    start_server: StartServer,
) -> None:
    meter = meter_for(SDM630)
    meter.serve(SDM630, current=(4.0, 4.0, 4.0), power=(1, 1, 1), **NORMAL)
    server = await start_server(meter)
    source = ModbusMeterSource(fast_config(server.port, SDM630, timeout_s=0.1))
    async with running(source):
        await wait_for_current(source, (4.0, 4.0, 4.0))
        meter.silent = True
        await wait_for_problem(source, MeterProblem.NO_RESPONSE)
        assert "no answer from unit 1" in source.problem_detail

        meter.serve(SDM630, current=(9.0, 4.0, 4.0), power=(1, 1, 1))
        meter.silent = False
        await wait_for_current(source, (9.0, 4.0, 4.0))
        assert source.problem_detail == ""


async def test_a_late_answer_is_never_taken_for_the_next_request(
    start_server: StartServer,
) -> None:
    meter = meter_for(SDM630)
    meter.serve(SDM630, current=(4.0, 4.0, 4.0), power=(1, 1, 1), **NORMAL)
    server = await start_server(meter)
    source = ModbusMeterSource(fast_config(server.port, SDM630, timeout_s=0.1))
    published: list[tuple[float, ...]] = []
    source.add_listener(
        lambda: (
            published.append(source.reading.current_a)
            if source.problem is None and source.reading
            else None
        )
    )
    async with running(source):
        await wait_for_current(source, (4.0, 4.0, 4.0))
        # The next answer (4 A) is held until the client gave up on it and
        # sent a new request, then sent just before the answer to that one.
        meter.hold_next_answer = True
        await wait_for_problem(source, MeterProblem.NO_RESPONSE)
        meter.serve(SDM630, current=(11.0, 4.0, 4.0), power=(1, 1, 1))
        step = len(published)
        await wait_for_current(source, (11.0, 4.0, 4.0))
        assert not meter.holding_an_answer  # the stale answer went out
        await wait_until(source, lambda _: len(published) >= step + 3)
    assert set(published[step:]) == {(11.0, 4.0, 4.0)}  # 4 A never came back


async def test_a_wrong_unit_id_gets_no_answer(start_server: StartServer) -> None:
    meter = meter_for(SDM630, unit_ids={1})
    meter.serve(SDM630, current=(4.0, 4.0, 4.0), power=(1, 1, 1), **NORMAL)
    server = await start_server(meter)
    config = fast_config(server.port, SDM630, unit_id=7, timeout_s=0.1)
    source = ModbusMeterSource(config)
    async with running(source):
        await wait_for_problem(source, MeterProblem.NO_RESPONSE)
    assert "unit 7" in source.problem_detail
    assert source.reading is None


async def test_disconnect_is_reported_and_reconnects_by_itself(
    start_server: StartServer,
) -> None:
    meter = meter_for(ABB_B23)
    meter.serve(ABB_B23, current=(4.0, 5.0, 6.0), power=(1, 1, 1), **NORMAL)
    server = await start_server(meter)
    source = ModbusMeterSource(fast_config(server.port, ABB_B23))
    async with running(source):
        await wait_for_current(source, (4.0, 5.0, 6.0))

        await server.stop()
        await wait_for_problem(source, MeterProblem.DISCONNECTED)
        assert f"127.0.0.1:{server.port}" in source.problem_detail
        # Several failed reconnects (with backoff) before the meter returns.
        failures: list[MeterProblem | None] = []
        source.add_listener(lambda: failures.append(source.problem))
        await wait_until(source, lambda _: len(failures) >= 3)

        meter.serve(ABB_B23, current=(7.0, 5.0, 6.0), power=(1, 1, 1))
        await server.start()  # same port
        await wait_for_current(source, (7.0, 5.0, 6.0))
    assert set(failures[:3]) == {MeterProblem.DISCONNECTED}


def _set(register_map: RegisterMap, **values: tuple[float, ...]) -> Spoil:
    def spoil(meter: SimulatedMeter) -> None:
        meter.serve(
            register_map, current=values.pop("current", (3.0, 3.0, 3.0)), **values
        )

    return spoil


def _all_ones(register: Register) -> Spoil:
    def spoil(meter: SimulatedMeter) -> None:
        meter.set_words(
            int(register.function), register.address, [0xFFFF] * register.count
        )

    return spoil


@pytest.mark.parametrize(
    ("register_map", "spoil", "detail"),
    [
        (SDM630, _set(SDM630, current=(NAN, 1.0, 1.0)), "0x0006 float32: nan is not"),
        (SHELLY_PRO_3EM, _set(SHELLY_PRO_3EM, current=(1.0, INF, 1.0)), "inf is not"),
        (ABB_B23, _all_ones(ABB_B23.current[2]), "0x5B10 uint32: the meter marks"),
        (ABB_B23, _all_ones(ABB_B23.voltage[0]), "not available (all FF)"),
        (ABB_B23, _all_ones(ABB_B23.energy_import), "holding 0x5000 uint64"),
        (EM24, _set(EM24, current=(1.0, 900.0, 1.0)), "L2 current 900.0 A on a 63 A"),
        (SDM630, _set(SDM630, voltage=(0.0, 230.0, 230.0)), "L1 voltage 0.0 V"),
    ],
    ids=[
        "nan",
        "inf",
        "abb-ff-current",
        "abb-ff-voltage",
        "abb-ff-energy",
        "absurd",
        "0V",
    ],
)
async def test_garbage_is_reported_never_published(
    start_server: StartServer, register_map: RegisterMap, spoil: Spoil, detail: str
) -> None:
    meter = meter_for(register_map)
    meter.serve(register_map, current=(3.0, 3.0, 3.0), power=(1, 1, 1), **NORMAL)
    server = await start_server(meter)
    source = ModbusMeterSource(fast_config(server.port, register_map, fuse_a=63.0))
    async with running(source):
        await wait_for_current(source, (3.0, 3.0, 3.0))
        last_good = source.reading

        spoil(meter)
        await wait_for_problem(source, MeterProblem.ABSURD)
        assert detail in source.problem_detail
        assert source.reading is last_good  # nothing new was published

        meter.serve(register_map, current=(2.0, 3.0, 3.0), power=(1, 1, 1), **NORMAL)
        await wait_for_current(source, (2.0, 3.0, 3.0))


async def test_rtu_framing_over_tcp(start_server: StartServer) -> None:
    # The RTU framer (what a serial bus carries) through a raw TCP gateway.
    meter = meter_for(EM24)
    meter.serve(EM24, current=(1.5, 2.5, 3.5), power=(1, 1, -1), **NORMAL)
    server = await start_server(meter, rtu_framing=True)
    transport = TcpTransport(host="127.0.0.1", port=server.port, rtu_framing=True)
    source = ModbusMeterSource(fast_config(server.port, EM24, transport=transport))
    async with running(source):
        await wait_for_current(source, (1.5, 2.5, -3.5))


async def test_stops_cleanly_while_reconnecting() -> None:
    # Nobody listens: the source is between backoff and connect when stopped;
    # the harness fails the test if a task or timer is left behind.
    source = ModbusMeterSource(fast_config(free_port(), SDM630))
    async with running(source):
        await wait_for_problem(source, MeterProblem.DISCONNECTED)
        assert "cannot connect" in source.problem_detail


async def test_stops_cleanly_while_a_read_is_pending(start_server: StartServer) -> None:
    meter = meter_for(SDM630, silent=True)
    asked = asyncio.Event()
    meter.on_request = asked.set
    server = await start_server(meter)
    source = ModbusMeterSource(fast_config(server.port, SDM630, timeout_s=5.0))
    # Start waits for the first read, so it runs aside while the stop comes.
    starting = asyncio.create_task(source.async_start())
    async with asyncio.timeout(GUARD_S):
        await asked.wait()  # the request is out; its answer will never come
        await source.async_stop()
        await starting  # the stop ended the wait for the first read
    assert source.problem is MeterProblem.NOT_STARTED  # stopped before any answer
    await source.async_stop()  # stopping twice is harmless


async def test_start_returns_after_the_first_read(start_server: StartServer) -> None:
    meter = meter_for(SDM630)
    meter.serve(SDM630, current=(4.0, 5.0, 6.0), power=(1, 1, 1), **NORMAL)
    server = await start_server(meter)
    source = ModbusMeterSource(fast_config(server.port, SDM630))
    async with running(source):
        assert source.problem is None
        assert source.reading is not None
        assert source.reading.current_a == pytest.approx((4.0, 5.0, 6.0))


async def test_start_returns_after_a_failed_first_read() -> None:
    source = ModbusMeterSource(fast_config(free_port(), SDM630))
    async with running(source):
        assert source.problem is MeterProblem.DISCONNECTED


async def test_the_poll_task_comes_from_the_given_factory(
    start_server: StartServer,
) -> None:
    meter = meter_for(SDM630)
    meter.serve(SDM630, current=(4.0, 5.0, 6.0), power=(1, 1, 1), **NORMAL)
    server = await start_server(meter)
    names: list[str] = []

    def create_task(
        coroutine: Coroutine[Any, Any, None], name: str
    ) -> asyncio.Task[None]:
        names.append(name)
        return asyncio.create_task(coroutine, name=name)

    config = fast_config(server.port, SDM630)
    source = ModbusMeterSource(config, create_task=create_task)
    async with running(source):
        await wait_until(source, lambda s: len(meter.requests) >= 2)
    assert names == [f"modbus meter {config.describe()}"]


def test_backoff_doubles_up_to_its_cap_and_resets() -> None:
    backoff = Backoff(0.5, 3.0)
    assert [backoff.next_delay() for _ in range(5)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    backoff.reset()
    assert backoff.next_delay() == 0.5
