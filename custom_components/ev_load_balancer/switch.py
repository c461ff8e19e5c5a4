"""Switches: balancing on/off for the site, and per charger."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .controls import SiteControls
from .coordinator import BalancerCoordinator
from .entity import ChargerEntity, SiteEntity
from .models import EvLoadBalancerConfigEntry

PARALLEL_UPDATES = 1

BALANCING = SwitchEntityDescription(key="balancing", translation_key="balancing")
INCLUDED = SwitchEntityDescription(key="included", translation_key="included")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EvLoadBalancerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    data = entry.runtime_data
    async_add_entities([BalancingSwitch(data.coordinator, data.controls)])
    data.platforms.add(
        async_add_entities,
        lambda charger_id: [
            IncludedSwitch(data.coordinator, data.controls, charger_id)
        ],
        data.coordinator.handles,
    )


class BalancingSwitch(SiteEntity, SwitchEntity):
    """Off: limits are no longer sent; chargers keep the last one they got."""

    def __init__(
        self, coordinator: BalancerCoordinator, controls: SiteControls
    ) -> None:
        super().__init__(coordinator, BALANCING)
        self._controls = controls

    @property
    def is_on(self) -> bool:
        return self.coordinator.runtime.enabled

    async def async_turn_on(self, **kwargs: Any) -> None:
        self._controls.set_enabled(True)
        self.async_write_ha_state()

    async def async_turn_off(self, **kwargs: Any) -> None:
        self._controls.set_enabled(False)
        self.async_write_ha_state()


class IncludedSwitch(ChargerEntity, SwitchEntity):
    """Off: the charger is left alone and its draw counts as building load."""

    def __init__(
        self, coordinator: BalancerCoordinator, controls: SiteControls, charger_id: str
    ) -> None:
        super().__init__(coordinator, charger_id, INCLUDED)
        self._controls = controls

    @property
    def is_on(self) -> bool:
        return self.coordinator.runtime.charger(self.charger_id).included

    def shown(self) -> object:
        return self.is_on

    async def async_turn_on(self, **kwargs: Any) -> None:
        self._controls.set_included(self.charger_id, True)
        self.async_write_ha_state()

    async def async_turn_off(self, **kwargs: Any) -> None:
        self._controls.set_included(self.charger_id, False)
        self.async_write_ha_state()
