"""What the device pages say: the site, and each charger with what it told us.

Generic words (the models "Site" and "Charger", the default site name "Main
fuse") come from the integration's translations in Home Assistant's language.
An OCPP charger's vendor, model, serial number and firmware come from its
BootNotification and are written to its device when it (re)connects.
"""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.translation import async_get_translations

from .circuit_model import CircuitConfig
from .config_model import ChargerConfig
from .const import DOMAIN
from .ocpp_cs import ChargerInfo

MANUFACTURER = "EV Load Balancer"


@dataclass(frozen=True, slots=True)
class DeviceWords:
    """Generic device texts, in Home Assistant's language."""

    site_model: str = "Site"
    charger_model: str = "Charger"
    default_site_name: str = "Main fuse"
    circuit_model: str = "Circuit"


async def async_device_words(hass: HomeAssistant) -> DeviceWords:
    """The words of `device` in strings.json, translated."""
    texts = await async_get_translations(hass, hass.config.language, "device", {DOMAIN})
    default = DeviceWords()

    def word(key: str, fallback: str) -> str:
        return texts.get(f"component.{DOMAIN}.device.{key}.name") or fallback

    return DeviceWords(
        site_model=word("site", default.site_model),
        charger_model=word("charger", default.charger_model),
        default_site_name=word("main_fuse", default.default_site_name),
        circuit_model=word("circuit", default.circuit_model),
    )


def site_device_info(entry: ConfigEntry, name: str, words: DeviceWords) -> DeviceInfo:
    return DeviceInfo(
        identifiers={(DOMAIN, entry.entry_id)},
        name=name,
        manufacturer=MANUFACTURER,
        model=words.site_model,
        entry_type=DeviceEntryType.SERVICE,
    )


@callback
def async_register_site_device(
    hass: HomeAssistant, entry: ConfigEntry, name: str, words: DeviceWords
) -> None:
    """The site's device, before any platform: charger and circuit devices
    name it as the device they are reached through."""
    dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **site_device_info(entry, name, words)
    )


def circuit_device_info(
    entry: ConfigEntry, circuit: CircuitConfig, words: DeviceWords
) -> DeviceInfo:
    """A circuit's device, under the site's (a parent circuit's device may
    not exist yet when its children's entities are added)."""
    return DeviceInfo(
        identifiers={(DOMAIN, circuit.circuit_id)},
        name=circuit.name,
        manufacturer=MANUFACTURER,
        model=words.circuit_model,
        via_device=(DOMAIN, entry.entry_id),
    )


def charger_device_info(
    hass: HomeAssistant,
    entry: ConfigEntry,
    config: ChargerConfig,
    words: DeviceWords,
    ocpp: ChargerInfo | None,
) -> DeviceInfo:
    info = DeviceInfo(
        identifiers={(DOMAIN, config.charger_id)},
        name=config.name,
        via_device=(DOMAIN, entry.entry_id),
    )
    known = dr.async_get(hass).async_get_device(
        identifiers={(DOMAIN, config.charger_id)}
    )
    if ocpp is None or known is None:
        # An OCPP charger that has not connected since the site started keeps
        # what it reported before.
        info["manufacturer"] = MANUFACTURER
        info["model"] = words.charger_model
    if ocpp is not None:
        info.update(_reported(ocpp))  # type: ignore[typeddict-item]
    return info


def _reported(ocpp: ChargerInfo) -> dict[str, str]:
    """What the charger said about itself (BootNotification), where it did."""
    reported = {
        "manufacturer": ocpp.vendor,
        "model": ocpp.model,
        "serial_number": ocpp.serial_number,
        "sw_version": ocpp.firmware_version,
    }
    return {key: value for key, value in reported.items() if value}


@callback
def async_update_charger_device(
    hass: HomeAssistant, charger_id: str, ocpp: ChargerInfo
) -> None:
    """Write what a charger reported to its device, when it differs."""
    registry = dr.async_get(hass)
    device = registry.async_get_device(identifiers={(DOMAIN, charger_id)})
    reported = _reported(ocpp)
    if device is None or not reported:
        return
    if all(getattr(device, key) == value for key, value in reported.items()):
        return
    registry.async_update_device(device.id, **reported)  # type: ignore[arg-type]
