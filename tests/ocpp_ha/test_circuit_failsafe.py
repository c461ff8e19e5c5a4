"""The OCPP chargers' failsafe currents on a circuit stay within its fuse."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import SOURCE_USER, ConfigSubentryData
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from .conftest import SetUpSite
from .site import ocpp_subentry, site_entry

CHARGER = {
    "name": "Bay 2",
    "connection": "three_phase_l1l2l3",
    "min_current": 6,
    "max_current": 16,
    "priority": 5,
}


def _row(reserve: float) -> ConfigSubentryData:
    return ConfigSubentryData(
        data={
            "parent": "site",
            "circuit_phases": ["l1", "l2", "l3"],
            "rating": 16,
            "safety_margin": 0,
            "reserve": reserve,
            "meter_entities": [],
        },
        subentry_id="row",
        subentry_type="circuit",
        title="Row",
        unique_id=None,
    )


async def _charger_form(hass: HomeAssistant, entry_id: str) -> Any:
    result = await hass.config_entries.subentries.async_init(
        (entry_id, "ocpp_charger"), context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"charge_point_id": "CP2"}
    )
    assert result["step_id"] == "charger"
    return result


@pytest.mark.parametrize(
    ("circuit", "failsafe", "error"),
    [
        # The row: 16 A - 4 A for its own load - CP1's 6 A leaves 6 A.
        ("row", 7, {"failsafe_current": "failsafe_over_circuit"}),
        ("row", 6, None),
        # On the main fuse only the site's budget counts (12 A left).
        ("site", 12, None),
    ],
)
async def test_a_failsafe_current_fits_the_row(
    hass: HomeAssistant,
    setup_site: SetUpSite,
    circuit: str,
    failsafe: float,
    error: dict[str, str] | None,
) -> None:
    entry = await setup_site(
        site_entry(_row(4), ocpp_subentry("CP1", circuit="row"), failsafe_reserve=20)
    )
    result = await _charger_form(hass, entry.entry_id)
    assert "circuit" in result["data_schema"].schema
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {**CHARGER, "circuit": circuit, "failsafe_current": failsafe},
    )
    if error is not None:
        assert result["errors"] == error
        return
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"]["circuit"] == circuit
    assert result["data"]["failsafe_current"] == failsafe


async def test_an_equal_share_fits_the_row(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    entry = await setup_site(
        site_entry(_row(0), ocpp_subentry("CP1", circuit="row"), failsafe_reserve=20)
    )
    result = await _charger_form(hass, entry.entry_id)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            **CHARGER,
            "circuit": "row",
            "failsafe_current": 0,
            "rebalance_failsafe": True,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    # The site would give each of the two 18 A / 2 = 9 A; the row 16 A / 2.
    assert result["data"]["failsafe_current"] == 8.0
    await hass.async_block_till_done()
    assert entry.subentries["sub_CP1"].data["failsafe_current"] == 8.0
