"""The charger subentry flow: every step, errors and recovery, reconfigure."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_load_balancer.const import DOMAIN

pytestmark = pytest.mark.usefixtures("meter_entities", "charger_entities")

CHARGER = {
    "name": "Space 12",
    "connection": "three_phase_l2l3l1",
    "min_current": 6,
    "max_current": 16,
    "priority": 5,
    "control": "number",
}
SENSORS = {
    "current_l1": "sensor.easee_current_l1",
    "current_l2": "sensor.easee_current_l2",
    "current_l3": "sensor.easee_current_l3",
    "status_entity": "sensor.easee_status",
    "min_change_interval": 0,
}


def _site(hass: HomeAssistant, phases: int = 3, **kwargs: Any) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Garage",
        unique_id="sensor.p1_current_l1",
        data={
            "name": "Garage",
            "phases": phases,
            "fuse_current": 63,
            "nominal_voltage": 230,
            "meter_type": "sensors",
            "meter_entities": [f"sensor.p1_current_l{p}" for p in range(1, phases + 1)],
            "voltage_entities": [],
        },
        options={"safety_margin": 3},
        **kwargs,
    )
    entry.add_to_hass(hass)
    return entry


async def _start(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "charger"), context={"source": "user"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "charger"
    return result


async def _configure(
    hass: HomeAssistant, result: dict[str, Any], data: dict[str, Any]
) -> Any:
    return await hass.config_entries.subentries.async_configure(result["flow_id"], data)


async def test_charger_driven_by_a_number_entity(hass: HomeAssistant) -> None:
    entry = _site(hass)
    result = await _start(hass, entry)
    result = await _configure(hass, result, CHARGER)
    assert result["step_id"] == "number"
    result = await _configure(hass, result, {"current_entity": "number.easee_limit"})
    assert result["step_id"] == "measurements"
    assert list(result["data_schema"].schema)[:3] == [
        "current_l1",
        "current_l2",
        "current_l3",
    ]
    result = await _configure(
        hass, result, {**SENSORS, "switch_entity": "switch.easee_enabled"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    subentry = next(iter(entry.subentries.values()))
    assert subentry.title == "Space 12"
    assert subentry.unique_id == "number.easee_limit"
    assert subentry.data == {
        "connection": "three_phase_l2l3l1",
        "min_current": 6,
        "max_current": 16,
        "priority": 5,
        "control": "number",
        "current_entity": "number.easee_limit",
        "current_sensors": [f"sensor.easee_current_l{p}" for p in (1, 2, 3)],
        "power_sensor": None,
        "status_entity": "sensor.easee_status",
        "switch_entity": "switch.easee_enabled",
        "min_change_interval": 0,
    }


async def test_charger_driven_by_a_service(hass: HomeAssistant) -> None:
    entry = _site(hass)
    result = await _start(hass, entry)
    result = await _configure(hass, result, {**CHARGER, "control": "service"})
    assert result["step_id"] == "service"
    service = {
        "service": "zaptec.limit_current",
        "service_current_field": "available_current",
        "service_data": {"device_id": "abc"},
    }
    for bad, error in (
        ({"service": "no dot"}, {"service": "invalid_service"}),
        ({"service": "zaptec.missing"}, {"service": "service_not_found"}),
    ):
        result = await _configure(hass, result, {**service, **bad})
        assert result["errors"] == error
    result = await _configure(hass, result, service)
    result = await _configure(
        hass, result, {"power_sensor": "sensor.easee_power", "min_change_interval": 900}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    subentry = next(iter(entry.subentries.values()))
    assert subentry.unique_id == 'zaptec.limit_current:{"device_id": "abc"}'
    assert subentry.data["service_data"] == {"device_id": "abc"}
    assert subentry.data["min_change_interval"] == 900


async def test_charger_step_errors_then_recovery(hass: HomeAssistant) -> None:
    entry = _site(hass, phases=1)
    result = await _start(hass, entry)
    # A single-phase site offers only its one phase.
    connection = result["data_schema"].schema["connection"]
    assert connection.config["options"] == ["single_phase_l1"]
    single = {**CHARGER, "connection": "single_phase_l1"}
    result = await _configure(
        hass, result, {**single, "max_current": 6, "min_current": 10}
    )
    assert result["errors"] == {"max_current": "max_below_min"}
    result = await _configure(hass, result, single)
    assert result["step_id"] == "number"
    for entity_id, error in (
        ("number.missing", "entity_not_found"),
        ("number.tiny_limit", "entity_range"),
    ):
        result = await _configure(hass, result, {"current_entity": entity_id})
        assert result["errors"] == {"current_entity": error}
    result = await _configure(hass, result, {"current_entity": "number.easee_limit"})
    assert next(iter(result["data_schema"].schema)) == "current_l1"
    assert "current_l2" not in result["data_schema"].schema
    for user_input, errors in (
        ({"current_l1": "sensor.temperature"}, {"current_l1": "unsupported_unit"}),
        (
            {"power_sensor": "sensor.p1_current_l1"},
            {"power_sensor": "unsupported_unit"},
        ),
        ({"status_entity": "sensor.missing"}, {"status_entity": "entity_not_found"}),
        ({"switch_entity": "switch.missing"}, {"switch_entity": "entity_not_found"}),
        ({"current_l1": "sensor.missing"}, {"current_l1": "entity_not_found"}),
    ):
        result = await _configure(
            hass, result, {**user_input, "min_change_interval": 0}
        )
        assert result["errors"] == errors
    result = await _configure(
        hass, result, {"current_l1": "sensor.broken", "min_change_interval": 0}
    )
    # A charger's sensor may be unavailable while it sleeps: accepted.
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_l2_sensor_without_l1_is_refused(hass: HomeAssistant) -> None:
    entry = _site(hass)
    result = await _start(hass, entry)
    result = await _configure(hass, result, CHARGER)
    result = await _configure(hass, result, {"current_entity": "number.easee_limit"})
    result = await _configure(
        hass,
        result,
        {"current_l2": "sensor.easee_current_l2", "min_change_interval": 0},
    )
    assert result["errors"] == {"current_l1": "current_l1_first"}


async def test_two_chargers_on_one_entity_are_refused(hass: HomeAssistant) -> None:
    entry = _site(hass)
    for expected in (FlowResultType.CREATE_ENTRY, FlowResultType.ABORT):
        result = await _start(hass, entry)
        result = await _configure(hass, result, CHARGER)
        result = await _configure(
            hass, result, {"current_entity": "number.easee_limit"}
        )
        result = await _configure(hass, result, SENSORS)
        assert result["type"] is expected
    assert result["reason"] == "already_configured"


async def test_reconfigure_a_charger(hass: HomeAssistant) -> None:
    entry = _site(hass)
    result = await _start(hass, entry)
    result = await _configure(hass, result, CHARGER)
    result = await _configure(hass, result, {"current_entity": "number.easee_limit"})
    result = await _configure(hass, result, SENSORS)
    subentry_id = next(iter(entry.subentries))

    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "charger"),
        context={"source": "reconfigure", "subentry_id": subentry_id},
    )
    assert result["step_id"] == "charger"
    result = await _configure(
        hass, result, {**CHARGER, "name": "Space 12B", "max_current": 32}
    )
    result = await _configure(hass, result, {"current_entity": "number.easee_limit"})
    # The step offers what was configured before.
    suggested = {
        str(key): key.description and key.description.get("suggested_value")
        for key in result["data_schema"].schema
    }
    assert suggested["current_l1"] == "sensor.easee_current_l1"
    result = await _configure(hass, result, SENSORS)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    subentry = entry.subentries[subentry_id]
    assert subentry.title == "Space 12B"
    assert subentry.data["max_current"] == 32
