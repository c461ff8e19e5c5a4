"""Chargers adopted, changed or removed while the site runs: applied in place.

A reload would restart the OCPP server and drop every charger's websocket;
chargers come back only on their own retry (minutes, for some), and some end
their transaction on a lost socket. So a change to the chargers touches only
the charger it is about: the loop keeps what it learnt of the others, their
connections and sessions stay, and a new charger is commanded in its first
round. Each platform registers how it makes a charger's entities, so that a
new charger gets them without the platforms being set up again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
import logging
from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .chargers.base import ChargerBackend
from .chargers.entity_factory import build_entity_chargers
from .config_model import ChargerConfig, SiteConfig
from .ocpp_const import CONTROL_OCPP
from .ocpp_runtime import adopted_chargers

if TYPE_CHECKING:
    from .models import EvLoadBalancerConfigEntry

_LOGGER = logging.getLogger(__name__)

type EntityMaker = Callable[[str], Iterable[Entity]]


class ChargerPlatforms:
    """Every platform's maker of a charger's entities, and what each made."""

    def __init__(self) -> None:
        self._makers: list[tuple[AddConfigEntryEntitiesCallback, EntityMaker]] = []
        self._entities: dict[str, list[Entity]] = {}

    def add(
        self,
        async_add_entities: AddConfigEntryEntitiesCallback,
        make: EntityMaker,
        charger_ids: Iterable[str],
    ) -> None:
        """A platform's maker; its entities for the chargers there are now."""
        self._makers.append((async_add_entities, make))
        for charger_id in charger_ids:
            self._add(async_add_entities, make, charger_id)

    def add_charger(self, charger_id: str) -> None:
        """Entities of every platform for a charger new to the site."""
        for async_add_entities, make in self._makers:
            self._add(async_add_entities, make, charger_id)

    async def async_remove_charger(self, charger_id: str) -> None:
        """Take a charger's entities out (their registry entries stay)."""
        for entity in self._entities.pop(charger_id, []):
            if entity.hass is not None and entity.platform is not None:
                await entity.async_remove()

    def forget_charger(self, charger_id: str) -> None:
        """A removed subentry: Home Assistant removed its entities already."""
        self._entities.pop(charger_id, None)

    def unique_ids(self, charger_id: str) -> set[str]:
        return {
            entity.unique_id
            for entity in self._entities.get(charger_id, [])
            if entity.unique_id is not None
        }

    def _add(
        self,
        async_add_entities: AddConfigEntryEntitiesCallback,
        make: EntityMaker,
        charger_id: str,
    ) -> None:
        entities = list(make(charger_id))
        if entities:
            self._entities.setdefault(charger_id, []).extend(entities)
            async_add_entities(entities, config_subentry_id=charger_id)


async def async_apply_charger_changes(
    hass: HomeAssistant, entry: EvLoadBalancerConfigEntry
) -> bool:
    """Bring the running site's chargers in line with the entry's subentries.

    False (nothing changed) when the change needs a reload: entity chargers
    that share a group actuator (a Zaptec installation, an Easee circuit)
    are built together.
    """
    data = entry.runtime_data
    coordinator, ocpp, platforms = data.coordinator, data.ocpp, data.platforms
    config = SiteConfig.from_entry(entry)
    wanted = {charger.charger_id: charger for charger in config.chargers}
    if any(_grouped(charger) for charger in config.chargers) or any(
        _grouped(handle.config) for handle in coordinator.handles.values()
    ):
        return False
    adopted = {
        charger.subentry_id: charger
        for charger in adopted_chargers(entry, config.voltage_v)
    }
    for charger_id in [cid for cid in coordinator.handles if cid not in wanted]:
        _LOGGER.info("Charger %s leaves %s", charger_id, config.name)
        await coordinator.async_remove_charger(charger_id)
        await ocpp.async_drop(charger_id)
        platforms.forget_charger(charger_id)
    for charger_id, charger in wanted.items():
        old = coordinator.handles.get(charger_id)
        ocpp_charger = ocpp.chargers.get(charger_id)
        ocpp_same = charger_id not in adopted or (
            ocpp_charger is not None
            and ocpp_charger.ocpp.config == adopted[charger_id].config
        )
        if old is not None and old.config == charger and ocpp_same:
            continue
        backend: ChargerBackend | None
        if charger.control == CONTROL_OCPP:
            backend = await ocpp.async_set(adopted[charger_id])
        else:
            (backend,) = build_entity_chargers(
                hass, entry.entry_id, replace(config, chargers=(charger,))
            )
        if old is not None:
            await platforms.async_remove_charger(charger_id)
        await coordinator.async_set_charger(charger, backend)
        platforms.add_charger(charger_id)
        if old is not None:
            remove_stale_entities(hass, entry.entry_id, charger_id, platforms)
        _LOGGER.info(
            "Charger %s %s %s",
            charger.name,
            "changed in" if old else "joins",
            config.name,
        )
    return True


def _grouped(charger: ChargerConfig) -> bool:
    return charger.profile is not None and charger.group_ref is not None


def remove_stale_entities(
    hass: HomeAssistant, entry_id: str, charger_id: str, platforms: ChargerPlatforms
) -> None:
    """Registry entries a changed charger no longer has (e.g. a phase fewer)."""
    registry = er.async_get(hass)
    kept = platforms.unique_ids(charger_id)
    for registered in er.async_entries_for_config_entry(registry, entry_id):
        if (
            registered.config_subentry_id == charger_id
            and registered.unique_id not in kept
        ):
            registry.async_remove(registered.entity_id)
