"""Sensors of what a Modbus meter measures besides current, on the site device.

The per-phase current already shows as the site's "site current" sensors.
Voltage, power and import energy are added when the meter's register map has
them; a site metered by HA sensors gets none (those sensors exist already).
Values are the reading the last round balanced on, unknown while the meter
cannot be trusted. When the site's meter changes, the sensors of quantities
the new one lacks are removed rather than left unavailable forever.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    Platform,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfPower,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.typing import StateType

from .const import DOMAIN
from .coordinator import BalancerCoordinator
from .entity import SiteEntity
from .meter.base import MeterReading
from .meter.modbus import ModbusMeterSource

PHASE_NAMES = ("l1", "l2", "l3")


@dataclass(frozen=True, kw_only=True)
class MeterSensorDescription(SensorEntityDescription):
    """A meter quantity and how to read it from a reading."""

    value_fn: Callable[[MeterReading], StateType]


def _phase_value(
    attribute: str, phase: int, digits: int
) -> Callable[[MeterReading], StateType]:
    def value(reading: MeterReading) -> StateType:
        values: tuple[float, ...] | None = getattr(reading, attribute)
        if values is None:
            return None
        return round(values[phase], digits) if digits else round(values[phase])

    return value


def _energy(reading: MeterReading) -> StateType:
    energy = reading.energy_import_kwh
    return None if energy is None else round(energy, 3)


def _voltage(phase: int) -> MeterSensorDescription:
    key = f"meter_voltage_{PHASE_NAMES[phase]}"
    return MeterSensorDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        value_fn=_phase_value("voltage_v", phase, 1),
    )


def _power(phase: int) -> MeterSensorDescription:
    key = f"meter_power_{PHASE_NAMES[phase]}"
    return MeterSensorDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        value_fn=_phase_value("power_w", phase, 0),
    )


ENERGY_IMPORT = MeterSensorDescription(
    key="meter_energy_import",
    translation_key="meter_energy_import",
    device_class=SensorDeviceClass.ENERGY,
    # Total increasing in kWh: what the Energy dashboard accepts as grid import.
    state_class=SensorStateClass.TOTAL_INCREASING,
    native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
    suggested_display_precision=2,
    value_fn=_energy,
)


ALL_KEYS = (
    *(_voltage(phase).key for phase in range(len(PHASE_NAMES))),
    *(_power(phase).key for phase in range(len(PHASE_NAMES))),
    ENERGY_IMPORT.key,
)


def meter_sensor_descriptions(
    coordinator: BalancerCoordinator,
) -> list[MeterSensorDescription]:
    """The quantities the site's meter provides beyond current."""
    meter = coordinator.meter
    if not isinstance(meter, ModbusMeterSource):
        return []
    register_map = meter.config.register_map
    descriptions: list[MeterSensorDescription] = []
    if register_map.voltage is not None:
        descriptions += [_voltage(phase) for phase in range(register_map.phases)]
    if register_map.power is not None:
        descriptions += [_power(phase) for phase in range(register_map.phases)]
    if register_map.energy_import is not None:
        descriptions.append(ENERGY_IMPORT)
    return descriptions


@callback
def async_meter_sensors(
    hass: HomeAssistant, coordinator: BalancerCoordinator
) -> list[MeterSensor]:
    """The meter's sensors; those of quantities it no longer has are removed."""
    entry = coordinator.config_entry
    assert entry is not None
    descriptions = meter_sensor_descriptions(coordinator)
    provided = {description.key for description in descriptions}
    registry = er.async_get(hass)
    for key in ALL_KEYS:
        if key in provided:
            continue
        unique_id = f"{entry.unique_id}_site_{key}"
        entity_id = registry.async_get_entity_id(Platform.SENSOR, DOMAIN, unique_id)
        if entity_id is not None:
            registry.async_remove(entity_id)
    return [MeterSensor(coordinator, description) for description in descriptions]


class MeterSensor(SiteEntity, SensorEntity):
    """One quantity of the site's meter."""

    entity_description: MeterSensorDescription

    @property
    def native_value(self) -> StateType:
        coordinator = self.coordinator
        if not coordinator.data.meter_healthy:
            return None
        reading = coordinator.meter.reading
        return None if reading is None else self.entity_description.value_fn(reading)

    def shown(self) -> object:
        return self.native_value
