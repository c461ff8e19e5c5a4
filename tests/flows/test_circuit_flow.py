"""The circuit subentry flow: a sub-board, its meter, the tree's checks, and
the circuit field of a charger."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_load_balancer.config_model import SiteConfig
from custom_components.ev_load_balancer.const import DOMAIN

pytestmark = pytest.mark.usefixtures("meter_entities", "charger_entities")

BOARD = {
    "name": "Sub-board",
    "parent": "site",
    "circuit_phases": ["l1", "l2", "l3"],
    "rating": 35,
    "safety_margin": 1,
    "reserve": 3,
}
METER = {f"meter_l{p}": f"sensor.p1_current_l{p}" for p in (1, 2, 3)}


def _circuit(
    subentry_id: str, parent: str, phases: list[str], rating: float
) -> ConfigSubentryData:
    return ConfigSubentryData(
        data={
            "parent": parent,
            "circuit_phases": phases,
            "rating": rating,
            "safety_margin": 0,
            "reserve": 0,
            "meter_entities": [],
        },
        subentry_id=subentry_id,
        subentry_type="circuit",
        title=subentry_id.title(),
        unique_id=None,
    )


def _site(
    hass: HomeAssistant, subentries: list[ConfigSubentryData] | None = None
) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Garage",
        unique_id="sensor.p1_current_l1",
        data={
            "name": "Garage",
            "phases": 3,
            "fuse_current": 63,
            "nominal_voltage": 230,
            "meter_type": "sensors",
            "meter_entities": [f"sensor.p1_current_l{p}" for p in (1, 2, 3)],
            "voltage_entities": [],
        },
        options={"safety_margin": 3},
        subentries_data=subentries or [],
    )
    entry.add_to_hass(hass)
    return entry


async def _configure(
    hass: HomeAssistant, result: dict[str, Any], user_input: dict[str, Any]
) -> Any:
    return await hass.config_entries.subentries.async_configure(
        result["flow_id"], user_input
    )


async def _start(hass: HomeAssistant, entry: MockConfigEntry, **context: Any) -> Any:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "circuit"), context={"source": "user", **context}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "circuit"
    return result


async def test_add_a_metered_sub_board(hass: HomeAssistant) -> None:
    entry = _site(hass)
    result = await _start(hass, entry)
    result = await _configure(hass, result, BOARD)
    assert result["step_id"] == "meter"
    result = await _configure(hass, result, METER)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    (subentry,) = entry.subentries.values()
    assert subentry.title == "Sub-board"
    assert subentry.data["meter_entities"] == list(METER.values())
    (circuit,) = SiteConfig.from_entry(entry).circuits
    assert circuit.phases == (0, 1, 2)
    assert circuit.rating_a == 35.0
    assert circuit.metered


async def test_a_circuit_without_a_meter(hass: HomeAssistant) -> None:
    entry = _site(hass)
    result = await _start(hass, entry)
    result = await _configure(hass, result, {**BOARD, "circuit_phases": ["l2"]})
    # One meter field per phase the circuit carries.
    assert [str(key) for key in result["data_schema"].schema] == ["meter_l2"]
    result = await _configure(hass, result, {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    (circuit,) = SiteConfig.from_entry(entry).circuits
    assert circuit.phases == (1,)
    assert not circuit.metered


@pytest.mark.parametrize(
    ("change", "field", "error"),
    [
        ({"rating": 80}, "rating", "rating_above_parent"),
        ({"safety_margin": 35}, "safety_margin", "margin_too_large"),
        ({"circuit_phases": []}, "circuit_phases", "no_phase"),
    ],
)
async def test_the_circuit_is_checked_and_then_accepted(
    hass: HomeAssistant, change: dict[str, Any], field: str, error: str
) -> None:
    entry = _site(hass)
    result = await _start(hass, entry)
    result = await _configure(hass, result, {**BOARD, **change})
    assert result["errors"] == {field: error}
    result = await _configure(hass, result, BOARD)
    assert result["step_id"] == "meter"


@pytest.mark.parametrize(
    ("meter", "errors"),
    [
        ({"meter_l1": "sensor.p1_current_l1"}, {"base": "meter_per_phase"}),
        ({**METER, "meter_l2": "sensor.missing"}, {"meter_l2": "entity_not_found"}),
        ({**METER, "meter_l3": "sensor.temperature"}, {"meter_l3": "unsupported_unit"}),
        ({**METER, "meter_l3": "sensor.shelly_power_l3"}, {"base": "mixed_quantities"}),
    ],
)
async def test_the_meter_is_checked_and_then_accepted(
    hass: HomeAssistant, meter: dict[str, str], errors: dict[str, str]
) -> None:
    entry = _site(hass)
    result = await _start(hass, entry)
    result = await _configure(hass, result, BOARD)
    result = await _configure(hass, result, meter)
    assert result["errors"] == errors
    result = await _configure(hass, result, METER)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_a_row_under_a_single_phase_circuit_keeps_to_its_phase(
    hass: HomeAssistant,
) -> None:
    entry = _site(hass, [_circuit("board", "site", ["l2"], 25)])
    result = await _start(hass, entry)
    row = {**BOARD, "name": "Row", "parent": "board", "rating": 16}
    result = await _configure(hass, result, row)
    assert result["errors"] == {"circuit_phases": "phase_not_in_parent"}
    result = await _configure(hass, result, {**row, "rating": 32})
    assert result["errors"] == {
        "circuit_phases": "phase_not_in_parent",
        "rating": "rating_above_parent",
    }
    result = await _configure(hass, result, {**row, "circuit_phases": ["l2"]})
    result = await _configure(hass, result, {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    tree = SiteConfig.from_entry(entry).loop_config().circuits
    assert (tree[0].circuit_id, tree[0].parent_phases) == ("board", (1,))
    assert tree[1].parent_id == "board"
    assert tree[1].parent_phases == (0,)  # the board's only phase


async def _reconfigure(hass: HomeAssistant, entry: MockConfigEntry, sub: str) -> Any:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "circuit"),
        context={"source": "reconfigure", "subentry_id": sub},
    )
    assert result["step_id"] == "circuit"
    return result


async def test_reconfigure_refuses_a_cycle_and_what_the_circuit_carries(
    hass: HomeAssistant,
) -> None:
    entry = _site(
        hass,
        [
            _circuit("board", "site", ["l1", "l2", "l3"], 35),
            _circuit("row", "board", ["l1"], 20),
        ],
    )
    result = await _reconfigure(hass, entry, "board")
    board = {**BOARD, "name": "Board"}
    result = await _configure(hass, result, {**board, "parent": "row"})
    assert result["errors"] == {"parent": "circuit_cycle"}
    result = await _configure(hass, result, {**board, "rating": 16})
    assert result["errors"] == {"rating": "rating_below_circuit"}
    result = await _configure(hass, result, {**board, "circuit_phases": ["l2", "l3"]})
    assert result["errors"] == {"circuit_phases": "phases_in_use"}
    result = await _configure(hass, result, {**board, "rating": 32})
    assert result["step_id"] == "meter"
    result = await _configure(hass, result, METER)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.subentries["board"].title == "Board"
    assert entry.subentries["board"].data["rating"] == 32
    assert entry.subentries["board"].data["meter_entities"] == list(METER.values())


async def test_a_charger_picks_its_circuit(hass: HomeAssistant) -> None:
    entry = _site(
        hass,
        [
            _circuit("board", "site", ["l1", "l2", "l3"], 35),
            _circuit("row", "board", ["l1"], 20),
        ],
    )
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "charger"), context={"source": "user"}
    )
    charger = {
        "name": "Space 12",
        "connection": "three_phase_l1l2l3",
        "min_current": 6,
        "max_current": 16,
        "priority": 5,
        "control": "number",
        "circuit": "row",
    }
    result = await _configure(hass, result, charger)
    assert result["errors"] == {"circuit": "circuit_lacks_phase"}
    result = await _configure(hass, result, {**charger, "circuit": "board"})
    result = await _configure(hass, result, {"current_entity": "number.easee_limit"})
    result = await _configure(hass, result, {"min_change_interval": 0})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    (charger_config,) = SiteConfig.from_entry(entry).chargers
    assert charger_config.circuit_id == "board"
    (loop_charger,) = SiteConfig.from_entry(entry).loop_config().chargers
    assert loop_charger.circuit_id == "board"


async def test_a_row_whose_board_is_removed_keeps_its_own_fuse(
    hass: HomeAssistant,
) -> None:
    """The flows keep the tree whole; removing a board still leaves its row,
    which then hangs on the main fuse with its own rating."""
    charger = ConfigSubentryData(
        data={
            "connection": "single_phase_l2",
            "min_current": 6,
            "max_current": 16,
            "control": "number",
            "current_entity": "number.easee_limit",
            "circuit": "row",
        },
        subentry_id="cp1",
        subentry_type="charger",
        title="CP1",
        unique_id="number.easee_limit",
    )
    cp2 = ConfigSubentryData(
        data={
            **charger["data"],
            "current_entity": "number.tiny_limit",
            "circuit": "gone",
        },
        subentry_id="cp2",
        subentry_type="charger",
        title="CP2",
        unique_id="number.tiny_limit",
    )
    entry = _site(
        hass,
        [
            _circuit("board", "site", ["l2", "l3"], 35),
            _circuit("row", "board", ["l2"], 20),
            charger,
            cp2,
        ],
    )
    loop_config = SiteConfig.from_entry(entry).loop_config()
    assert [(c.circuit_id, c.parent_phases) for c in loop_config.circuits] == [
        ("board", (1, 2)),
        ("row", (0,)),  # the board's first phase: site L2
    ]
    hass.config_entries.async_remove_subentry(entry, "board")
    loop_config = SiteConfig.from_entry(entry).loop_config()
    (row,) = loop_config.circuits
    assert (row.parent_id, row.parent_phases, row.rating_a) == (None, (1,), 20.0)
    chargers = {c.charger_id: c.circuit_id for c in loop_config.chargers}
    # CP1 stays on its row; CP2's circuit does not exist: the main fuse.
    assert chargers == {"cp1": "row", "cp2": None}


async def test_a_cycle_left_by_hand_is_left_out(hass: HomeAssistant) -> None:
    entry = _site(
        hass,
        [
            _circuit("a", "b", ["l1"], 20),
            _circuit("b", "a", ["l1"], 20),
            _circuit("c", "site", ["l1"], 20),
        ],
    )
    circuits = SiteConfig.from_entry(entry).loop_config().circuits
    assert [c.circuit_id for c in circuits] == ["c"]
