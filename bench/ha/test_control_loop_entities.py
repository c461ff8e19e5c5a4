"""BENCH control_loop_entities: a meter change until the last of N chargers is set.

Fifty chargers are `input_number` entities (as HA users drive Easee, go-e...), the
meter three sensors. Each step moves the building's load so that every charger
gets a new limit; the time runs from writing the meter's state to the last
charger entity changing. The loop's own waits (hold, settling, ramp steps) are
switched off here: they are deliberate delays, not latency. So is asyncio's
debug mode, which the test harness turns on and production does not: it records
a stack trace for every task (about 1 ms each).
"""

from __future__ import annotations

import asyncio
import time
from unittest.mock import patch

from homeassistant.config_entries import ConfigSubentryData
from homeassistant.const import EVENT_STATE_CHANGED, __version__ as ha_version
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    MockConfigEntry,
)

from bench.report import bench_line
from custom_components.ev_load_balancer.balancer import BalancerSettings
from custom_components.ev_load_balancer.config_model import Tunables
from custom_components.ev_load_balancer.const import DOMAIN

CHARGERS = 50
STEPS = 60
AMPS = {"unit_of_measurement": "A"}


def _no_waiting(self: Tunables, strategy: object = None) -> BalancerSettings:
    return BalancerSettings(hold_s=0, follow_s=0, ramp_step_a=0, baseline_hold_s=0)


async def test_control_loop_entities(hass: HomeAssistant) -> None:
    hass.loop.set_debug(False)
    await async_setup_component(
        hass,
        "input_number",
        {
            "input_number": {
                f"cp{i}": {"min": 0, "max": 32, "step": 1, "initial": 0}
                for i in range(CHARGERS)
            }
        },
    )
    meter = [f"sensor.main_l{p}" for p in (1, 2, 3)]
    for entity_id in meter:
        hass.states.async_set(entity_id, "20", AMPS)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Bench",
        unique_id=meter[0],
        data={
            "name": "Bench",
            "phases": 3,
            "fuse_current": 500,
            "nominal_voltage": 230,
            "meter_type": "sensors",
            "meter_entities": meter,
            "voltage_entities": [],
        },
        options={"safety_margin": 2, "hold_time": 0},
        subentries_data=[
            ConfigSubentryData(
                data={
                    "connection": "three_phase_l1l2l3",
                    "min_current": 6,
                    "max_current": 32,
                    "priority": 5,
                    "control": "number",
                    "current_entity": f"input_number.cp{i}",
                    "current_sensors": [],
                    "status_entity": None,
                    "min_change_interval": 0,
                },
                subentry_type="charger",
                title=f"CP{i}",
                unique_id=f"input_number.cp{i}",
            )
            for i in range(CHARGERS)
        ],
    )
    entry.add_to_hass(hass)
    with patch.object(Tunables, "balancer_settings", _no_waiting):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()

        changed: set[str] = set()
        all_set = asyncio.Event()

        @callback
        def _on_change(event: Event[EventStateChangedData]) -> None:
            if event.data["entity_id"].startswith("input_number."):
                changed.add(event.data["entity_id"])
                if len(changed) == CHARGERS:
                    all_set.set()

        hass.bus.async_listen(EVENT_STATE_CHANGED, _on_change)
        samples: list[float] = []
        for step in range(STEPS):
            # 20 A or 120 A of building: each EV gets 9 A or 7 A (500 A fuse).
            load = "120" if step % 2 == 0 else "20"
            changed.clear()
            all_set.clear()
            started = time.perf_counter()
            for entity_id in meter:
                hass.states.async_set(entity_id, load, AMPS)
            await asyncio.wait_for(all_set.wait(), timeout=10)
            samples.append(time.perf_counter() - started)
            await asyncio.sleep(0.25)  # past the loop's 0.2 s debounce
        print()
        print(bench_line("control_loop_entities", samples, n=CHARGERS, ha=ha_version))
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
