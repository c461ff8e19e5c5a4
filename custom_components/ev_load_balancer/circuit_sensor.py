"""Entities of each circuit: its load and what it leaves per phase, its
overload, its meter and its failsafe, on a device of its own under the site."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory, UnitOfElectricCurrent
from homeassistant.helpers.typing import StateType

from .circuit_model import CircuitConfig
from .const import PHASE_KEYS
from .coordinator import BalancerCoordinator
from .entity import CircuitEntity
from .snapshot import CircuitView


@dataclass(frozen=True, kw_only=True)
class CircuitSensorDescription(SensorEntityDescription):
    """A circuit sensor and how to read it from the circuit's view."""

    value_fn: Callable[[CircuitView], StateType]


@dataclass(frozen=True, kw_only=True)
class CircuitBinaryDescription(BinarySensorEntityDescription):
    """A circuit binary sensor and how to read it."""

    is_on_fn: Callable[[CircuitView], bool]


def _phase_value(attribute: str, index: int) -> Callable[[CircuitView], StateType]:
    def value(view: CircuitView) -> StateType:
        values: tuple[float | None, ...] = getattr(view, attribute)
        number = values[index] if index < len(values) else None
        return None if number is None else round(number, 1)

    return value


def _current(
    key: str, translation_key: str, value_fn: Callable[[CircuitView], StateType]
) -> CircuitSensorDescription:
    return CircuitSensorDescription(
        key=key,
        translation_key=translation_key,
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=1,
        value_fn=value_fn,
    )


def circuit_sensor_descriptions(
    circuit: CircuitConfig,
) -> list[CircuitSensorDescription]:
    """Per phase it carries (named by site phase): its load when it has a
    meter, and what it leaves for EVs."""
    descriptions: list[CircuitSensorDescription] = []
    for index, phase in enumerate(circuit.phases):
        name = PHASE_KEYS[phase]
        if circuit.metered:
            descriptions.append(
                _current(
                    f"load_{name}",
                    f"circuit_load_{name}",
                    _phase_value("current_a", index),
                )
            )
        descriptions.append(
            _current(
                f"available_current_{name}",
                f"available_current_{name}",
                _phase_value("available_a", index),
            )
        )
    return descriptions


OVERLOAD = CircuitBinaryDescription(
    key="overload",
    translation_key="overload",
    device_class=BinarySensorDeviceClass.PROBLEM,
    is_on_fn=lambda view: view.overload,
)
FAILSAFE = CircuitBinaryDescription(
    key="failsafe",
    translation_key="failsafe",
    device_class=BinarySensorDeviceClass.PROBLEM,
    is_on_fn=lambda view: view.failsafe,
)
METER_HEALTHY = CircuitBinaryDescription(
    key="meter_healthy",
    translation_key="meter_healthy",
    entity_category=EntityCategory.DIAGNOSTIC,
    is_on_fn=lambda view: view.meter_problem is None,
)


def circuit_binary_descriptions(
    circuit: CircuitConfig,
) -> list[CircuitBinaryDescription]:
    if circuit.metered:
        return [OVERLOAD, FAILSAFE, METER_HEALTHY]
    return [OVERLOAD]


def _circuit(coordinator: BalancerCoordinator, circuit_id: str) -> CircuitConfig:
    return next(
        c for c in coordinator.site_config.circuits if c.circuit_id == circuit_id
    )


def circuit_sensors(
    coordinator: BalancerCoordinator,
) -> Callable[[str], list[CircuitSensor]]:
    """The maker of a circuit's sensors (site_changes.ChargerPlatforms)."""
    return lambda circuit_id: [
        CircuitSensor(coordinator, circuit_id, description)
        for description in circuit_sensor_descriptions(
            _circuit(coordinator, circuit_id)
        )
    ]


def circuit_binary_sensors(
    coordinator: BalancerCoordinator,
) -> Callable[[str], list[CircuitBinarySensor]]:
    return lambda circuit_id: [
        CircuitBinarySensor(coordinator, circuit_id, description)
        for description in circuit_binary_descriptions(
            _circuit(coordinator, circuit_id)
        )
    ]


class CircuitSensor(CircuitEntity, SensorEntity):
    """A number about one circuit."""

    entity_description: CircuitSensorDescription

    @property
    def native_value(self) -> StateType:
        return self.entity_description.value_fn(self.view)

    def shown(self) -> object:
        return self.native_value


class CircuitBinarySensor(CircuitEntity, BinarySensorEntity):
    """A yes/no fact about one circuit."""

    entity_description: CircuitBinaryDescription

    @property
    def is_on(self) -> bool:
        return self.entity_description.is_on_fn(self.view)

    def shown(self) -> object:
        return self.is_on
