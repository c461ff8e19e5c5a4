"""Base entities: one site device, and one device per charger under it."""

from __future__ import annotations

from homeassistant.core import callback
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .coordinator import BalancerCoordinator
from .device_info import charger_device_info, circuit_device_info, site_device_info
from .snapshot import ChargerView, CircuitView


class WrittenOnChange(CoordinatorEntity[BalancerCoordinator]):
    """Written when what it shows changed, not at every round: a round runs on
    every meter sample and charger message, and a garage of 200 chargers has
    thousands of entities, most of them unchanged from round to round."""

    _written: object = None  # what the last coordinator update wrote

    def shown(self) -> object:
        """Everything the entity shows besides its availability (compared
        with ==); by default something new, so that every round writes it."""
        return object()

    @callback
    def _handle_coordinator_update(self) -> None:
        shown = (True, self.shown()) if self.available else (False,)
        if shown == self._written:
            return
        self._written = shown
        self.async_write_ha_state()


class SiteEntity(WrittenOnChange):
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
        self._attr_device_info = site_device_info(
            entry, coordinator.site_config.name, entry.runtime_data.device_words
        )


class _PartEntity(WrittenOnChange):
    """An entity of one part of the site (a charger, a circuit), by its id."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: BalancerCoordinator,
        part_id: str,
        description: EntityDescription,
    ) -> None:
        super().__init__(coordinator)
        entry = coordinator.config_entry
        assert entry is not None
        self._site_entry = entry
        self.entity_description = description
        self._attr_unique_id = f"{entry.unique_id}_{part_id}_{description.key}"


class ChargerEntity(_PartEntity):
    """An entity of one charger."""

    def __init__(
        self,
        coordinator: BalancerCoordinator,
        charger_id: str,
        description: EntityDescription,
    ) -> None:
        super().__init__(coordinator, charger_id, description)
        self.charger_id = charger_id
        entry = self._site_entry
        data = entry.runtime_data
        ocpp = data.ocpp.chargers.get(charger_id)
        self._attr_device_info = charger_device_info(
            coordinator.hass,
            entry,
            coordinator.handles[charger_id].config,
            data.device_words,
            ocpp.ocpp.info if ocpp is not None else None,
        )
        # A member of a group (a Zaptec installation...) shows under it.
        group = coordinator.handles[charger_id].backend.group
        if group is not None:
            self._attr_device_info["via_device"] = group.device_identifier

    @property
    def view(self) -> ChargerView:
        return self.coordinator.data.chargers[self.charger_id]

    @property
    def available(self) -> bool:
        return super().available and self.charger_id in self.coordinator.data.chargers


class CircuitEntity(_PartEntity):
    """An entity of one circuit (a fuse below the main fuse)."""

    def __init__(
        self,
        coordinator: BalancerCoordinator,
        circuit_id: str,
        description: EntityDescription,
    ) -> None:
        super().__init__(coordinator, circuit_id, description)
        self.circuit_id = circuit_id
        entry = self._site_entry
        circuit = next(
            c for c in coordinator.site_config.circuits if c.circuit_id == circuit_id
        )
        self._attr_device_info = circuit_device_info(
            entry, circuit, entry.runtime_data.device_words
        )

    @property
    def view(self) -> CircuitView:
        return self.coordinator.data.circuits[self.circuit_id]

    @property
    def available(self) -> bool:
        return super().available and self.circuit_id in self.coordinator.data.circuits
