"""The charger flow's profile steps: the menu, errors and recovery, reconfigure."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .conftest import async_add_charger, async_site
from .physics import Building, StandInCharger
from .standins.goe import DOMAIN as GOE, goe
from .standins.keba import keba
from .standins.zaptec import DOMAIN as ZAPTEC, zaptec


async def _start(hass: HomeAssistant, entry_id: str) -> dict:
    return await hass.config_entries.subentries.async_init(
        (entry_id, "charger"), context={"source": "user"}
    )


async def _device_step(hass: HomeAssistant, entry_id: str) -> tuple[dict, str]:
    """The flow at its list of found chargers, and the first one's key."""
    result = await _start(hass, entry_id)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"next_step_id": "device"}
    )
    return result, result["data_schema"].schema["device"].config["options"][0]["value"]


async def test_found_chargers_are_offered_once_and_by_hand_stays_possible(
    hass: HomeAssistant, building: Building
) -> None:
    await goe(hass, building, building.add(StandInCharger("k1"))).async_setup(hass)
    await keba(hass, building, building.add(StandInCharger("k2"))).async_setup(hass)
    entry = await async_site(hass, building)
    result = await _start(hass, entry.entry_id)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"next_step_id": "device"}
    )
    labels = [
        o["label"] for o in result["data_schema"].schema["device"].config["options"]
    ]
    # KEBA has no device in HA: it is found by its status entity.
    assert labels == ["go-e k1 (go-e)", "KEBA k2 (KEBA)"]

    sub = await async_add_charger(hass, entry, "(go-e)")
    assert sub.title == "go-e k1"
    assert sub.data["profile"] == "goe"
    assert sub.data["charger_ref"] == "40k1"
    assert sub.data["phase_switching"] is True
    assert sub.data["max_current"] == 16
    # Its raw car state, disabled in go-e's integration, is enabled for it.
    car = er.async_get(hass).async_get_entity_id(
        "sensor", GOE, "goecharger_api2.goe_40k1_car"
    )
    assert er.async_get(hass).async_get(car).disabled_by is None

    await async_add_charger(hass, entry, "(KEBA)")
    # Nothing left to pick: straight to setting one up by hand.
    result = await _start(hass, entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "charger"


async def test_the_menu_leads_to_the_hand_made_charger_too(
    hass: HomeAssistant, building: Building
) -> None:
    await goe(hass, building, building.add(StandInCharger("k1"))).async_setup(hass)
    entry = await async_site(hass, building)
    result = await _start(hass, entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"next_step_id": "charger"}
    )
    assert result["step_id"] == "charger"


async def test_errors_then_recovery_and_reconfigure(
    hass: HomeAssistant, building: Building
) -> None:
    await goe(hass, building, building.add(StandInCharger("k1"))).async_setup(hass)
    entry = await async_site(hass, building)
    result, key = await _device_step(hass, entry.entry_id)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"device": key}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"min_current": 10, "max_current": 8}
    )
    assert result["errors"] == {"max_current": "max_below_min"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"min_current": 6, "max_current": 13, "name": "Space 4"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    sub = next(iter(entry.subentries.values()))
    assert (sub.title, sub.data["max_current"]) == ("Space 4", 13)

    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "charger"),
        context={"source": "reconfigure", "subentry_id": sub.subentry_id},
    )
    assert result["step_id"] == "profile"
    schema = result["data_schema"].schema
    defaults = {str(key): key.default() for key in schema if hasattr(key, "default")}
    assert defaults["max_current"] == 13
    assert defaults["name"] == "Space 4"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"max_current": 16, "phase_dwell": 10}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    sub = entry.subentries[sub.subentry_id]
    assert (sub.data["max_current"], sub.data["phase_dwell"]) == (16, 10)
    assert sub.data["charger_ref"] == "40k1"


async def test_a_charger_gone_before_it_was_picked(
    hass: HomeAssistant, building: Building
) -> None:
    await goe(hass, building, building.add(StandInCharger("k1"))).async_setup(hass)
    entry = await async_site(hass, building)
    result, key = await _device_step(hass, entry.entry_id)
    registry = er.async_get(hass)
    registry.async_remove(
        registry.async_get_entity_id("number", GOE, "goecharger_api2.goe_40k1_amp")
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"device": key}
    )
    assert result["errors"] == {"device": "charger_gone"}


async def test_a_zaptec_charger_outside_any_installation_is_refused(
    hass: HomeAssistant, building: Building
) -> None:
    await zaptec(hass, building, [building.add(StandInCharger("z1"))]).async_setup(hass)
    devices = dr.async_get(hass)
    charger = devices.async_get_device(identifiers={(ZAPTEC, "zap-z1")})
    devices.async_update_device(charger.id, via_device_id=None)
    entry = await async_site(hass, building)
    result, key = await _device_step(hass, entry.entry_id)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"device": key}
    )
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], {})
    assert result["errors"] == {"base": "no_group"}
