"""Test helpers: fast configs, and waits on what a source tells its listeners."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
import socket
from typing import Any

from custom_components.ev_load_balancer.meter.base import MeterProblem, MeterSource
from custom_components.ev_load_balancer.meter.modbus_config import (
    ModbusMeterConfig,
    TcpTransport,
)
from custom_components.ev_load_balancer.meter.registers import RegisterMap
from evlb_sim.live.modbus_server import MeterServer

# The `start_server` fixture: start(meter, rtu_framing=False) -> MeterServer.
type StartServer = Callable[..., Coroutine[Any, Any, MeterServer]]

# Only a guard against a hung test; no assertion depends on it.
GUARD_S = 10.0


async def wait_until(
    source: MeterSource, condition: Callable[[MeterSource], bool]
) -> None:
    """Return once `condition(source)` holds after a listener call (or now)."""
    reached = asyncio.Event()

    def check() -> None:
        if condition(source):
            reached.set()

    remove = source.add_listener(check)
    try:
        check()
        async with asyncio.timeout(GUARD_S):
            await reached.wait()
    finally:
        remove()


async def wait_for_problem(source: MeterSource, problem: MeterProblem) -> None:
    await wait_until(source, lambda s: s.problem is problem)


async def wait_for_current(source: MeterSource, current: tuple[float, ...]) -> None:
    """Until a published reading carries exactly these (signed) currents."""
    await wait_until(
        source,
        lambda s: (
            s.problem is None
            and s.reading is not None
            and all(
                abs(got - want) < 1e-6
                for got, want in zip(s.reading.current_a, current, strict=True)
            )
        ),
    )


@asynccontextmanager
async def running(source: MeterSource) -> AsyncIterator[MeterSource]:
    """Start the source and always stop it, as the coordinator would."""
    await source.async_start()
    try:
        yield source
    finally:
        await source.async_stop()


def free_port() -> int:
    """A 127.0.0.1 port nobody listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fast_config(
    port: int, register_map: RegisterMap, **overrides: object
) -> ModbusMeterConfig:
    """A config that polls, times out and reconnects quickly (loopback only)."""
    settings: dict[str, object] = {
        "poll_interval_s": 0.02,
        "timeout_s": 1.0,  # tests of silence pass a shorter one
        "reconnect_min_s": 0.02,
        "reconnect_max_s": 0.1,
        "transport": TcpTransport(host="127.0.0.1", port=port),
        "register_map": register_map,
    }
    settings.update(overrides)
    return ModbusMeterConfig(**settings)  # type: ignore[arg-type]
