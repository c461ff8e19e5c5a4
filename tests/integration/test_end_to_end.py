"""The loop keeps a garage inside its fuse through a whole evening."""

from __future__ import annotations

from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.ev_load_balancer.balancer import Balancer
from custom_components.ev_load_balancer.const import (
    DOMAIN,
    EVENT_CHARGER_PAUSED,
    EVENT_CHARGER_RESUMED,
    EVENT_FAILSAFE_STARTED,
)

from .loop_helpers import assert_within_fuse, drain, flush, limits, settle
from .simulated_site import AMPS, METER, SimulatedSite

pytestmark = pytest.mark.usefixtures("init_integration")


async def test_chargers_share_what_the_building_leaves(
    hass: HomeAssistant, site: SimulatedSite, freezer: FrozenDateTimeFactory
) -> None:
    await settle(hass, freezer, site, seconds=5, rounds=12)
    # 40 A fuse - 2 A margin - 10 A flats = 28 A for three EVs on every phase.
    assert limits(hass, site) == {"cp1": 9.0, "cp2": 9.0, "cp3": 9.0}
    assert hass.states.get("sensor.garage_available_current_l1").state == "28.0"
    assert hass.states.get("sensor.garage_charging_evs").state == "3"
    assert hass.states.get("sensor.cp1_reason").state == "fair_share"
    assert_within_fuse(site)


async def test_baseline_step_pauses_at_once_and_resumes(
    hass: HomeAssistant, site: SimulatedSite, freezer: FrozenDateTimeFactory
) -> None:
    paused = async_capture_events(hass, EVENT_CHARGER_PAUSED)
    resumed = async_capture_events(hass, EVENT_CHARGER_RESUMED)
    await settle(hass, freezer, site)

    # A sauna on L1: 30 A. cp1 and cp3 load L1; cp2's 1-phase EV is on L2 only.
    site.baseline_a = [30.0, 10.0, 10.0]
    site.publish()
    await flush(hass, freezer)
    assert_within_fuse(site)  # the decrease went out in the next round
    # While the cut EV ramps down the loop stays cautious; once the site has
    # settled one of the two L1 chargers has the 8 A that L1 has left.
    await settle(hass, freezer, site, seconds=5, rounds=8)
    current = limits(hass, site)
    assert sorted([current["cp1"], current["cp3"]]) == [0.0, 8.0]
    assert current["cp2"] >= 9.0  # unaffected: its EV does not use L1
    waiting = "CP1" if current["cp1"] == 0 else "CP3"
    assert waiting in [event.data["charger"] for event in paused]
    assert all(event.data["reason"] == "paused_queue" for event in paused)
    assert hass.states.get("sensor.garage_queued_evs").state == "1"
    assert hass.states.get("binary_sensor.garage_overload").state == "off"
    assert_within_fuse(site)
    resumed.clear()

    site.baseline_a = [10.0, 10.0, 10.0]
    # Current comes back once the site has settled, in steps of at most 4 A.
    await settle(hass, freezer, site, seconds=5, rounds=12)
    assert min(limits(hass, site).values()) >= 9.0
    assert [event.data["charger"] for event in resumed] == [waiting]
    assert_within_fuse(site)


async def test_unplugged_ev_frees_current_for_the_others(
    hass: HomeAssistant, site: SimulatedSite, freezer: FrozenDateTimeFactory
) -> None:
    await settle(hass, freezer, site)
    site.charger("cp1").plugged = False
    await settle(hass, freezer, site, seconds=5, rounds=12)
    current = limits(hass, site)
    assert current["cp1"] == 0.0
    assert hass.states.get("sensor.cp1_state").state == "no_ev"
    # cp3 (3-phase) now shares L1..L3 with cp2 (1-phase on L2): 28 A / 2 = 14 A.
    assert current["cp3"] == 14.0
    assert current["cp2"] == 14.0
    assert_within_fuse(site)


async def test_a_charger_added_in_the_ui_gets_its_share(
    hass: HomeAssistant,
    site: SimulatedSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    await settle(hass, freezer, site)
    newcomer = site.charger("cp4")
    newcomer.installed = newcomer.plugged = True
    site.publish()

    result = await hass.config_entries.subentries.async_init(
        (init_integration.entry_id, "charger"), context={"source": "user"}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            "name": "CP4",
            "connection": "single_phase_l3",
            "min_current": 6,
            "max_current": 16,
            "priority": 5,
            "control": "number",
        },
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"current_entity": newcomer.number}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            "current_l1": newcomer.sensor(0),
            "status_entity": newcomer.status,
            "min_change_interval": 0,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    await settle(hass, freezer, site, rounds=6)

    assert init_integration.state is ConfigEntryState.LOADED
    current = limits(hass, site)
    assert current["cp4"] >= 6.0
    assert hass.states.get("sensor.cp4_allocated_limit").state == str(current["cp4"])
    assert_within_fuse(site)


async def test_stale_meter_leads_to_failsafe_and_recovers(
    hass: HomeAssistant, site: SimulatedSite, freezer: FrozenDateTimeFactory
) -> None:
    failsafe = async_capture_events(hass, EVENT_FAILSAFE_STARTED)
    await settle(hass, freezer, site)
    assert hass.states.get("binary_sensor.garage_meter_healthy").state == "on"

    site.meter_frozen = True  # the meter stops reporting
    await settle(hass, freezer, site, seconds=4, rounds=4)
    assert hass.states.get("binary_sensor.garage_meter_healthy").state == "off"
    assert hass.states.get("binary_sensor.garage_failsafe").state == "on"
    assert len(failsafe) == 1
    # Static share: (38 A - 20 A reserved) / 3 EVs = 6 A; never above the last limit.
    assert set(limits(hass, site).values()) == {6.0}
    assert hass.states.get("sensor.cp1_reason").state == "failsafe"

    await settle(hass, freezer, site, seconds=10, rounds=4)
    issue_id = (
        f"meter_unavailable_{hass.config_entries.async_entries(DOMAIN)[0].entry_id}"
    )
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None

    site.meter_frozen = False
    await settle(hass, freezer, site)
    assert hass.states.get("binary_sensor.garage_meter_healthy").state == "on"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    assert set(limits(hass, site).values()) == {9.0}
    assert_within_fuse(site)


@pytest.mark.parametrize("bad_value", ["unavailable", "unknown", "not a number", "1e9"])
async def test_unusable_meter_value_leads_to_failsafe_at_once(
    hass: HomeAssistant,
    site: SimulatedSite,
    freezer: FrozenDateTimeFactory,
    bad_value: str,
) -> None:
    await settle(hass, freezer, site)
    site.meter_frozen = True
    hass.states.async_set(METER[1], bad_value, AMPS)
    await flush(hass, freezer)
    assert hass.states.get("binary_sensor.garage_failsafe").state == "on"
    assert max(limits(hass, site).values()) <= 9.0


async def test_priorities_boost_and_queue_survive_a_restart(
    hass: HomeAssistant,
    site: SimulatedSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    await settle(hass, freezer, site)
    await hass.services.async_call(
        "number", "set_value", {"entity_id": "number.cp2_priority", "value": 8}, True
    )
    await hass.services.async_call(
        "button", "press", {"entity_id": "button.cp3_boost"}, True
    )
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.cp1_included_in_balancing"}, True
    )
    await hass.async_block_till_done()

    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    await settle(hass, freezer, site)

    assert hass.states.get("number.cp2_priority").state == "8"
    assert hass.states.get("switch.cp1_included_in_balancing").state == "off"
    assert hass.states.get("sensor.cp1_reason").state == "not_controlled"
    coordinator = init_integration.runtime_data.coordinator
    assert coordinator.data.chargers["sub_cp3"].boosted


async def test_a_quiet_site_recomputes_on_its_tick_only(
    hass: HomeAssistant, site: SimulatedSite, freezer: FrozenDateTimeFactory
) -> None:
    """Found on HA 2026.2: polling the meter announced a new reading, which
    asked for the next round, forever (a round every 0.2 s on a quiet site)."""
    await settle(hass, freezer, site, seconds=5, rounds=12)
    with patch.object(
        Balancer, "allocate", autospec=True, side_effect=Balancer.allocate
    ) as allocate:
        for _ in range(10):  # 20 s without any change; the tick is 2 s
            freezer.tick(2)
            async_fire_time_changed(hass)
            await drain(hass)
    assert 8 <= allocate.call_count <= 12
