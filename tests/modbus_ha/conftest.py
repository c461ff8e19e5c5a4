"""Fixtures: a Modbus meter server on 127.0.0.1 and a site that reads it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from evlb_sim.live.modbus_meter import SimulatedMeter
from evlb_sim.live.modbus_server import MeterServer

from .modbus_site import (
    MARGIN_A,
    ModbusSite,
    garage_chargers,
    modbus_entry,
    tcp_settings,
)
from .waits import run_until


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let the harness load custom_components/."""


@pytest.fixture
def meter() -> SimulatedMeter:
    """The registers the server answers with (an SDM630 at unit id 1)."""
    return SimulatedMeter(max_registers_per_read=80)


@pytest.fixture
async def meter_server(
    socket_enabled: None, meter: SimulatedMeter
) -> AsyncIterator[MeterServer]:
    """A real pymodbus TCP server on 127.0.0.1, stopped after the test."""
    server = MeterServer(meter)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def site_options() -> dict[str, Any]:
    return {"safety_margin": MARGIN_A, "hold_time": 0, "stale_after": 10}


@pytest.fixture
async def site(hass: HomeAssistant, meter: SimulatedMeter) -> ModbusSite:
    """The garage's chargers and EVs; its meter serves what they draw."""
    garage = ModbusSite(hass, garage_chargers(), meter=meter)
    await garage.async_setup()
    return garage


@pytest.fixture
def mock_config_entry(
    site: ModbusSite, meter_server: MeterServer, site_options: dict[str, Any]
) -> MockConfigEntry:
    return modbus_entry(site, tcp_settings(meter_server.port), site_options)


@pytest.fixture
async def init_integration(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
) -> AsyncIterator[MockConfigEntry]:
    """The site, set up (in frozen time) and reading its meter; unloaded after
    the test. Setup returns once the meter's first read is done."""
    mock_config_entry.add_to_hass(hass)
    setup = hass.config_entries.async_setup(mock_config_entry.entry_id)
    assert await run_until(hass, freezer, setup, "setup")
    await hass.async_block_till_done()
    yield mock_config_entry
    await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
