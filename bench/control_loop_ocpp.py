"""Time from a meter change to the last of n OCPP chargers holding its new limit.

The real integration runs in a real Home Assistant core (built by the test
harness, pytest-homeassistant-custom-component's async_test_home_assistant,
in a temporary config directory, without pytest): the site's meter is three
sensor states, its OCPP server listens on 127.0.0.1 and n chargers connect
over websockets. Each charger is a bare client in the same process that
answers every CALL at once, so the figure is the integration's own cost:
the state change, the round (balancer included), the command workers, the
central system's framing, validation and profile building, and the loopback.
The clients share Home Assistant's event loop: a frame is on the wire when
the round has sent it, but read only after the round's entity updates (and a
periodic round that comes in between), so the figure is an upper bound.

Each round raises the building's load a little, so that every charger's limit
drops by 0.1 A: decreases go out at once (increases wait for the site to
settle, 15 s, which would time the balancer's hysteresis, not the loop).

Rounds are spaced beyond the loop's debounce: a change that comes within
0.2 s (MIN_ROUND_INTERVAL_S) of the previous round waits for its end, by
design; that wait, at most 0.2 s, is not in these figures.

Run: `python -m bench.control_loop_ocpp`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
import json
import logging
import tempfile
import time
from typing import Any

from homeassistant import loader
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT, __version__ as ha_version
from homeassistant.core import HomeAssistant
from homeassistant.helpers import frame
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    MockConfigEntry,
    async_test_home_assistant,
)
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from custom_components.ev_load_balancer.balancer import BalancerSettings
from custom_components.ev_load_balancer.const import MIN_ROUND_INTERVAL_S

from .report import bench_line

SIZES = (10, 50, 200)
WARM_UP = 3
ROUNDS = 37  # from 10 A (the first limit) down to the 6 A minimum
FIRST_LIMIT_A = 10.0  # the minimum plus one ramp step
MARGIN_A = 2.0
METER = ("sensor.main_l1", "sensor.main_l2", "sensor.main_l3")
AMPS = {ATTR_UNIT_OF_MEASUREMENT: "A"}
# The acknowledgements ask for one more round after the debounce; it starts
# a debounce of its own. Past both, a meter change is handled at once.
QUIET_S = 2 * MIN_ROUND_INTERVAL_S + 0.1


class Chargers:
    """n bare OCPP 1.6 clients; notes when each receives a limit."""

    def __init__(self) -> None:
        self.waiting: set[str] = set()
        self.expected_a = 0.0
        self.limits: dict[str, float] = {}
        self.all_in = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._sockets: list[ClientConnection] = []

    async def connect(self, port: int, ids: list[str]) -> None:
        for charger_id in ids:
            websocket = await connect(
                f"ws://127.0.0.1:{port}/ocpp/{charger_id}",
                subprotocols=[Subprotocol("ocpp1.6")],
                ping_interval=None,
            )
            self._sockets.append(websocket)
            self._tasks.append(asyncio.create_task(self._serve(charger_id, websocket)))

    def expect(self, ids: list[str], limit_a: float) -> None:
        """all_in is set once every one of them has received this limit."""
        self.waiting = {i for i in ids if self.limits.get(i) != limit_a}
        self.expected_a = limit_a
        if self.waiting:
            self.all_in.clear()
        else:
            self.all_in.set()

    async def _serve(self, charger_id: str, websocket: ClientConnection) -> None:
        await websocket.send(
            json.dumps(
                [
                    2,
                    "boot",
                    "BootNotification",
                    {"chargePointVendor": "Bench", "chargePointModel": "Sim"},
                ]
            )
        )
        await websocket.send(
            json.dumps(
                [
                    2,
                    "plug",
                    "StatusNotification",
                    {"connectorId": 1, "errorCode": "NoError", "status": "Preparing"},
                ]
            )
        )
        async for raw in websocket:
            message = json.loads(raw)
            if message[0] != 2:
                continue
            answer: dict[str, Any] = {"status": "Accepted"}
            if message[2] == "GetConfiguration":
                answer = {"configurationKey": []}
            elif message[2] == "SetChargingProfile":
                profile = message[3]["csChargingProfiles"]
                if profile["stackLevel"] == 1:
                    period = profile["chargingSchedule"]["chargingSchedulePeriod"]
                    limit = float(period[0]["limit"])
                    self.limits[charger_id] = limit
                    if limit == self.expected_a and charger_id in self.waiting:
                        self.waiting.discard(charger_id)
                        if not self.waiting:
                            self.all_in.set()
            await websocket.send(json.dumps([3, message[1], answer]))

    async def close(self) -> None:
        for websocket in self._sockets:
            await websocket.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


def _entry(ids: list[str], fuse_a: float) -> MockConfigEntry:
    return MockConfigEntry(
        domain="ev_load_balancer",
        title="Bench",
        unique_id=METER[0],
        data={
            "name": "Bench",
            "phases": 3,
            "fuse_current": fuse_a,
            "nominal_voltage": 230,
            "meter_type": "sensors",
            "meter_entities": list(METER),
            "voltage_entities": [],
        },
        options={
            "safety_margin": MARGIN_A,
            "hold_time": 0,
            "stale_after": 600,
            "ocpp_server": {"enabled": True, "host": "127.0.0.1", "port": 0},
        },
        subentries_data=[
            ConfigSubentryData(
                data={
                    "charge_point_id": charger_id,
                    "connection": "three_phase_l1l2l3",
                    "min_current": 6,
                    "max_current": 32,
                    "priority": 5,
                    "failsafe_current": 0,
                },
                subentry_type="ocpp_charger",
                title=charger_id,
                unique_id=charger_id,
            )
            for charger_id in ids
        ],
    )


def _set_meter(hass: HomeAssistant, current_a: float) -> None:
    for entity_id in METER:
        hass.states.async_set(entity_id, f"{current_a:.2f}", AMPS, force_update=True)


async def _settle(hass: HomeAssistant) -> None:
    await hass.async_block_till_done()
    await asyncio.sleep(QUIET_S)
    await hass.async_block_till_done()


async def run(count: int) -> list[float]:
    ids = [f"bench{index}" for index in range(count)]
    # Room for everyone's first limit and half a step: each round then takes
    # one 0.1 A step off every share, clear of rounding.
    baseline = 20.0
    fuse = baseline + MARGIN_A + count * (FIRST_LIMIT_A + 0.05)
    samples: list[float] = []
    with tempfile.TemporaryDirectory() as config_dir:
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)  # allow ours
            frame.async_setup(hass)
            _set_meter(hass, baseline)
            entry = _entry(ids, fuse)
            entry.add_to_hass(hass)
            assert await hass.config_entries.async_setup(entry.entry_id)
            await hass.async_block_till_done()
            chargers = Chargers()
            # Chargers that connect while the site settles from the first
            # ones' raise are held at 0 A until it has: all get there.
            chargers.expect(ids, FIRST_LIMIT_A)
            await chargers.connect(entry.runtime_data.ocpp.port, ids)
            await chargers.all_in.wait()
            # Those were raises: until the site has settled the loop credits
            # every EV with its new limit (none draws here).
            await asyncio.sleep(BalancerSettings().follow_s)
            await _settle(hass)
            for round_index in range(WARM_UP + ROUNDS):
                # Every share drops by 0.1 A (the charger limit's resolution).
                baseline += 0.1 * count
                chargers.expect(ids, round(FIRST_LIMIT_A - 0.1 * (round_index + 1), 1))
                started = time.perf_counter()
                _set_meter(hass, baseline)
                await chargers.all_in.wait()
                elapsed = time.perf_counter() - started
                if round_index >= WARM_UP:
                    samples.append(elapsed)
                await _settle(hass)
            assert await hass.config_entries.async_unload(entry.entry_id)
            await chargers.close()
            await hass.async_block_till_done()
    return samples


@contextmanager
def _quiet_logs() -> Iterator[None]:
    """HA warns about custom integrations and debug-logs much; keep the output
    to BENCH lines."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        yield
    finally:
        root.setLevel(level)


def main() -> None:
    with _quiet_logs():
        for count in SIZES:
            samples = asyncio.run(run(count))
            print(
                bench_line("control_loop_ocpp", samples, n=count, ha=ha_version),
                flush=True,
            )


if __name__ == "__main__":
    main()
