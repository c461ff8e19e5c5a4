"""The Modbus meter's own values as sensors on the site device."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.sensor import (
    ATTR_STATE_CLASS,
    SensorDeviceClass,
    SensorStateClass,
)
from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    ATTR_UNIT_OF_MEASUREMENT,
    UnitOfElectricCurrent,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_load_balancer.const import DOMAIN
from evlb_sim.live.modbus_server import MeterServer

from .modbus_site import VOLTAGE_V, ModbusSite, modbus_entry, tcp_settings
from .waits import MeterWatch, run_until

pytestmark = pytest.mark.usefixtures("socket_enabled")

METER_SENSORS = [
    *(f"sensor.garage_voltage_l{phase}" for phase in (1, 2, 3)),
    *(f"sensor.garage_power_l{phase}" for phase in (1, 2, 3)),
    "sensor.garage_imported_energy",
]


async def test_meter_sensors_show_the_servers_values(
    hass: HomeAssistant,
    site: ModbusSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    watch = MeterWatch(init_integration)
    for _ in range(4):
        await watch.poll(hass, freezer)
    currents = site.site_current()
    for phase in range(3):
        name = f"l{phase + 1}"
        voltage = hass.states.get(f"sensor.garage_voltage_{name}")
        assert float(voltage.state) == VOLTAGE_V[phase]
        assert voltage.attributes[ATTR_UNIT_OF_MEASUREMENT] == "V"
        power = hass.states.get(f"sensor.garage_power_{name}")
        assert float(power.state) == round(currents[phase] * VOLTAGE_V[phase])
        assert power.attributes[ATTR_DEVICE_CLASS] == SensorDeviceClass.POWER
        current = hass.states.get(f"sensor.garage_site_current_{name}")
        assert float(current.state) == round(currents[phase], 1)
    energy = hass.states.get("sensor.garage_imported_energy")
    assert energy.state == "1234.567"
    # What the Energy dashboard asks of a grid-import sensor.
    assert energy.attributes[ATTR_DEVICE_CLASS] == SensorDeviceClass.ENERGY
    assert energy.attributes[ATTR_STATE_CLASS] == SensorStateClass.TOTAL_INCREASING
    assert energy.attributes[ATTR_UNIT_OF_MEASUREMENT] == "kWh"

    site.energy_kwh = 1236.5
    site.publish()
    await watch.poll(hass, freezer)
    assert hass.states.get("sensor.garage_imported_energy").state == "1236.5"

    # All on the site's device.
    entities = er.async_get(hass)
    device = dr.async_get(hass).async_get_device(
        identifiers={(DOMAIN, init_integration.entry_id)}
    )
    assert device is not None
    for entity_id in METER_SENSORS:
        entry = entities.async_get(entity_id)
        assert entry is not None, entity_id
        assert entry.device_id == device.id
        assert entry.unique_id.startswith(f"{init_integration.unique_id}_site_meter_")


CURRENT_ONLY = {
    f"current_l{phase + 1}": {
        "address": 6 + 2 * phase,
        "function": 4,
        "type": "float32",
    }
    for phase in range(3)
}


async def test_a_meter_without_those_quantities_has_no_such_sensors(
    hass: HomeAssistant,
    site: ModbusSite,
    freezer: FrozenDateTimeFactory,
    meter_server: MeterServer,
    site_options: dict[str, Any],
) -> None:
    settings = tcp_settings(meter_server.port, model="generic", registers=CURRENT_ONLY)
    entry = modbus_entry(site, settings, site_options)
    entry.add_to_hass(hass)
    setup = hass.config_entries.async_setup(entry.entry_id)
    assert await run_until(hass, freezer, setup, "setup")
    await hass.async_block_till_done()

    # The first round, before the EVs draw: the flats alone, read over Modbus.
    assert hass.states.get("sensor.garage_site_current_l1").state == "10.0"
    for entity_id in METER_SENSORS:
        assert hass.states.get(entity_id) is None, entity_id
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_a_site_on_ha_sensors_has_no_meter_sensors(hass: HomeAssistant) -> None:
    amps = {ATTR_UNIT_OF_MEASUREMENT: UnitOfElectricCurrent.AMPERE}
    for phase in (1, 2, 3):
        hass.states.async_set(f"sensor.main_l{phase}", "12", amps)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Garage",
        unique_id="sensor.main_l1",
        data={
            "name": "Garage",
            "phases": 3,
            "fuse_current": 40,
            "nominal_voltage": 230,
            "meter_type": "sensors",
            "meter_entities": [f"sensor.main_l{phase}" for phase in (1, 2, 3)],
            "voltage_entities": [],
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert hass.states.get("sensor.garage_site_current_l1").state == "12.0"
    for entity_id in METER_SENSORS:
        assert hass.states.get(entity_id) is None, entity_id
    assert await hass.config_entries.async_unload(entry.entry_id)
