"""A stand-in integration: real HA entities with a real integration's shapes.

Each stand-in (one module per brand beside this one) lists its entities as
`Shape`s: platform, unique id, translation key, device, unit, device class,
enabled by default or not, and functions that read or change the charger
model (physics.py). The entities are real number/select/switch/sensor/
binary_sensor entities of a mock integration with the brand's domain, set up
from a config entry (or from YAML, as KEBA), so the entity registry holds
exactly what the real integration registers, and services are registered
with their real names and schemas.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from homeassistant import config_entries
from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.components.number import NumberEntity
from homeassistant.components.select import SelectEntity
from homeassistant.components.sensor import SensorEntity
from homeassistant.components.switch import SwitchEntity
from homeassistant.config_entries import ConfigEntry, ConfigFlow
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, discovery
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockModule,
    MockPlatform,
    mock_integration,
    mock_platform,
)
import voluptuous as vol

from .physics import Building

PLATFORMS = ("sensor", "binary_sensor", "number", "select", "switch")
# Domains whose flow handler a stand-in registered (removed after each test).
STANDIN_DOMAINS: set[str] = set()


@dataclass(kw_only=True)
class Shape:
    """One entity as the real integration registers it."""

    platform: str
    unique_id: str
    name: str
    value: Callable[[], Any]
    translation_key: str | None = None
    device: DeviceInfo | None = None
    unit: str | None = None
    device_class: str | None = None
    attributes: Callable[[], dict[str, Any]] | None = None
    enabled_default: bool = True
    category: EntityCategory | None = None
    # number / select / switch
    set_value: Callable[[Any], None] | None = None
    minimum: float = 0.0
    maximum: float = 32.0
    step: float = 1.0
    options: Sequence[str] = ()
    available: Callable[[], bool] | None = None


@dataclass
class Service:
    name: str
    handler: Callable[[ServiceCall], None]
    schema: vol.Schema | None = None


@dataclass
class StandIn:
    """A brand's integration: its entities and services, over a building."""

    domain: str
    building: Building
    shapes: list[Shape] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    entities: list[_StandInEntity] = field(default_factory=list)
    yaml: bool = False  # set up from YAML, without a config entry (KEBA)
    entry: MockConfigEntry | None = None
    # The brand's own logic before its states are written (group spreading).
    before_push: Callable[[], None] | None = None
    # The brand's own model, for the tests (a Zaptec installation...).
    model: Any = None

    def push(self) -> None:
        """Write every entity's state from the model."""
        if self.before_push is not None:
            self.before_push()
        for entity in self.entities:
            if entity.hass is not None and entity.entity_id:
                entity.async_write_ha_state()

    async def async_setup(self, hass: HomeAssistant) -> None:
        mock_integration(
            hass,
            MockModule(
                self.domain,
                async_setup=self._async_setup_yaml if self.yaml else None,
                async_setup_entry=None if self.yaml else self._async_setup_entry,
                async_unload_entry=None if self.yaml else self._async_unload_entry,
            ),
        )
        mock_platform(hass, f"{self.domain}.config_flow", None)
        # Removed after each test by conftest.restore_flow_handlers.
        config_entries.HANDLERS[self.domain] = _StandInFlow
        STANDIN_DOMAINS.add(self.domain)
        for platform in PLATFORMS:
            mock_platform(
                hass,
                f"{self.domain}.{platform}",
                MockPlatform(
                    async_setup_entry=self._setup_entry_platform(platform),
                    async_setup_platform=self._setup_yaml_platform(platform),
                ),
            )
        self.building.before_publish.append(self.push)
        if self.yaml:
            assert await async_setup_component(hass, self.domain, {self.domain: {}})
        else:
            self.entry = MockConfigEntry(domain=self.domain, title=self.domain)
            self.entry.add_to_hass(hass)
            assert await hass.config_entries.async_setup(self.entry.entry_id)
        await hass.async_block_till_done()

    def _register_services(self, hass: HomeAssistant) -> None:
        for service in self.services:
            # Handlers change the model and write states: on the event loop.
            hass.services.async_register(
                self.domain,
                service.name,
                callback(service.handler),
                schema=service.schema,
            )

    async def _async_setup_entry(self, hass: HomeAssistant, entry: ConfigEntry) -> bool:
        self._register_services(hass)
        await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
        return True

    async def _async_unload_entry(
        self, hass: HomeAssistant, entry: ConfigEntry
    ) -> bool:
        self.entities = []
        return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)

    async def _async_setup_yaml(self, hass: HomeAssistant, config: Any) -> bool:
        self._register_services(hass)
        for platform in PLATFORMS:
            hass.async_create_task(
                discovery.async_load_platform(hass, platform, self.domain, {}, config)
            )
        return True

    def _entities(self, platform: str) -> list[_StandInEntity]:
        made = [
            _CLASSES[platform](shape)
            for shape in self.shapes
            if shape.platform == platform
        ]
        self.entities.extend(made)
        return made

    def _setup_entry_platform(self, platform: str) -> Callable[..., Any]:
        async def setup(hass: HomeAssistant, entry: ConfigEntry, add: Any) -> None:
            add(self._entities(platform))

        return setup

    def _setup_yaml_platform(self, platform: str) -> Callable[..., Any]:
        async def setup(
            hass: HomeAssistant, config: Any, add: Any, discovery_info: Any = None
        ) -> None:
            if discovery_info is not None:
                add(self._entities(platform))

        return setup


class _StandInFlow(ConfigFlow):
    """Entries of stand-ins are made by the tests, not by a flow."""

    VERSION = 1


class _StandInEntity(Entity):
    _attr_should_poll = False

    def __init__(self, shape: Shape) -> None:
        self.shape = shape
        self._attr_unique_id = shape.unique_id
        self._attr_name = shape.name
        self._attr_has_entity_name = shape.device is not None
        self._attr_translation_key = shape.translation_key
        self._attr_device_info = shape.device
        self._attr_entity_registry_enabled_default = shape.enabled_default
        self._attr_entity_category = shape.category
        if shape.device_class is not None:
            self._attr_device_class = shape.device_class

    @property
    def available(self) -> bool:
        return self.shape.available() if self.shape.available else True

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        return self.shape.attributes() if self.shape.attributes else None

    def _changed(self, value: Any) -> None:
        assert self.shape.set_value is not None
        self.shape.set_value(value)


class _Sensor(_StandInEntity, SensorEntity):
    def __init__(self, shape: Shape) -> None:
        super().__init__(shape)
        self._attr_native_unit_of_measurement = shape.unit
        if shape.options:
            self._attr_options = list(shape.options)

    @property
    def native_value(self) -> Any:
        return self.shape.value()


class _BinarySensor(_StandInEntity, BinarySensorEntity):
    @property
    def is_on(self) -> bool | None:
        return bool(self.shape.value())


class _Number(_StandInEntity, NumberEntity):
    def __init__(self, shape: Shape) -> None:
        super().__init__(shape)
        self._attr_native_min_value = shape.minimum
        self._attr_native_max_value = shape.maximum
        self._attr_native_step = shape.step
        self._attr_native_unit_of_measurement = shape.unit

    @property
    def native_value(self) -> float | None:
        return self.shape.value()

    async def async_set_native_value(self, value: float) -> None:
        self._changed(value)


class _Select(_StandInEntity, SelectEntity):
    def __init__(self, shape: Shape) -> None:
        super().__init__(shape)
        self._attr_options = list(shape.options)

    @property
    def current_option(self) -> str | None:
        return self.shape.value()

    async def async_select_option(self, option: str) -> None:
        self._changed(option)


class _Switch(_StandInEntity, SwitchEntity):
    @property
    def is_on(self) -> bool | None:
        return bool(self.shape.value())

    async def async_turn_on(self, **kwargs: Any) -> None:
        self._changed(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        self._changed(False)


_CLASSES: dict[str, type[_StandInEntity]] = {
    "sensor": _Sensor,
    "binary_sensor": _BinarySensor,
    "number": _Number,
    "select": _Select,
    "switch": _Switch,
}


def device_refs(hass: HomeAssistant, device_ids: Any, domain: str) -> list[str]:
    """The integration's own ids of the devices a service call targets."""
    ids = device_ids if isinstance(device_ids, list) else [device_ids]
    refs = []
    for device_id in ids:
        device = dr.async_get(hass).async_get(device_id)
        if device is None:
            raise HomeAssistantError(f"Unable to find device {device_id}")
        refs.extend(
            str(identifier[1])
            for identifier in device.identifiers
            if identifier[0] == domain
        )
    return refs


def power_kw(building_voltage: float, draw: Sequence[float]) -> float:
    return round(sum(draw) * building_voltage / 1000, 2)
