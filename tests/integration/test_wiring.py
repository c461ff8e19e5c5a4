"""Wiring detection end to end: a miswired charger found from the meter's
steps, shown on its device, raised as a repair issue and fixed by its flow."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.repairs.issue_handler import (
    async_process_repairs_platforms,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_load_balancer.const import DOMAIN

from .loop_helpers import drain, settle
from .simulated_site import SimulatedCharger, SimulatedSite

ISSUE = "wiring_mismatch_sub_cp2"


@pytest.fixture
async def site(hass: HomeAssistant) -> SimulatedSite:
    """cp2 is configured L2-L3-L1 but installed L3-L1-L2; its EV is 1-phase,
    so it loads site L3, not L2. cp1's 3-phase EV draws evenly."""
    simulated = SimulatedSite(
        hass,
        [
            SimulatedCharger("cp1"),
            SimulatedCharger(
                "cp2",
                connection="three_phase_l2l3l1",
                installed_connection="three_phase_l3l1l2",
                ev_phases=1,
            ),
        ],
    )
    await simulated.async_setup()
    return simulated


async def _evening(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, site: SimulatedSite
) -> None:
    """The EVs start, then cp2's EV takes less and more a few times, in two
    sessions (one session alone never decides)."""
    await settle(hass, freezer, site, seconds=5, rounds=12)
    cp2 = site.charger("cp2")
    for ev_max_a in (8.0, 16.0, 6.0, 14.0, 9.0, 16.0):
        cp2.ev_max_a = ev_max_a
        site.publish()
        await settle(hass, freezer, site, seconds=5, rounds=8)
        if ev_max_a == 14.0:  # the EV leaves and comes back: a second session
            cp2.plugged = False
            await settle(hass, freezer, site, seconds=5, rounds=8)
            cp2.plugged = True
            await settle(hass, freezer, site, seconds=5, rounds=12)


async def test_a_miswired_charger_is_shown_raised_and_fixed(
    hass: HomeAssistant,
    site: SimulatedSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    state = hass.states.get("sensor.cp2_detected_wiring")
    assert state is not None
    assert state.state == "unknown"

    await _evening(hass, freezer, site)

    state = hass.states.get("sensor.cp2_detected_wiring")
    assert state is not None
    assert state.state == "three_phase_l3l1l2"
    assert state.attributes["matches_configuration"] is False
    assert state.attributes["single_phase_ev"] is True
    assert state.attributes["confidence"] >= 99.9
    assert state.attributes["steps"] >= 3
    # An EV drawing evenly on three phases shows no rotation.
    even = hass.states.get("sensor.cp1_detected_wiring")
    assert even is not None
    assert even.state == "unknown"
    assert even.attributes["single_phase_ev"] is False
    issue = ir.async_get(hass).async_get_issue(DOMAIN, ISSUE)
    assert issue is not None
    assert issue.is_fixable
    assert issue.translation_key == "wiring_mismatch"
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["configured"] == "L2-L3-L1"
    assert issue.translation_placeholders["detected"] == "L3-L1-L2"
    assert ir.async_get(hass).async_get_issue(DOMAIN, "wiring_mismatch_sub_cp1") is None

    assert await async_setup_component(hass, "repairs", {})
    await async_process_repairs_platforms(hass)
    flows = hass.data["repairs"]["flow_manager"]
    result = await flows.async_init(DOMAIN, data={"issue_id": ISSUE})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "confirm"
    assert result["description_placeholders"]["charger"] == "CP2"
    result = await flows.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await drain(hass)

    subentry = init_integration.subentries["sub_cp2"]
    assert subentry.data["connection"] == "three_phase_l3l1l2"
    assert ir.async_get(hass).async_get_issue(DOMAIN, ISSUE) is None
    # The balancer now reserves site L3 for cp2's EV, and the evidence stays.
    await settle(hass, freezer, site, seconds=5, rounds=2)
    state = hass.states.get("sensor.cp2_detected_wiring")
    assert state is not None
    assert state.state == "three_phase_l3l1l2"
    assert state.attributes["matches_configuration"] is True


async def test_a_correctly_wired_charger_raises_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    site: SimulatedSite,
    mock_config_entry: MockConfigEntry,
) -> None:
    site.charger("cp2").installed_connection = None
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    await _evening(hass, freezer, site)
    state = hass.states.get("sensor.cp2_detected_wiring")
    assert state is not None
    assert state.state == "three_phase_l2l3l1"
    assert state.attributes["matches_configuration"] is True
    assert ir.async_get(hass).async_get_issue(DOMAIN, ISSUE) is None
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
