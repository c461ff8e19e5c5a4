"""The loop's safety rules, end to end: overloads, chargers that fail or cheat."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.ev_load_balancer.const import (
    DOMAIN,
    EVENT_OVERLOAD_ENDED,
    EVENT_OVERLOAD_STARTED,
)

from .loop_helpers import assert_within_fuse, limits, settle
from .simulated_site import SimulatedSite


@pytest.mark.usefixtures("init_integration")
async def test_a_building_overload_pauses_only_that_phase(
    hass: HomeAssistant, site: SimulatedSite, freezer: FrozenDateTimeFactory
) -> None:
    started = async_capture_events(hass, EVENT_OVERLOAD_STARTED)
    ended = async_capture_events(hass, EVENT_OVERLOAD_ENDED)
    await settle(hass, freezer, site, seconds=5, rounds=12)
    site.baseline_a = [10.0, 45.0, 10.0]  # L2 alone is above the 38 A usable
    await settle(hass, freezer, site, seconds=5, rounds=4)
    assert hass.states.get("binary_sensor.garage_overload").state == "on"
    assert [event.data["site"] for event in started] == ["Garage"]
    # Every EV here loads L2: cp2's 1-phase EV sits on L2 by its wiring.
    assert set(limits(hass, site).values()) == {0.0}
    assert hass.states.get("sensor.cp1_reason").state == "paused_overload"

    site.baseline_a = [10.0, 10.0, 10.0]
    await settle(hass, freezer, site, seconds=5, rounds=12)
    assert hass.states.get("binary_sensor.garage_overload").state == "off"
    assert len(ended) == 1
    assert min(limits(hass, site).values()) > 0


@pytest.mark.usefixtures("init_integration")
async def test_a_charger_that_ignores_its_limit_is_reported_and_contained(
    hass: HomeAssistant, site: SimulatedSite, freezer: FrozenDateTimeFactory
) -> None:
    await settle(hass, freezer, site, seconds=5, rounds=12)
    cheat = site.charger("cp1")
    cheat.ignores_limit = True  # its EV takes 16 A whatever it is told
    await settle(hass, freezer, site, seconds=10, rounds=10)
    assert hass.states.get("binary_sensor.cp1_ignores_its_limit").state == "on"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "charger_ignores_limit_sub_cp1")
    assert issue is not None
    assert issue.translation_placeholders == {"site": "Garage", "charger": "CP1"}
    assert hass.states.get("sensor.cp1_reason").state == "not_controlled"
    assert_within_fuse(site)  # its real draw counts; the others make room

    cheat.ignores_limit = False
    await settle(hass, freezer, site, seconds=10, rounds=10)
    assert hass.states.get("binary_sensor.cp1_ignores_its_limit").state == "off"
    assert (
        ir.async_get(hass).async_get_issue(DOMAIN, "charger_ignores_limit_sub_cp1")
        is None
    )


async def test_a_charger_that_refuses_commands_is_reported_and_contained(
    hass: HomeAssistant,
    site: SimulatedSite,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
) -> None:
    refusing = {"on": False}

    async def set_value(call: ServiceCall) -> None:
        if refusing["on"] and call.data["entity_id"] == "input_number.cp3_limit":
            raise HomeAssistantError("charger offline")
        await original(call)

    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    original = hass.services._services["input_number"]["set_value"].job.target
    hass.services.async_register("input_number", "set_value", set_value)
    await settle(hass, freezer, site, seconds=5, rounds=12)

    refusing["on"] = True
    site.baseline_a = [20.0, 20.0, 20.0]  # everyone must come down
    await settle(hass, freezer, site, seconds=5, rounds=4)
    assert hass.states.get("binary_sensor.cp3_not_responding").state == "on"
    assert hass.states.get("sensor.cp3_reason").state == "not_controlled"
    # cp3 still draws its old 9 A: the others were cut to make room for it.
    assert_within_fuse_with_stuck(site, "cp3")
    await settle(hass, freezer, site, seconds=20, rounds=4)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "charger_unresponsive_sub_cp3")
    assert issue is not None
    assert issue.translation_placeholders["charger"] == "CP3"

    refusing["on"] = False
    await settle(hass, freezer, site, seconds=20, rounds=6)
    assert hass.states.get("binary_sensor.cp3_not_responding").state == "off"
    assert (
        ir.async_get(hass).async_get_issue(DOMAIN, "charger_unresponsive_sub_cp3")
        is None
    )


def assert_within_fuse_with_stuck(site: SimulatedSite, stuck: str) -> None:
    """The fuse holds with one charger stuck at what it draws."""
    allowed = list(site.baseline_a)
    for charger in site.chargers:
        if not charger.plugged:
            continue
        current = max(charger.draw()) if charger.key == stuck else charger.limit_a
        for conductor in range(min(charger.ev_phases, len(charger.wiring))):
            allowed[charger.wiring[conductor]] += current
    assert max(allowed) <= 38.0 + 1e-6, allowed


@pytest.mark.usefixtures("init_integration")
async def test_balancing_off_leaves_the_chargers_alone(
    hass: HomeAssistant, site: SimulatedSite, freezer: FrozenDateTimeFactory
) -> None:
    await settle(hass, freezer, site, seconds=5, rounds=12)
    before = limits(hass, site)
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.garage_balancing"}, blocking=True
    )
    site.baseline_a = [20.0, 20.0, 20.0]
    await settle(hass, freezer, site, seconds=5, rounds=4)
    assert limits(hass, site) == before
    assert hass.states.get("sensor.cp1_allocated_limit").state == "unknown"
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.garage_balancing"}, blocking=True
    )
    await settle(hass, freezer, site, seconds=5, rounds=4)
    assert limits(hass, site) != before
    assert_within_fuse(site)
