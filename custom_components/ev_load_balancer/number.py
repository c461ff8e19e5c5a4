"""Each charger's priority, for dashboards and automations."""

from __future__ import annotations

from homeassistant.components.number import (
    NumberEntity,
    NumberEntityDescription,
    NumberMode,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import PRIORITY_MAX, PRIORITY_MIN
from .controls import SiteControls
from .coordinator import BalancerCoordinator
from .entity import ChargerEntity
from .models import EvLoadBalancerConfigEntry

PARALLEL_UPDATES = 1

PRIORITY = NumberEntityDescription(
    key="priority",
    translation_key="priority",
    native_min_value=PRIORITY_MIN,
    native_max_value=PRIORITY_MAX,
    native_step=1,
    mode=NumberMode.BOX,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EvLoadBalancerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    data = entry.runtime_data
    data.platforms.add(
        async_add_entities,
        lambda charger_id: [
            PriorityNumber(data.coordinator, data.controls, charger_id)
        ],
        data.coordinator.handles,
    )


class PriorityNumber(ChargerEntity, NumberEntity):
    """Higher priorities are served first; a boost outranks them all."""

    def __init__(
        self, coordinator: BalancerCoordinator, controls: SiteControls, charger_id: str
    ) -> None:
        super().__init__(coordinator, charger_id, PRIORITY)
        self._controls = controls

    @property
    def native_value(self) -> int:
        # Whole numbers: the state reads "5", not "5.0".
        handle = self.coordinator.handles[self.charger_id]
        configured = self.coordinator.runtime.charger(self.charger_id).priority
        return handle.config.priority if configured is None else configured

    def shown(self) -> object:
        return self.native_value

    async def async_set_native_value(self, value: float) -> None:
        self._controls.set_priority(self.charger_id, int(value))
        self.async_write_ha_state()
