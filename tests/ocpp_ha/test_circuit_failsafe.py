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


async def test_a_row_cannot_shrink_below_its_chargers_failsafe_currents(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    entry = await setup_site(
        site_entry(
            _row(0),
            ocpp_subentry("CP1", circuit="row"),
            ocpp_subentry("CP2", circuit="row"),
        )
    )
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "circuit"),
        context={"source": "reconfigure", "subentry_id": "row"},
    )
    row = {
        "name": "Row",
        "parent": "site",
        "circuit_phases": ["l1", "l2", "l3"],
        "rating": 16,
        "safety_margin": 0,
    }
    # Two failsafe currents of 6 A: 16 A less 5 A for its own load is too little.
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {**row, "reserve": 5}
    )
    assert result["errors"] == {"base": "failsafe_over_circuit"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {**row, "reserve": 4}
    )
    assert result["step_id"] == "meter"


def _board(rating: float) -> ConfigSubentryData:
    return ConfigSubentryData(
        data={
            "parent": "site",
            "circuit_phases": ["l1", "l2", "l3"],
            "rating": rating,
            "safety_margin": 0,
            "reserve": 0,
            "meter_entities": [],
        },
        subentry_id="board",
        subentry_type="circuit",
        title="Board",
        unique_id=None,
    )


@pytest.mark.parametrize(("board_a", "fits"), [(16, False), (18, True)])
async def test_a_row_moved_under_a_board_brings_its_failsafe_currents(
    hass: HomeAssistant, setup_site: SetUpSite, board_a: float, fits: bool
) -> None:
    entry = await setup_site(
        site_entry(
            _board(board_a),
            _row(0),
            ocpp_subentry("CP1", circuit="board"),
            ocpp_subentry("CP2", circuit="row"),
            ocpp_subentry("CP3", circuit="row"),
        )
    )
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "circuit"),
        context={"source": "reconfigure", "subentry_id": "row"},
    )
    # Under the board: CP1's 6 A there and the row's 2 x 6 A make 18 A.
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            "name": "Row",
            "parent": "board",
            "circuit_phases": ["l1", "l2", "l3"],
            "rating": 16,
            "safety_margin": 0,
            "reserve": 0,
        },
    )
    if fits:
        assert result["step_id"] == "meter"
    else:
        assert result["errors"] == {"base": "failsafe_over_parent"}
