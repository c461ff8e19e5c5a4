"""Reconfigure: a site moves to a Modbus meter and back; its identity stays."""

from __future__ import annotations

from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT, UnitOfElectricCurrent
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_load_balancer.const import DOMAIN
from custom_components.ev_load_balancer.meter.meter_models import SDM630
from evlb_sim.live.modbus_meter import SimulatedMeter
from evlb_sim.live.modbus_server import MeterServer

from .flow_helpers import choose, configure, defaults, tcp_input

pytestmark = pytest.mark.usefixtures("socket_enabled")

SENSORS = [f"sensor.main_l{phase}" for phase in (1, 2, 3)]
FUSE = {"fuse_current": 50, "safety_margin": 3, "nominal_voltage": 230}


@pytest.fixture
def sensor_site(hass: HomeAssistant) -> MockConfigEntry:
    """A site metered by HA sensors (12 A per phase)."""
    for entity_id in SENSORS:
        hass.states.async_set(
            entity_id, "12", {ATTR_UNIT_OF_MEASUREMENT: UnitOfElectricCurrent.AMPERE}
        )
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Garage",
        unique_id=SENSORS[0],
        data={
            "name": "Garage",
            "phases": 3,
            "fuse_current": 40,
            "nominal_voltage": 230,
            "meter_type": "sensors",
            "meter_entities": SENSORS,
            "voltage_entities": [],
        },
        options={"safety_margin": 2},
    )
    entry.add_to_hass(hass)
    return entry


async def _reconfigure(hass: HomeAssistant, entry: MockConfigEntry) -> dict:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": "reconfigure", "entry_id": entry.entry_id}
    )
    result = await configure(hass, result, FUSE)
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "meter_source"
    return result


async def test_a_sensor_site_moves_to_modbus_and_back(
    hass: HomeAssistant,
    meter_server: MeterServer,
    meter: SimulatedMeter,
    sensor_site: MockConfigEntry,
) -> None:
    meter.serve(SDM630, current=(20.0, 21.0, 22.0), voltage=(230.0,) * 3)
    assert await hass.config_entries.async_setup(sensor_site.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.garage_site_current_l1").state == "12.0"

    result = await choose(hass, await _reconfigure(hass, sensor_site), "modbus_tcp")
    assert "host" not in defaults(result)  # nothing stored for Modbus yet
    result = await configure(hass, result, tcp_input(meter_server.port))
    result = await choose(hass, result, "modbus_save")
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()

    assert sensor_site.unique_id == SENSORS[0]  # the site keeps its identity
    assert sensor_site.data["meter_type"] == "modbus"
    assert sensor_site.data["modbus"]["port"] == meter_server.port
    assert sensor_site.data["meter_entities"] == []
    assert sensor_site.data["fuse_current"] == 50
    assert sensor_site.options["safety_margin"] == 3
    # Reloaded onto the Modbus meter.
    assert hass.states.get("sensor.garage_site_current_l1").state == "20.0"
    assert hass.states.get("sensor.garage_voltage_l1").state == "230.0"

    # Reconfiguring again offers what is stored, then back to the sensors.
    result = await choose(hass, await _reconfigure(hass, sensor_site), "modbus_tcp")
    assert defaults(result) == tcp_input(meter_server.port)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": "reconfigure", "entry_id": sensor_site.entry_id}
    )
    result = await configure(hass, result, FUSE)
    result = await choose(hass, result, "meter")
    result = await configure(
        hass,
        result,
        {"meter_l1": SENSORS[0], "meter_l2": SENSORS[1], "meter_l3": SENSORS[2]},
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert sensor_site.data["meter_type"] == "sensors"
    assert "modbus" not in sensor_site.data
    assert hass.states.get("sensor.garage_site_current_l1").state == "12.0"
    # The Modbus meter's own sensors went with it.
    assert hass.states.get("sensor.garage_voltage_l1") is None
    assert er.async_get(hass).async_get("sensor.garage_voltage_l1") is None
    assert await hass.config_entries.async_unload(sensor_site.entry_id)


async def test_a_meter_another_site_uses_is_refused(
    hass: HomeAssistant,
    meter_server: MeterServer,
    meter: SimulatedMeter,
    sensor_site: MockConfigEntry,
) -> None:
    MockConfigEntry(
        domain=DOMAIN, unique_id=f"modbus:127.0.0.1:{meter_server.port}:unit1"
    ).add_to_hass(hass)
    result = await choose(hass, await _reconfigure(hass, sensor_site), "modbus_tcp")
    result = await configure(hass, result, tcp_input(meter_server.port))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert meter.requests == []
    assert sensor_site.data["meter_type"] == "sensors"
