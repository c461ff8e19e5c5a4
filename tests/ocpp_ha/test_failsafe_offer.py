"""The adoption flow says what failsafe current it offers and why, and can
share the failsafe budget equally among every OCPP charger."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from evlb_sim.live.ocpp_charge_points import RecordingChargePointV201
from tests.ocpp_cs.conftest import boot

from .conftest import SetUpSite
from .site import connected, failsafe_becomes, ocpp_subentry, site_entry

NEWCOMER = {
    "name": "Bay 4",
    "connection": "three_phase_l1l2l3",
    "min_current": 6,
    "max_current": 16,
    "priority": 5,
    "password": "",
}


async def _charger_step(hass: HomeAssistant, entry_id: str) -> Any:
    result = await hass.config_entries.subentries.async_init(
        (entry_id, "ocpp_charger"), context={"source": "user"}
    )
    return await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"charge_point_id": "CP4"}
    )


async def test_a_charger_offered_nothing_is_told_why(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    # 40 A - 2 A margin - 20 A reserve = 18 A, taken by three chargers at 6 A.
    entry = await setup_site(
        site_entry(*(ocpp_subentry(f"CP{n}") for n in (1, 2, 3)), failsafe_reserve=20)
    )
    result = await _charger_step(hass, entry.entry_id)
    placeholders = result["description_placeholders"]
    assert {
        key: placeholders[key]
        for key in ("total", "others", "others_current", "budget", "offered", "share")
    } == {
        "total": "18 A",
        "others": "3",
        "others_current": "18 A",
        "budget": "0 A",
        "offered": "0 A",
        "share": "-",  # 4.5 A each: below the 6 A an EV needs
    }
    assert result["data_schema"]({**NEWCOMER})["failsafe_current"] == 0
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {**NEWCOMER, "failsafe_current": 0, "rebalance_failsafe": True},
    )
    assert result["errors"] == {"rebalance_failsafe": "rebalance_below_minimum"}
    # Recovers: adopted with the 0 A offered.
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {**NEWCOMER, "failsafe_current": 0}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"]["failsafe_current"] == 0


async def test_rebalancing_shares_the_budget_over_live_connections(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    # 63 A - 2 A - 30 A = 31 A; three chargers take 18 A, 13 A are left.
    entry = await setup_site(
        site_entry(
            *(ocpp_subentry(f"CP{n}") for n in (1, 2, 3)),
            fuse_a=63,
            failsafe_reserve=30,
        )
    )
    async with connected(entry, "CP1", RecordingChargePointV201) as charger:
        assert await boot(charger) == "Accepted"
        await charger.recorder.next("SetChargingProfile")  # its 6 A failsafe
        result = await _charger_step(hass, entry.entry_id)
        placeholders = result["description_placeholders"]
        assert (placeholders["budget"], placeholders["offered"]) == ("13 A", "6 A")
        assert placeholders["share"] == "7.7 A"  # 31 A / 4, rounded down
        result = await hass.config_entries.subentries.async_configure(
            result["flow_id"],
            {**NEWCOMER, "failsafe_current": 6, "rebalance_failsafe": True},
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY
        assert result["data"]["failsafe_current"] == 7.7
        assert "rebalance_failsafe" not in result["data"]
        await hass.async_block_till_done()
        assert (
            sorted(sub.data["failsafe_current"] for sub in entry.subentries.values())
            == [7.7] * 4
        )
        # CP1 gets its new failsafe on the socket it already has.
        await failsafe_becomes(charger, 7.7)
