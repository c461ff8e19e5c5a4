"""Unknown chargers wait as Pending, are shown to the user and adopted in the UI."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest
from websockets.exceptions import InvalidStatus

from custom_components.ev_load_balancer.const import DOMAIN
from custom_components.ev_load_balancer.ocpp_cs import hash_password
from evlb_sim.live.ocpp_charge_points import (
    RecordingChargePointV16,
    RecordingChargePointV201,
)
from tests.ocpp_cs.conftest import boot
from tests.ocpp_cs.fake_chargers import basic_auth

from .conftest import SetUpSite
from .site import connected, ocpp_subentry, site_entry, state_becomes

PASSWORD = "correct horse battery"
CHARGER_INPUT = {
    "name": "Bay 1",
    "connection": "three_phase_l1l2l3",
    "min_current": 6,
    "max_current": 16,
    "priority": 5,
    "failsafe_current": 6,
}


async def _start_flow(hass: HomeAssistant, entry_id: str) -> dict:
    return await hass.config_entries.subentries.async_init(
        (entry_id, "ocpp_charger"), context={"source": "user"}
    )


async def test_unknown_charger_waits_and_is_adopted_through_the_ui(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    entry = await setup_site(site_entry())
    issues = ir.async_get(hass)
    issue_id = f"ocpp_charger_waiting_{entry.entry_id}_CP1"
    async with connected(entry, "CP1", RecordingChargePointV16) as charger:
        assert await boot(charger) == "Pending"
        issue = issues.async_get_issue(DOMAIN, issue_id)
        assert issue is not None
        assert issue.translation_key == "ocpp_charger_waiting"
        assert issue.translation_placeholders == {
            "site": "Garage",
            "charger_id": "CP1",
            "details": "Acme Wallbox X, OCPP 1.6",
        }
        assert charger.recorder.calls == []  # never controlled

        result = await _start_flow(hass, entry.entry_id)
        assert result["type"] is FlowResultType.FORM
        assert result["step_id"] == "user"
        assert result["description_placeholders"]["waiting"] == "1"
        assert result["description_placeholders"]["url"].endswith("/ocpp")
        options = result["data_schema"].schema["pending_charger"].config["options"]
        assert options == [{"value": "CP1", "label": "CP1 (Acme Wallbox X, OCPP 1.6)"}]
        result = await hass.config_entries.subentries.async_configure(
            result["flow_id"], {"pending_charger": "CP1"}
        )
        assert result["step_id"] == "charger"
        assert result["description_placeholders"]["charge_point_id"] == "CP1"
        result = await hass.config_entries.subentries.async_configure(
            result["flow_id"], {**CHARGER_INPUT, "password": PASSWORD}
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY
        await hass.async_block_till_done()  # the site reloads with CP1 adopted

    (subentry,) = entry.subentries.values()
    assert subentry.unique_id == "CP1"
    assert subentry.title == "Bay 1"
    assert subentry.data["password_hash"].startswith("scrypt$")
    assert "password" not in subentry.data
    assert PASSWORD not in repr(dict(subentry.data))
    assert issues.async_get_issue(DOMAIN, issue_id) is None

    # It logs in with its password and is accepted and set up.
    headers = basic_auth("CP1", PASSWORD)
    async with connected(
        entry, "CP1", RecordingChargePointV16, headers=headers
    ) as charger:
        assert await boot(charger) == "Accepted"
        failsafe = await charger.recorder.next("SetChargingProfile")
        assert failsafe["connector_id"] == 0
        profile = failsafe["cs_charging_profiles"]
        assert profile["stack_level"] == 0
        assert profile["charging_schedule"]["charging_schedule_period"][0][
            "limit"
        ] == pytest.approx(6.0)
        await state_becomes(hass, "binary_sensor.bay_1_connected", "on")
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    keys = {
        e.unique_id.removeprefix(f"{entry.unique_id}_{subentry.subentry_id}_")
        for e in entities
        if e.config_subentry_id == subentry.subentry_id
    }
    assert {
        "limit",
        "state",
        "reason",
        "current_l1",
        "priority",
        "included",
        "boost",
        "energy",
        "session_energy",
        "connector_status",
        "id_tag",
        "last_heartbeat",
        "connected",
    } <= keys


@pytest.mark.parametrize(
    ("headers", "accepted"),
    [
        (None, False),
        (basic_auth("CP1", "wrong password"), False),
        (basic_auth("CP2", PASSWORD), False),  # someone else's id
        (basic_auth("CP1", PASSWORD), True),
    ],
)
async def test_password_is_checked_at_the_handshake(
    hass: HomeAssistant,
    setup_site: SetUpSite,
    headers: dict[str, str] | None,
    accepted: bool,
) -> None:
    password_hash = await hass.async_add_executor_job(hash_password, PASSWORD)
    entry = await setup_site(
        site_entry(ocpp_subentry("CP1", password_hash=password_hash))
    )
    if not accepted:
        with pytest.raises(InvalidStatus) as refused:
            async with connected(
                entry, "CP1", RecordingChargePointV201, headers=headers
            ):
                pass
        assert refused.value.response.status_code == 401
        return
    async with connected(
        entry, "CP1", RecordingChargePointV201, headers=headers
    ) as charger:
        assert await boot(charger) == "Accepted"


async def test_a_charger_adopted_before_it_connects_is_accepted(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    entry = await setup_site(site_entry())
    result = await _start_flow(hass, entry.entry_id)
    assert "pending_charger" not in result["data_schema"].schema  # none waiting
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"charge_point_id": "WB-0042"}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], CHARGER_INPUT
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    (subentry,) = entry.subentries.values()
    assert "password_hash" not in subentry.data
    async with connected(entry, "WB-0042", RecordingChargePointV201) as charger:
        assert await boot(charger) == "Accepted"
        await state_becomes(hass, "binary_sensor.bay_1_connected", "on")


async def test_a_removed_charger_is_cleared_and_waits_again(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    entry = await setup_site(site_entry(ocpp_subentry("CP1", title="Bay 1")))
    async with connected(entry, "CP1", RecordingChargePointV16) as charger:
        assert await boot(charger) == "Accepted"
        await charger.recorder.next("SetChargingProfile")  # the failsafe
        assert hass.config_entries.async_remove_subentry(entry, "sub_CP1")
        await hass.async_block_till_done()
        # Our profiles leave with it: no failsafe stays in the charger for ever.
        cleared = [
            (await charger.recorder.next("ClearChargingProfile"))["id"]
            for _ in range(3)
        ]
        assert sorted(cleared) == [7301, 7302, 7303]
    assert hass.states.get("sensor.bay_1_allocated_limit") is None
    async with connected(entry, "CP1", RecordingChargePointV16) as charger:
        assert await boot(charger) == "Pending"
