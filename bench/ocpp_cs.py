"""Time one round of limits to n OCPP chargers over real websockets on 127.0.0.1.

Each simulated charger is a bare websocket client that answers every CALL at
once, so the figure is the central system's own cost: framing, schema
validation, profile building and the per-charger queues. With `slow=1` one
charger never answers its limits; the round ends when every other charger has
acknowledged, which shows that it does not wait for the slow one.

Run: `python -m bench.ocpp_cs`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
import json
import time

from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from custom_components.ev_load_balancer.ocpp_cs import (
    CentralSystem,
    ChargerConfig,
    OcppChargerBackend,
    ServerConfig,
)

from .report import bench_line

SIZES = (10, 50, 200)
ROUNDS = 60
BOOT = [
    2,
    "boot",
    "BootNotification",
    {"chargePointVendor": "Bench", "chargePointModel": "Simulated"},
]


def _answer(action: str) -> dict[str, object]:
    if action == "GetConfiguration":
        return {"configurationKey": []}
    return {"status": "Accepted"}


async def _charger(websocket: ClientConnection, *, slow: bool) -> None:
    """Answer the central system until the connection closes."""
    await websocket.send(json.dumps(BOOT))
    async for raw in websocket:
        message = json.loads(raw)
        if message[0] != 2:
            continue
        profile = message[3].get("csChargingProfiles", {})
        if slow and profile.get("stackLevel") == 1:
            continue  # the slow charger never acknowledges a limit
        await websocket.send(json.dumps([3, message[1], _answer(message[2])]))


async def _set_up(backend: OcppChargerBackend) -> None:
    done = asyncio.Event()

    def check() -> None:
        if backend.info.failsafe_installed is not None:
            done.set()

    remove = backend.add_listener(check)
    check()
    await done.wait()
    remove()


async def run(count: int, *, slow: bool) -> list[float]:
    ids = [f"bench{index}" for index in range(count)]
    server = CentralSystem(
        ServerConfig(host="127.0.0.1", port=0, call_timeout_s=3600.0),
        chargers=[ChargerConfig(charger_id=charger_id) for charger_id in ids],
    )
    await server.async_start()
    sockets = [
        await connect(
            f"ws://127.0.0.1:{server.port}/ocpp/{charger_id}",
            subprotocols=[Subprotocol("ocpp1.6")],
        )
        for charger_id in ids
    ]
    chargers = [
        asyncio.create_task(_charger(websocket, slow=slow and index == 0))
        for index, websocket in enumerate(sockets)
    ]
    backends = [server.backends[charger_id] for charger_id in ids]
    await asyncio.gather(*(_set_up(backend) for backend in backends))
    samples: list[float] = []
    stuck: list[asyncio.Task[None]] = []
    for round_index in range(ROUNDS + 5):
        limit = 6.0 + round_index % 10
        started = time.perf_counter()
        applying: list[Awaitable[None]] = [
            backend.async_apply_limit(limit) for backend in backends
        ]
        if slow:
            stuck.append(asyncio.ensure_future(applying.pop(0)))
        await asyncio.gather(*applying)
        if round_index >= 5:  # warm-up: schema caches, first profiles
            samples.append(time.perf_counter() - started)
    await server.async_stop()
    for task in (*stuck, *chargers):
        task.cancel()
    await asyncio.gather(*stuck, *chargers, return_exceptions=True)
    for websocket in sockets:
        await websocket.close()
    return samples


def main() -> None:
    for count in SIZES:
        for slow in (False, True):
            samples = asyncio.run(run(count, slow=slow))
            print(
                bench_line("ocpp_round", samples, n=count, slow=int(slow)), flush=True
            )


if __name__ == "__main__":
    main()
