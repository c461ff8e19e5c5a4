"""Binary sensors: overload, meter health, failsafe; chargers not answering."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .circuit_sensor import circuit_binary_sensors
from .entity import ChargerEntity, SiteEntity
from .models import EvLoadBalancerConfigEntry
from .ocpp_entities import ocpp_binary_sensors
from .snapshot import ChargerView, SiteSnapshot

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class SiteBinaryDescription(BinarySensorEntityDescription):
    """A site binary sensor and how to read it."""

    is_on_fn: Callable[[SiteSnapshot], bool]


@dataclass(frozen=True, kw_only=True)
class ChargerBinaryDescription(BinarySensorEntityDescription):
    """A charger binary sensor and how to read it."""

    is_on_fn: Callable[[ChargerView], bool]


SITE_DESCRIPTIONS = (
    SiteBinaryDescription(
        key="overload",
        translation_key="overload",
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=lambda snapshot: snapshot.overload,
    ),
    SiteBinaryDescription(
        key="meter_healthy",
        translation_key="meter_healthy",
        is_on_fn=lambda snapshot: snapshot.meter_healthy,
    ),
    SiteBinaryDescription(
        key="failsafe",
        translation_key="failsafe",
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=lambda snapshot: snapshot.failsafe,
    ),
)

CHARGER_DESCRIPTIONS = (
    ChargerBinaryDescription(
        key="unresponsive",
        translation_key="unresponsive",
        device_class=BinarySensorDeviceClass.PROBLEM,
        entity_category=EntityCategory.DIAGNOSTIC,
        is_on_fn=lambda view: view.unresponsive,
    ),
    ChargerBinaryDescription(
        key="ignores_limit",
        translation_key="ignores_limit",
        device_class=BinarySensorDeviceClass.PROBLEM,
        entity_category=EntityCategory.DIAGNOSTIC,
        is_on_fn=lambda view: view.ignores_limit,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EvLoadBalancerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        SiteBinarySensor(coordinator, description) for description in SITE_DESCRIPTIONS
    )
    entry.runtime_data.circuit_platforms.add(
        async_add_entities,
        circuit_binary_sensors(coordinator),
        [circuit.circuit_id for circuit in coordinator.site_config.circuits],
    )
    platforms = entry.runtime_data.platforms
    platforms.add(
        async_add_entities,
        lambda charger_id: [
            ChargerBinarySensor(coordinator, charger_id, description)
            for description in CHARGER_DESCRIPTIONS
        ],
        coordinator.handles,
    )
    platforms.add(
        async_add_entities,
        ocpp_binary_sensors(coordinator, entry.runtime_data.ocpp),
        coordinator.handles,
    )


class SiteBinarySensor(SiteEntity, BinarySensorEntity):
    """A yes/no fact about the site."""

    entity_description: SiteBinaryDescription

    @property
    def is_on(self) -> bool:
        return self.entity_description.is_on_fn(self.coordinator.data)

    def shown(self) -> object:
        return self.is_on


class ChargerBinarySensor(ChargerEntity, BinarySensorEntity):
    """A yes/no fact about one charger."""

    entity_description: ChargerBinaryDescription

    @property
    def is_on(self) -> bool:
        return self.entity_description.is_on_fn(self.view)

    def shown(self) -> object:
        return self.is_on
