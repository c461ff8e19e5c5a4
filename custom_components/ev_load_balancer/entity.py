"""Base entities: one site device, and one device per charger under it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import BalancerCoordinator
from .snapshot import ChargerView

MANUFACTURER = "EV Load Balancer"


class SiteEntity(CoordinatorEntity[BalancerCoordinator]):
    """An entity of the site (the main fuse)."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: BalancerCoordinator, description: EntityDescription
    ) -> None:
        super().__init__(coordinator)
        entry = coordinator.config_entry
        assert entry is not None
        self.entity_description = description
        self._attr_unique_id = f"{entry.unique_id}_site_{description.key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, entry.entry_id)},
            name=coordinator.site_config.name,
            manufacturer=MANUFACTURER,
            model="Site",
            entry_type=DeviceEntryType.SERVICE,
        )


class ChargerEntity(CoordinatorEntity[BalancerCoordinator]):
    """An entity of one charger."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: BalancerCoordinator,
        charger_id: str,
        description: EntityDescription,
    ) -> None:
        super().__init__(coordinator)
        entry = coordinator.config_entry
        assert entry is not None
        self.entity_description = description
        self.charger_id = charger_id
        self._attr_unique_id = f"{entry.unique_id}_{charger_id}_{description.key}"
        # A member of a group (a Zaptec installation...) shows under it.
        group = coordinator.handles[charger_id].backend.group
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, charger_id)},
            name=coordinator.handles[charger_id].config.name,
            manufacturer=MANUFACTURER,
            model="Charger",
            via_device=group.device_identifier
            if group is not None
            else (DOMAIN, entry.entry_id),
        )

    @property
    def view(self) -> ChargerView:
        return self.coordinator.data.chargers[self.charger_id]

    @property
    def available(self) -> bool:
        return super().available and self.charger_id in self.coordinator.data.chargers


def add_charger_entities(
    async_add_entities: AddConfigEntryEntitiesCallback,
    entities_by_charger: Mapping[str, Iterable[Entity]],
) -> None:
    """Each charger's entities under its own config subentry (its card in the UI)."""
    for charger_id, entities in entities_by_charger.items():
        async_add_entities(entities, config_subentry_id=charger_id)
