"""The site flow: fuse, then meter; duplicates; errors and recovery; reconfigure."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_load_balancer.const import DOMAIN

pytestmark = pytest.mark.usefixtures("meter_entities")

FUSE = {
    "name": "Garage",
    "phases": "3",
    "fuse_current": 63,
    "safety_margin": 3,
    "nominal_voltage": 230,
}
P1 = {f"meter_l{p}": f"sensor.p1_current_l{p}" for p in (1, 2, 3)}


async def _start(hass: HomeAssistant, fuse: dict[str, Any] = FUSE) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], fuse)
    return await _sensor_meter(hass, result)


async def _sensor_meter(hass: HomeAssistant, result: dict[str, Any]) -> dict[str, Any]:
    """From the meter source menu on to the HA-sensor meter form."""
    if result["type"] is not FlowResultType.MENU:
        return result
    assert result["step_id"] == "meter_source"
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "meter"}
    )


async def test_three_phase_site_with_current_sensors(hass: HomeAssistant) -> None:
    result = await _start(hass)
    assert result["step_id"] == "meter"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], P1)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Garage"
    assert result["result"].unique_id == "sensor.p1_current_l1"
    assert result["data"] == {
        "name": "Garage",
        "phases": 3,
        "fuse_current": 63,
        "nominal_voltage": 230,
        "meter_type": "sensors",
        "meter_entities": list(P1.values()),
        "voltage_entities": [],
    }
    assert result["options"] == {"safety_margin": 3}


async def test_power_sensors_with_voltage_sensors(hass: HomeAssistant) -> None:
    result = await _start(hass)
    user_input = {
        **{f"meter_l{p}": f"sensor.shelly_power_l{p}" for p in (1, 2, 3)},
        **{f"voltage_l{p}": f"sensor.shelly_voltage_l{p}" for p in (1, 2, 3)},
    }
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"]["voltage_entities"] == [
        f"sensor.shelly_voltage_l{p}" for p in (1, 2, 3)
    ]


async def test_single_phase_site_asks_for_one_sensor(hass: HomeAssistant) -> None:
    result = await _start(hass, {**FUSE, "phases": "1", "fuse_current": 25})
    assert list(result["data_schema"].schema) == ["meter_l1", "voltage_l1"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"meter_l1": "sensor.p1_milliamps"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"]["phases"] == 1


async def test_margin_must_be_below_the_fuse_then_recovers(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**FUSE, "fuse_current": 10, "safety_margin": 10}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"safety_margin": "margin_too_large"}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], FUSE)
    assert result["step_id"] == "meter_source"


@pytest.mark.parametrize(
    ("meters", "errors"),
    [
        ({"meter_l1": "sensor.missing"}, {"meter_l1": "entity_not_found"}),
        ({"meter_l2": "sensor.broken"}, {"meter_l2": "unavailable"}),
        ({"meter_l3": "sensor.text"}, {"meter_l3": "not_numeric"}),
        ({"meter_l1": "sensor.temperature"}, {"meter_l1": "unsupported_unit"}),
        ({"meter_l1": "sensor.kilowatts"}, {"base": "mixed_quantities"}),
        ({"voltage_l1": "sensor.shelly_voltage_l1"}, {"base": "voltage_per_phase"}),
        (
            {f"voltage_l{p}": f"sensor.p1_current_l{p}" for p in (1, 2, 3)},
            {f"voltage_l{p}": "unsupported_unit" for p in (1, 2, 3)},
        ),
    ],
)
async def test_meter_errors_per_field_then_recovery(
    hass: HomeAssistant, meters: dict[str, str], errors: dict[str, str]
) -> None:
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**P1, **meters}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    result = await hass.config_entries.flow.async_configure(result["flow_id"], P1)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_the_same_meter_twice_is_aborted(hass: HomeAssistant) -> None:
    MockConfigEntry(domain=DOMAIN, unique_id="sensor.p1_current_l1").add_to_hass(hass)
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], P1)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


def _entry(hass: HomeAssistant) -> MockConfigEntry:
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
            "meter_entities": list(P1.values()),
            "voltage_entities": [],
        },
        options={"safety_margin": 3, "hold_time": 60},
    )
    entry.add_to_hass(hass)
    return entry


async def test_reconfigure_fuse_and_meter(hass: HomeAssistant) -> None:
    entry = _entry(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"fuse_current": 80, "safety_margin": 90, "nominal_voltage": 230},
    )
    assert result["errors"] == {"safety_margin": "margin_too_large"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"fuse_current": 80, "safety_margin": 4, "nominal_voltage": 230},
    )
    result = await _sensor_meter(hass, result)
    assert result["step_id"] == "meter"
    power = {f"meter_l{p}": f"sensor.shelly_power_l{p}" for p in (1, 2, 3)}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**power, "meter_l2": "sensor.broken"}
    )
    assert result["errors"] == {"meter_l2": "unavailable"}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], power)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()  # the site reloads with its new meter
    assert entry.state is ConfigEntryState.LOADED
    assert entry.data["fuse_current"] == 80
    assert entry.data["meter_entities"] == list(power.values())
    assert entry.options == {"safety_margin": 4, "hold_time": 60}
    assert entry.unique_id == "sensor.p1_current_l1"  # the site stays the same site


async def test_reconfigure_to_a_meter_of_another_site_is_aborted(
    hass: HomeAssistant,
) -> None:
    entry = _entry(hass)
    MockConfigEntry(domain=DOMAIN, unique_id="sensor.shelly_power_l1").add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"fuse_current": 63, "safety_margin": 3, "nominal_voltage": 230},
    )
    result = await _sensor_meter(hass, result)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {f"meter_l{p}": f"sensor.shelly_power_l{p}" for p in (1, 2, 3)},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_options_change_tunables_with_errors_per_field(
    hass: HomeAssistant,
) -> None:
    entry = _entry(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["step_id"] == "init"
    options = {
        "safety_margin": 2,
        "hold_time": 45,
        "rotation_period": 20,
        "max_switches_per_hour": 4,
        "strategy": "departure",
        "failsafe_mode": "pause",
        "failsafe_reserve": 30,
        "stale_after": 15,
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**options, "safety_margin": 63}
    )
    assert result["errors"] == {"safety_margin": "margin_too_large"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**options, "failsafe_reserve": 64}
    )
    assert result["errors"] == {"failsafe_reserve": "reserve_too_large"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], options
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert {key: entry.options[key] for key in options} == options
    # A site without OCPP chargers keeps its central system off.
    assert entry.options["ocpp_server"]["enabled"] is False
