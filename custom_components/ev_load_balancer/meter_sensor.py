"""Sensors of what a Modbus meter measures besides current, on the site device.

The per-phase current already shows as the site's "site current" sensors.
Voltage, power and import energy are added when the meter's register map has
them; a site metered by HA sensors gets none (those sensors exist already).
Values are the reading the last round balanced on, unknown while the meter
cannot be trusted.
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
from homeassistant.const import UnitOfElectricPotential, UnitOfEnergy, UnitOfPower
from homeassistant.helpers.typing import StateType

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
        return None if values is None else round(values[phase], digits)

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
