"""Every branch of the OCPP charger flow, including recovery after an error."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import SOURCE_RECONFIGURE, SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
import pytest

from custom_components.ev_load_balancer.ocpp_cs import hash_password

from .conftest import SetUpSite
from .site import METER, ocpp_subentry, site_entry

CHARGER = {
    "name": "Bay 2",
    "connection": "three_phase_l2l3l1",
    "min_current": 6,
    "max_current": 16,
    "priority": 5,
    "failsafe_current": 6,
}


async def _flow(hass: HomeAssistant, entry_id: str, **context: Any) -> Any:
    return await hass.config_entries.subentries.async_init(
        (entry_id, "ocpp_charger"), context={"source": SOURCE_USER, **context}
    )


async def _configure(hass: HomeAssistant, flow_id: str, data: dict[str, Any]) -> Any:
    return await hass.config_entries.subentries.async_configure(flow_id, data)


async def test_the_server_must_be_on(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    entry = await setup_site(site_entry(server={"enabled": False}))
    result = await _flow(hass, entry.entry_id)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "server_disabled"


async def test_the_site_must_be_running(hass: HomeAssistant) -> None:
    entry = site_entry()
    entry.add_to_hass(hass)  # not set up
    result = await _flow(hass, entry.entry_id)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "site_not_loaded"


@pytest.mark.parametrize(
    ("user_input", "errors"),
    [
        ({}, {"base": "charge_point_required"}),
        (
            {"charge_point_id": "has space"},
            {"charge_point_id": "invalid_charge_point_id"},
        ),
        ({"charge_point_id": "x" * 49}, {"charge_point_id": "invalid_charge_point_id"}),
        ({"charge_point_id": "CP1"}, {"charge_point_id": "already_adopted"}),
    ],
)
async def test_choosing_the_charger(
    hass: HomeAssistant,
    setup_site: SetUpSite,
    user_input: dict[str, str],
    errors: dict[str, str],
) -> None:
    entry = await setup_site(site_entry(ocpp_subentry("CP1")))
    result = await _flow(hass, entry.entry_id)
    result = await _configure(hass, result["flow_id"], user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    result = await _configure(hass, result["flow_id"], {"charge_point_id": "CP2"})
    assert result["step_id"] == "charger"
    assert result["data_schema"]({})["name"] == "CP2"  # suggested: the id


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"max_current": 8, "min_current": 10}, {"max_current": "max_below_min"}),
        ({"failsafe_current": 3}, {"failsafe_current": "failsafe_range"}),
        ({"failsafe_current": 20}, {"failsafe_current": "failsafe_range"}),
        # 40 A fuse - 2 A margin - 20 A reserve - CP1's 6 A: 12 A are left.
        ({"failsafe_current": 13}, {"failsafe_current": "failsafe_over_budget"}),
    ],
)
async def test_charger_settings_are_checked(
    hass: HomeAssistant,
    setup_site: SetUpSite,
    changes: dict[str, Any],
    errors: dict[str, str],
) -> None:
    entry = await setup_site(site_entry(ocpp_subentry("CP1"), failsafe_reserve=20))
    result = await _flow(hass, entry.entry_id)
    result = await _configure(hass, result["flow_id"], {"charge_point_id": "CP2"})
    assert result["description_placeholders"]["budget"] == "12 A"
    result = await _configure(
        hass, result["flow_id"], {**CHARGER, "max_current": 18, **changes}
    )
    assert result["errors"] == errors
    result = await _configure(
        hass, result["flow_id"], {**CHARGER, "failsafe_current": 12}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"]["failsafe_current"] == 12
    assert result["data"]["charge_point_id"] == "CP2"
    await hass.async_block_till_done()
    assert "sub_CP1" in entry.subentries  # the site reloaded with both


async def test_reconfigure_keeps_changes_or_clears_the_password(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    old_hash = await hass.async_add_executor_job(hash_password, "old secret")
    entry = await setup_site(site_entry(ocpp_subentry("CP1", password_hash=old_hash)))

    async def reconfigure(data: dict[str, Any]) -> dict[str, Any]:
        result = await _flow(
            hass, entry.entry_id, source=SOURCE_RECONFIGURE, subentry_id="sub_CP1"
        )
        assert result["step_id"] == "charger"
        assert "clear_password" in result["data_schema"].schema
        result = await _configure(hass, result["flow_id"], {**CHARGER, **data})
        assert result["type"] is FlowResultType.ABORT
        assert result["reason"] == "reconfigure_successful"
        await hass.async_block_till_done()
        return dict(entry.subentries["sub_CP1"].data)

    kept = await reconfigure({"max_current": 20})
    assert (kept["password_hash"], kept["max_current"]) == (old_hash, 20)
    assert entry.subentries["sub_CP1"].title == "Bay 2"
    changed = await reconfigure({"password": "new secret"})
    assert changed["password_hash"] not in (old_hash, None)
    assert "new secret" not in repr(changed)
    cleared = await reconfigure({"clear_password": True})
    assert "password_hash" not in cleared
    assert cleared["charge_point_id"] == "CP1"


async def test_one_phase_site_offers_its_phase_only(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    entry = site_entry()
    entry = await setup_site(
        type(entry)(
            domain=entry.domain,
            title="Shed",
            unique_id="shed",
            data={**entry.data, "phases": 1, "meter_entities": [METER[0]]},
            options=dict(entry.options),
        )
    )
    result = await _flow(hass, entry.entry_id)
    result = await _configure(hass, result["flow_id"], {"charge_point_id": "CP1"})
    connections = result["data_schema"].schema["connection"].config["options"]
    assert connections == ["single_phase_l1"]
    with pytest.raises(InvalidData):
        await _configure(
            hass, result["flow_id"], {**CHARGER, "connection": "single_phase_l2"}
        )
