"""Every entity of a site and its chargers: names, units, classes and states."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.ev_load_balancer.const import DOMAIN

from .loop_helpers import settle
from .simulated_site import SimulatedSite

ATTRIBUTES = (
    "unit_of_measurement",
    "device_class",
    "state_class",
    "options",
    "min",
    "max",
    "step",
    "friendly_name",
)


def _projection(hass: HomeAssistant, entry: er.RegistryEntry) -> dict[str, Any]:
    """The parts of an entity a user relies on, stable across HA versions."""
    state = hass.states.get(entry.entity_id)
    return {
        "unique_id": entry.unique_id,
        "translation_key": entry.translation_key,
        "entity_category": entry.entity_category,
        "disabled": entry.disabled_by is not None,
        "state": state.state if state else None,
        "attributes": {
            key: state.attributes[key]
            for key in ATTRIBUTES
            if state and key in state.attributes
        },
    }


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant,
    site: SimulatedSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    await settle(hass, freezer, site, seconds=5, rounds=12)
    entries = er.async_entries_for_config_entry(
        entity_registry, init_integration.entry_id
    )
    projected = {
        entry.entity_id: _projection(hass, entry)
        for entry in sorted(entries, key=lambda e: e.entity_id)
    }
    assert projected == snapshot


async def test_a_site_device_and_one_device_per_charger(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    site = device_registry.async_get_device({(DOMAIN, init_integration.entry_id)})
    assert site is not None
    assert site.name == "Garage"
    chargers = [
        device
        for device in dr.async_entries_for_config_entry(
            device_registry, init_integration.entry_id
        )
        if device.id != site.id
    ]
    assert sorted(device.name for device in chargers) == ["CP1", "CP2", "CP3"]
    assert all(device.via_device_id == site.id for device in chargers)
    for device in chargers:
        (identifier,) = device.identifiers
        subentry_id = identifier[1]
        assert device.config_entries_subentries[init_integration.entry_id] == {
            subentry_id
        }


async def test_removing_a_charger_removes_its_device(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    assert hass.config_entries.async_remove_subentry(init_integration, "sub_cp2")
    await hass.async_block_till_done()
    assert device_registry.async_get_device({(DOMAIN, "sub_cp2")}) is None
    assert not [
        entry
        for entry in er.async_entries_for_config_entry(
            entity_registry, init_integration.entry_id
        )
        if "sub_cp2" in entry.unique_id
    ]
    assert hass.states.get("sensor.cp1_allocated_limit") is not None
