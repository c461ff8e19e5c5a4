"""The control loop on a Modbus meter: a real server on 127.0.0.1, frozen time.

Each `watch.poll` lets one poll interval pass and waits for the meter's
report, so "within one poll" below is a count of polls, not of seconds.
"""

from __future__ import annotations

import asyncio
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.ev_load_balancer.const import (
    DOMAIN,
    EVENT_FAILSAFE_ENDED,
    EVENT_FAILSAFE_STARTED,
)
from custom_components.ev_load_balancer.meter import modbus
from evlb_sim.live.modbus_server import MeterServer

from .modbus_site import FUSE_A, MARGIN_A, ModbusSite
from .waits import MeterWatch, run_until, tick

pytestmark = pytest.mark.usefixtures("socket_enabled")


def limits(hass: HomeAssistant, site: ModbusSite) -> dict[str, float]:
    return {c.key: float(hass.states.get(c.number).state) for c in site.chargers}


def assert_within_fuse(site: ModbusSite) -> None:
    allowed = list(site.baseline_a)
    for charger in site.chargers:
        for conductor in range(min(charger.ev_phases, len(charger.wiring))):
            allowed[charger.wiring[conductor]] += charger.limit_a
    for phase, value in enumerate(allowed):
        assert value <= FUSE_A - MARGIN_A + 1e-6, f"L{phase + 1}: {value} A"


def state(hass: HomeAssistant, entity_id: str) -> str:
    current = hass.states.get(entity_id)
    assert current is not None, entity_id
    return current.state


async def settled(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, watch: MeterWatch, polls: int
) -> None:
    for _ in range(polls):
        await watch.poll(hass, freezer)


async def test_the_first_round_balances_on_the_first_reading(
    hass: HomeAssistant,
    site: ModbusSite,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Setup waits for the meter's first read: no failsafe while HA starts."""
    started = async_capture_events(hass, EVENT_FAILSAFE_STARTED)
    mock_config_entry.add_to_hass(hass)
    setup = hass.config_entries.async_setup(mock_config_entry.entry_id)
    assert await run_until(hass, freezer, setup, "setup")
    await hass.async_block_till_done()

    assert state(hass, "binary_sensor.garage_meter_healthy") == "on"
    assert state(hass, "binary_sensor.garage_failsafe") == "off"
    assert state(hass, "sensor.cp1_reason") != "failsafe"
    assert started == []
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)


async def test_a_load_step_cuts_the_limits_within_one_poll(
    hass: HomeAssistant,
    site: ModbusSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    watch = MeterWatch(init_integration)
    await settled(hass, freezer, watch, polls=8)
    # 40 A fuse - 2 A margin - 10 A flats = 28 A for three EVs on every phase.
    assert limits(hass, site) == {"cp1": 9.0, "cp2": 9.0, "cp3": 9.0}
    # L1: 10 A flats + cp1 + cp3 (cp2's single-phase EV is on L2).
    assert state(hass, "sensor.garage_site_current_l1") == "28.0"
    assert state(hass, "binary_sensor.garage_meter_healthy") == "on"

    # A sauna on L1, seen only through the Modbus registers.
    site.baseline_a = [30.0, 10.0, 10.0]
    site.publish()
    requests_at_step = len(site.meter.requests)
    await watch.poll(hass, freezer)

    assert len(site.meter.requests) == requests_at_step + 1  # one poll, one read
    assert state(hass, "sensor.garage_site_current_l1") == "48.0"
    current = limits(hass, site)
    # cp1 and cp3 load L1: both were cut in the round on that reading.
    assert current["cp1"] < 9.0
    assert current["cp3"] < 9.0
    assert_within_fuse(site)


async def test_a_meter_that_stops_answering_reaches_the_failsafe_and_recovers(
    hass: HomeAssistant,
    site: ModbusSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    meter_server: MeterServer,
) -> None:
    started = async_capture_events(hass, EVENT_FAILSAFE_STARTED)
    ended = async_capture_events(hass, EVENT_FAILSAFE_ENDED)
    issue_id = f"meter_unavailable_{init_integration.entry_id}"
    issues = ir.async_get(hass)
    watch = MeterWatch(init_integration)
    await settled(hass, freezer, watch, polls=6)
    assert state(hass, "sensor.garage_voltage_l1") == "230.5"

    await meter_server.stop()
    await watch.poll(hass, freezer)  # the next read fails: failsafe at once
    assert state(hass, "binary_sensor.garage_meter_healthy") == "off"
    assert state(hass, "binary_sensor.garage_failsafe") == "on"
    assert len(started) == 1
    # Static share: (38 A - 20 A reserved) / 3 EVs = 6 A.
    assert set(limits(hass, site).values()) == {6.0}
    assert state(hass, "sensor.cp1_reason") == "failsafe"
    assert state(hass, "sensor.garage_voltage_l1") == "unknown"
    assert issues.async_get_issue(DOMAIN, issue_id) is None  # a glitch, so far

    # Reconnects back off (at most 30 s apart); the outage outlasts the grace.
    await watch.poll(hass, freezer, seconds=35)
    issue = issues.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    # Closed (refused) or cut off (no answer): both say the meter is gone.
    assert issue.translation_placeholders["problem"].startswith(
        ("disconnected", "no_response")
    )
    assert set(limits(hass, site).values()) == {6.0}

    await meter_server.start()  # same port
    await watch.poll(hass, freezer, seconds=35)
    assert state(hass, "binary_sensor.garage_meter_healthy") == "on"
    assert state(hass, "binary_sensor.garage_failsafe") == "off"
    assert issues.async_get_issue(DOMAIN, issue_id) is None
    assert len(ended) == 1
    assert state(hass, "sensor.garage_voltage_l1") == "230.5"
    await settled(hass, freezer, watch, polls=8)
    assert limits(hass, site) == {"cp1": 9.0, "cp2": 9.0, "cp3": 9.0}
    assert_within_fuse(site)


async def test_a_silent_meter_reaches_the_failsafe_after_its_timeout(
    hass: HomeAssistant,
    site: ModbusSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    watch = MeterWatch(init_integration)
    await settled(hass, freezer, watch, polls=6)

    asked = asyncio.Event()
    site.meter.on_request = asked.set
    site.meter.silent = True  # powered off behind a gateway: no answer at all
    report = watch.next_report()
    await tick(hass, freezer, 1.0)
    await run_until(hass, freezer, asked.wait(), "request")
    await tick(hass, freezer, 2.0)  # past the 1 s read timeout
    await run_until(hass, freezer, report, "meter report")
    await tick(hass, freezer, 0.25)  # the round waits out the debounce
    assert state(hass, "binary_sensor.garage_meter_healthy") == "off"
    assert state(hass, "binary_sensor.garage_failsafe") == "on"
    assert set(limits(hass, site).values()) == {6.0}

    site.meter.silent = False
    site.meter.on_request = None
    await watch.poll(hass, freezer, seconds=2)
    assert state(hass, "binary_sensor.garage_failsafe") == "off"


async def test_a_stuck_poll_is_caught_by_the_stale_check(
    hass: HomeAssistant,
    site: ModbusSite,
    freezer: FrozenDateTimeFactory,
    site_options: dict[str, Any],
    init_integration: MockConfigEntry,
) -> None:
    """A read that hangs beyond every timeout (a bug) never reports a problem;
    the loop's stale_after check (10 s here) is the backstop."""
    watch = MeterWatch(init_integration)
    await settled(hass, freezer, watch, polls=6)
    release = asyncio.Event()
    real_read = modbus.read_meter

    async def stuck_read(*args: Any, **kwargs: Any) -> Any:
        await release.wait()
        return await real_read(*args, **kwargs)

    with patch.object(modbus, "read_meter", stuck_read):
        for _ in range(4):  # 8 s: the last reading is still fresh enough
            await tick(hass, freezer, 2.0)
        assert state(hass, "binary_sensor.garage_failsafe") == "off"
        await tick(hass, freezer, 4.0)  # 12 s > stale_after
        assert state(hass, "binary_sensor.garage_meter_healthy") == "off"
        assert state(hass, "binary_sensor.garage_failsafe") == "on"
        assert set(limits(hass, site).values()) == {6.0}

        report = watch.next_report()
        release.set()
        await run_until(hass, freezer, report, "meter report")
    await tick(hass, freezer, 0.25)
    assert state(hass, "binary_sensor.garage_meter_healthy") == "on"
    assert state(hass, "binary_sensor.garage_failsafe") == "off"


async def test_unload_stops_polling(
    hass: HomeAssistant,
    site: ModbusSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    watch = MeterWatch(init_integration)
    await settled(hass, freezer, watch, polls=2)
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    asked = len(site.meter.requests)
    for _ in range(5):
        await tick(hass, freezer, 1.0)
    assert len(site.meter.requests) == asked
