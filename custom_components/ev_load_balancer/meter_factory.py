"""The meter source of a site, from its config entry: HA sensors or Modbus."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError

from .config_model import SiteConfig
from .const import DOMAIN, METER_TYPE_MODBUS
from .meter.base import MeterSource
from .meter.ha_sensors import HaSensorMeter
from .meter.modbus import ModbusMeterSource
from .meter.registers import InvalidMeterConfigError
from .modbus_entry import meter_config


def build_meter(
    hass: HomeAssistant, entry: ConfigEntry, config: SiteConfig
) -> MeterSource:
    """The site's meter, not yet started."""
    if config.meter_type != METER_TYPE_MODBUS:
        return HaSensorMeter(
            hass, config.meter_entities, config.voltage_entities, config.voltage_v
        )
    try:
        modbus = meter_config(config.modbus, fuse_a=config.fuse_a)
    except InvalidMeterConfigError as err:
        # Only a hand-edited or outdated entry gets here; reconfigure fixes it.
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="invalid_modbus_meter",
            translation_placeholders={"detail": str(err)},
        ) from err

    def create_task(
        coroutine: Coroutine[Any, Any, None], name: str
    ) -> asyncio.Task[None]:
        # A background task of the entry: unload and HA's shutdown cancel it.
        return entry.async_create_background_task(hass, coroutine, name)

    return ModbusMeterSource(modbus, create_task=create_task)
