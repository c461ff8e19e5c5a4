"""Sensors: the site's per-phase picture and each charger's limit and draw."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    EntityCategory,
    UnitOfElectricCurrent,
    UnitOfEnergy,
    UnitOfPower,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .balancer import ChargerState, Reason
from .circuit_sensor import circuit_sensors
from .entity import ChargerEntity, SiteEntity
from .meter_sensor import async_meter_sensors
from .models import EvLoadBalancerConfigEntry
from .ocpp_entities import ocpp_sensors
from .peak_sensor import peak_sensors
from .snapshot import ChargerView, SiteSnapshot
from .wiring_sensor import DetectedWiringSensor

PARALLEL_UPDATES = 0
PHASE_NAMES = ("l1", "l2", "l3")
# Shown while the charger's status word is unknown (see chargers/status_map.py).
MAY_BE_CHARGING = "may_be_charging"


@dataclass(frozen=True, kw_only=True)
class SiteSensorDescription(SensorEntityDescription):
    """A site sensor and how to read it from the snapshot."""

    value_fn: Callable[[SiteSnapshot], StateType]


@dataclass(frozen=True, kw_only=True)
class ChargerSensorDescription(SensorEntityDescription):
    """A charger sensor and how to read it from the charger's view."""

    value_fn: Callable[[ChargerView], StateType | datetime]


def _rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _current(
    key: str, value_fn: Callable[[SiteSnapshot], StateType]
) -> SiteSensorDescription:
    return SiteSensorDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=1,
        value_fn=value_fn,
    )


def _phase_fn(attribute: str, phase: int) -> Callable[[SiteSnapshot], StateType]:
    return lambda snapshot: _rounded(getattr(snapshot, attribute)[phase])


def site_descriptions(phases: int) -> list[SiteSensorDescription]:
    descriptions: list[SiteSensorDescription] = []
    for attribute, key in (
        ("site_current_a", "site_current"),
        ("baseline_a", "baseline_current"),
        ("available_a", "available_current"),
    ):
        descriptions.extend(
            _current(f"{key}_{PHASE_NAMES[phase]}", _phase_fn(attribute, phase))
            for phase in range(phases)
        )
    descriptions += [
        _current("usable_current", lambda snapshot: _rounded(snapshot.usable_a)),
        _current("headroom", lambda snapshot: _rounded(snapshot.headroom_a)),
        _current("fuse_margin", lambda snapshot: _rounded(snapshot.margin_a)),
        SiteSensorDescription(
            key="ev_power",
            translation_key="ev_power",
            device_class=SensorDeviceClass.POWER,
            state_class=SensorStateClass.MEASUREMENT,
            native_unit_of_measurement=UnitOfPower.WATT,
            suggested_display_precision=0,
            value_fn=lambda snapshot: round(snapshot.ev_power_w),
        ),
        SiteSensorDescription(
            key="charging_count",
            translation_key="charging_count",
            state_class=SensorStateClass.MEASUREMENT,
            value_fn=lambda snapshot: snapshot.charging_count,
        ),
        SiteSensorDescription(
            key="queued_count",
            translation_key="queued_count",
            state_class=SensorStateClass.MEASUREMENT,
            value_fn=lambda snapshot: snapshot.queued_count,
        ),
    ]
    return descriptions


def _state_value(view: ChargerView) -> StateType:
    if view.unknown_status is not None:
        return MAY_BE_CHARGING
    return view.state.value if view.state else None


def _conductor_fn(conductor: int) -> Callable[[ChargerView], StateType | datetime]:
    return lambda view: _rounded(view.current_a[conductor])


def charger_descriptions(conductors: int) -> list[ChargerSensorDescription]:
    descriptions = [
        ChargerSensorDescription(
            key="limit",
            translation_key="limit",
            device_class=SensorDeviceClass.CURRENT,
            state_class=SensorStateClass.MEASUREMENT,
            native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
            suggested_display_precision=1,
            value_fn=lambda view: view.limit_a,
        ),
        ChargerSensorDescription(
            key="power",
            translation_key="power",
            device_class=SensorDeviceClass.POWER,
            state_class=SensorStateClass.MEASUREMENT,
            native_unit_of_measurement=UnitOfPower.WATT,
            suggested_display_precision=0,
            value_fn=lambda view: None if view.power_w is None else round(view.power_w),
        ),
        ChargerSensorDescription(
            key="state",
            translation_key="state",
            device_class=SensorDeviceClass.ENUM,
            options=[*(state.value for state in ChargerState), MAY_BE_CHARGING],
            value_fn=_state_value,
        ),
        ChargerSensorDescription(
            key="reason",
            translation_key="reason",
            device_class=SensorDeviceClass.ENUM,
            options=[reason.value for reason in Reason],
            value_fn=lambda view: view.reason.value if view.reason else None,
        ),
        ChargerSensorDescription(
            key="energy_still_needed",
            translation_key="energy_still_needed",
            device_class=SensorDeviceClass.ENERGY,
            native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
            suggested_display_precision=1,
            value_fn=lambda view: _rounded(view.energy_still_needed_kwh, 2),
        ),
        ChargerSensorDescription(
            key="departure",
            translation_key="departure",
            device_class=SensorDeviceClass.TIMESTAMP,
            value_fn=lambda view: (
                None
                if view.departure is None
                else dt_util.utc_from_timestamp(view.departure)
            ),
        ),
        ChargerSensorDescription(
            key="queue_position",
            translation_key="queue_position",
            entity_category=EntityCategory.DIAGNOSTIC,
            value_fn=lambda view: view.queue_position,
        ),
    ]
    descriptions.extend(
        ChargerSensorDescription(
            key=f"current_{PHASE_NAMES[conductor]}",
            translation_key=f"current_{PHASE_NAMES[conductor]}",
            device_class=SensorDeviceClass.CURRENT,
            state_class=SensorStateClass.MEASUREMENT,
            native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
            suggested_display_precision=1,
            # Three per charger, changing every second: on demand only.
            entity_registry_enabled_default=False,
            value_fn=_conductor_fn(conductor),
        )
        for conductor in range(conductors)
    )
    return descriptions


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EvLoadBalancerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        SiteSensor(coordinator, description)
        for description in site_descriptions(coordinator.site_config.phases)
    )
    async_add_entities(async_meter_sensors(hass, coordinator))
    async_add_entities(peak_sensors(coordinator, hass.config.currency))
    entry.runtime_data.circuit_platforms.add(
        async_add_entities,
        circuit_sensors(coordinator),
        [circuit.circuit_id for circuit in coordinator.site_config.circuits],
    )
    platforms = entry.runtime_data.platforms
    platforms.add(
        async_add_entities,
        lambda charger_id: [
            *(
                ChargerSensor(coordinator, charger_id, description)
                for description in charger_descriptions(
                    len(coordinator.handles[charger_id].config.wiring)
                )
            ),
            DetectedWiringSensor(coordinator, charger_id),
        ],
        coordinator.handles,
    )
    platforms.add(
        async_add_entities,
        ocpp_sensors(coordinator, entry.runtime_data.ocpp),
        coordinator.handles,
    )


class SiteSensor(SiteEntity, SensorEntity):
    """A number about the whole site."""

    entity_description: SiteSensorDescription

    @property
    def native_value(self) -> StateType:
        return self.entity_description.value_fn(self.coordinator.data)

    def shown(self) -> object:
        return self.native_value


class ChargerSensor(ChargerEntity, SensorEntity):
    """A number about one charger."""

    entity_description: ChargerSensorDescription

    @property
    def native_value(self) -> StateType | datetime:
        return self.entity_description.value_fn(self.view)

    def shown(self) -> object:
        return self.native_value
