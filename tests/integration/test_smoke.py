"""First light: the site loads, balances and unloads cleanly."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .simulated_site import SimulatedSite


async def test_site_balances_and_unloads(
    hass: HomeAssistant, site: SimulatedSite, init_integration: MockConfigEntry
) -> None:
    assert init_integration.state is ConfigEntryState.LOADED
    print(
        {
            s.entity_id: s.state
            for s in hass.states.async_all()
            if "garage" in s.entity_id or "cp" in s.entity_id
        }
    )
    print([c.limit_a for c in site.chargers], site.site_current())
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
