"""Boost: top priority for a charger until its EV is unplugged."""

from __future__ import annotations

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .controls import SiteControls
from .coordinator import BalancerCoordinator
from .entity import ChargerEntity
from .models import EvLoadBalancerConfigEntry

PARALLEL_UPDATES = 1

BOOST = ButtonEntityDescription(key="boost", translation_key="boost")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EvLoadBalancerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    data = entry.runtime_data
    data.platforms.add(
        async_add_entities,
        lambda charger_id: [BoostButton(data.coordinator, data.controls, charger_id)],
        data.coordinator.handles,
    )


class BoostButton(ChargerEntity, ButtonEntity):
    """Press: this EV is served first until it leaves."""

    def __init__(
        self, coordinator: BalancerCoordinator, controls: SiteControls, charger_id: str
    ) -> None:
        super().__init__(coordinator, charger_id, BOOST)
        self._controls = controls

    def shown(self) -> object:
        return None  # its state is the time of the last press, written by HA

    async def async_press(self) -> None:
        self._controls.boost(self.charger_id, dt_util.utcnow().timestamp(), None)
