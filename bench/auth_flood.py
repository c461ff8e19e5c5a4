"""Memory and responsiveness of Home Assistant under a wrong-password flood.

A real Home Assistant core (the test harness's async_test_home_assistant,
in a temporary config directory, without pytest) runs the integration with
its OCPP server on 127.0.0.1, one charger adopted with a password, and its
own HTTP API. A separate process (so that its memory is not counted) makes
400 handshakes with a wrong password, 50 at a time and each from an address
of its own (127.0.x.y), while it calls the REST
API (GET /api/) every 20 ms. The figures: how much the resident memory of
Home Assistant's process grew (its peak during the flood, over the level
after a warm-up login), and the p50/p99 of the REST calls meanwhile.

Run: `python -m bench.auth_flood`.
"""

from __future__ import annotations

import asyncio
import base64
from collections import Counter
import gc
import json
import logging
from pathlib import Path
import socket
import sys
import tempfile
import time
from typing import Any

import aiohttp
from homeassistant import loader
from homeassistant.auth.const import GROUP_ID_ADMIN
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.const import __version__ as ha_version
from homeassistant.core import HomeAssistant
from homeassistant.helpers import frame
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    MockConfigEntry,
    async_test_home_assistant,
)
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidMessage, InvalidStatus
from websockets.typing import Subprotocol

from custom_components.ev_load_balancer.ocpp_cs import hash_password

from .report import bench_line

HANDSHAKES = 400
AT_ONCE = 50
PROBE_EVERY_S = 0.02
PASSWORD = "0123456789abcdefABCD"  # noqa: S105 (the bench charger's)
ROOT = Path(__file__).resolve().parent.parent


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _entry(password_hash: str) -> MockConfigEntry:
    return MockConfigEntry(
        domain="ev_load_balancer",
        title="Bench",
        unique_id="sensor.main_l1",
        data={
            "name": "Bench",
            "phases": 3,
            "fuse_current": 63,
            "nominal_voltage": 230,
            "meter_type": "sensors",
            "meter_entities": ["sensor.main_l1", "sensor.main_l2", "sensor.main_l3"],
            "voltage_entities": [],
        },
        options={"ocpp_server": {"enabled": True, "host": "127.0.0.1", "port": 0}},
        subentries_data=[
            ConfigSubentryData(
                data={
                    "charge_point_id": "CP1",
                    "connection": "three_phase_l1l2l3",
                    "min_current": 6,
                    "max_current": 16,
                    "priority": 5,
                    "failsafe_current": 6,
                    "password_hash": password_hash,
                },
                subentry_type="ocpp_charger",
                title="CP1",
                unique_id="CP1",
            )
        ],
    )


async def _token(hass: HomeAssistant) -> str:
    user = await hass.auth.async_create_user("bench", group_ids=[GROUP_ID_ADMIN])
    refresh = await hass.auth.async_create_refresh_token(user, client_id="bench")
    return hass.auth.async_create_access_token(refresh)


async def _login(ocpp_port: int, password: str, source: str = "127.0.0.1") -> int:
    token = f"CP1:{password}".encode()
    header = {"Authorization": "Basic " + base64.b64encode(token).decode()}
    try:
        async with connect(
            f"ws://127.0.0.1:{ocpp_port}/ocpp/CP1",
            subprotocols=[Subprotocol("ocpp1.6")],
            additional_headers=header,
            open_timeout=60,
            local_addr=(source, 0),
        ):
            return 101
    except InvalidStatus as refused:
        return refused.response.status_code
    except (OSError, TimeoutError, InvalidMessage):
        return 0  # closed before any answer: too many handshakes at once


async def attack(ocpp_port: int, http_port: int, token: str) -> dict[str, Any]:
    """The flood and the REST calls beside it (runs in its own process)."""
    statuses: Counter[int] = Counter()
    latencies: list[float] = []
    slots = asyncio.Semaphore(AT_ONCE)

    async def one(index: int) -> None:
        # Each from an address of its own (all of 127/8 is loopback): the
        # backoff per address does not help, only the one per charger id.
        source = f"127.0.{1 + index // 250}.{1 + index % 250}"
        async with slots:
            password = f"wrong password {index:04d}"
            statuses[await _login(ocpp_port, password, source)] += 1

    async def probe(session: aiohttp.ClientSession, done: asyncio.Event) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        while not done.is_set():
            started = time.perf_counter()
            async with session.get(
                f"http://127.0.0.1:{http_port}/api/", headers=headers
            ) as response:
                await response.read()
                assert response.status == 200, response.status
            latencies.append(time.perf_counter() - started)
            await asyncio.sleep(PROBE_EVERY_S)

    done = asyncio.Event()
    async with aiohttp.ClientSession() as session:
        prober = asyncio.create_task(probe(session, done))
        started = time.perf_counter()
        await asyncio.gather(*(one(index) for index in range(HANDSHAKES)))
        elapsed = time.perf_counter() - started
        done.set()
        await prober
    return {"statuses": dict(statuses), "latencies": latencies, "s": elapsed}


async def run() -> tuple[float, float, dict[str, Any]]:
    password_hash = hash_password(PASSWORD)
    http_port = _free_port()
    with tempfile.TemporaryDirectory() as config_dir:
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)  # allow ours
            frame.async_setup(hass)
            assert await async_setup_component(
                hass,
                "http",
                {"http": {"server_host": ["127.0.0.1"], "server_port": http_port}},
            )
            assert await async_setup_component(hass, "api", {})
            await hass.async_start()
            await hass.async_block_till_done()
            entry = _entry(password_hash)
            entry.add_to_hass(hass)
            assert await hass.config_entries.async_setup(entry.entry_id)
            await hass.async_block_till_done()
            ocpp_port = entry.runtime_data.ocpp.port
            token = await _token(hass)
            # Warm up: a good login (the password checks' threads exist then).
            assert await _login(ocpp_port, PASSWORD) == 101
            await asyncio.sleep(1.0)
            gc.collect()
            before = _rss_mb()
            peak = before
            attacker = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bench.auth_flood",
                "attack",
                str(ocpp_port),
                str(http_port),
                token,
                cwd=ROOT,
                stdout=asyncio.subprocess.PIPE,
            )
            reading = asyncio.create_task(attacker.communicate())
            while not reading.done():
                peak = max(peak, _rss_mb())
                await asyncio.sleep(0.05)
            output, _ = reading.result()
            assert attacker.returncode == 0, "the attacker failed"
            result: dict[str, Any] = json.loads(output)
            assert await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_block_till_done()
            await hass.async_stop()
    return before, peak, result


def main() -> None:
    if sys.argv[1:2] == ["attack"]:
        ocpp_port, http_port, token = sys.argv[2:5]
        result = asyncio.run(attack(int(ocpp_port), int(http_port), token))
        print(json.dumps(result))
        return
    root = logging.getLogger()
    root.setLevel(logging.CRITICAL)  # the flood's refusals are the point here
    before, peak, result = asyncio.run(run())
    statuses = Counter({int(k): v for k, v in result["statuses"].items()})
    print(
        bench_line(
            "auth_flood",
            result["latencies"],
            n=HANDSHAKES,
            s=f"{result['s']:.1f}",
            rss_growth_mb=f"{peak - before:.1f}",
            checked=statuses[401],
            refused_at_once=statuses[429] + statuses[503] + statuses[0],
            ha=ha_version,
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
