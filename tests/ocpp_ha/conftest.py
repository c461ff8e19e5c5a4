"""Fixtures: the integration in the HA harness with its OCPP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .site import set_meter

type SetUpSite = Callable[[MockConfigEntry], Awaitable[MockConfigEntry]]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A hang (a frozen clock never fires a timeout) fails the test, in real time."""
    for item in items:
        if "ocpp_ha" in item.nodeid:
            item.add_marker(pytest.mark.timeout(120))


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let the harness load custom_components/."""


@pytest.fixture(autouse=True)
def _sockets(socket_enabled: None) -> None:
    """The chargers are real websocket clients on 127.0.0.1."""


@pytest.fixture
async def setup_site(hass: HomeAssistant) -> AsyncIterator[SetUpSite]:
    """Set up site entries (the meter reads 10 A per phase); unload them after."""
    entries: list[MockConfigEntry] = []

    async def setup(entry: MockConfigEntry) -> MockConfigEntry:
        set_meter(hass, (10.0, 10.0, 10.0))
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        entries.append(entry)
        return entry

    yield setup
    for entry in entries:
        if entry.state is ConfigEntryState.LOADED:
            assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
