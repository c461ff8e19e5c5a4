"""The sharing strategy of a site."""

from __future__ import annotations

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .balancer import Strategy
from .const import CONF_STRATEGY
from .entity import SiteEntity
from .models import EvLoadBalancerConfigEntry

PARALLEL_UPDATES = 1

STRATEGY = SelectEntityDescription(
    key="strategy",
    translation_key="strategy",
    options=[strategy.value for strategy in Strategy],
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EvLoadBalancerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    async_add_entities([StrategySelect(entry.runtime_data.coordinator, STRATEGY)])


class StrategySelect(SiteEntity, SelectEntity):
    """Fair sharing, or departure-aware (least laxity first)."""

    @property
    def current_option(self) -> str:
        return self.coordinator.strategy.value

    async def async_select_option(self, option: str) -> None:
        entry = self.coordinator.config_entry
        assert entry is not None
        # The strategy is an option of the site: the options flow shows it too,
        # and the update listener applies it without a reload.
        self.hass.config_entries.async_update_entry(
            entry, options={**entry.options, CONF_STRATEGY: option}
        )
