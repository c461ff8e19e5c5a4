"""Circuits added, changed and removed while the site runs: no reload."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_load_balancer.const import DOMAIN

from .loop_helpers import assert_within_fuse, limits, settle
from .simulated_site import SimulatedSite


async def _add_row(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "circuit"), context={"source": "user"}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            "name": "Row A",
            "parent": "site",
            "circuit_phases": ["l1", "l2", "l3"],
            "rating": 16,
            "safety_margin": 0,
            "reserve": 2,
        },
    )
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    return next(
        sid for sid, sub in entry.subentries.items() if sub.subentry_type == "circuit"
    )


def _move(
    hass: HomeAssistant, entry: MockConfigEntry, charger: str, circuit: str
) -> None:
    subentry = entry.subentries[charger]
    hass.config_entries.async_update_subentry(
        entry, subentry, data={**subentry.data, "circuit": circuit}
    )


async def test_a_circuit_comes_changes_and_goes_without_a_reload(
    hass: HomeAssistant,
    site: SimulatedSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    entry = init_integration
    coordinator = entry.runtime_data.coordinator
    await settle(hass, freezer, site, seconds=5, rounds=8)
    assert limits(hass, site) == {"cp1": 9.0, "cp2": 9.0, "cp3": 9.0}

    row = await _add_row(hass, entry)
    _move(hass, entry, "sub_cp1", row)
    _move(hass, entry, "sub_cp3", row)
    await hass.async_block_till_done()
    await settle(hass, freezer, site, seconds=5, rounds=10)
    assert entry.runtime_data.coordinator is coordinator  # not reloaded
    assert [c.circuit_id for c in coordinator.loop.config.circuits] == [row]
    # The row's 16 A less its 2 A reserve, for cp1 and cp3 (both 3-phase).
    current = limits(hass, site)
    assert current["cp1"] + current["cp3"] <= 14.0
    assert current["cp2"] > 9.0  # the main fuse has room left for cp2
    assert hass.states.get("binary_sensor.row_a_overload").state == "off"
    assert float(hass.states.get("sensor.row_a_available_current_l1").state) == 14.0
    # Unmetered: no load sensors, no meter or failsafe sensors.
    assert hass.states.get("sensor.row_a_load_l1") is None
    assert hass.states.get("binary_sensor.row_a_failsafe") is None
    assert_within_fuse(site)

    subentry: ConfigSubentry = entry.subentries[row]
    hass.config_entries.async_update_subentry(
        entry, subentry, data={**subentry.data, "rating": 14}
    )
    await hass.async_block_till_done()
    await settle(hass, freezer, site, seconds=5, rounds=6)
    assert entry.runtime_data.coordinator is coordinator
    current = limits(hass, site)
    assert current["cp1"] + current["cp3"] <= 12.0
    assert float(hass.states.get("sensor.row_a_available_current_l1").state) == 12.0

    hass.config_entries.async_remove_subentry(entry, row)
    await hass.async_block_till_done()
    await settle(hass, freezer, site, seconds=5, rounds=10)
    assert entry.runtime_data.coordinator is coordinator
    assert coordinator.loop.config.circuits == ()
    # Its chargers hang on the main fuse again.
    assert all(c.circuit_id is None for c in coordinator.loop.config.chargers)
    assert dr.async_get(hass).async_get_device(identifiers={(DOMAIN, row)}) is None
    registry = er.async_get(hass)
    assert not [
        e
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if e.config_subentry_id == row
    ]
    assert limits(hass, site) == {"cp1": 9.0, "cp2": 9.0, "cp3": 9.0}
    assert_within_fuse(site)
    # They still name the row: a repair issue says so until they are moved.
    issue_id = f"charger_circuit_gone_{entry.entry_id}"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders is not None
    names = sorted(coordinator.handles[c].config.name for c in ("sub_cp1", "sub_cp3"))
    assert issue.translation_placeholders["chargers"] == ", ".join(names)
    _move(hass, entry, "sub_cp1", "site")
    await hass.async_block_till_done()
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["chargers"] == names[1]
    _move(hass, entry, "sub_cp3", "site")
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
