"""EV Load Balancer: share a building's main fuse among EV chargers."""

from __future__ import annotations

import logging
from typing import Any

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .audit_service import async_setup_audit_service
from .chargers.entity_factory import build_entity_chargers
from .circuit_changes import async_apply_circuit_changes
from .config_model import CHARGER_SUBENTRY_TYPES, SiteConfig
from .const import DOMAIN, SUBENTRY_CIRCUIT
from .controls import SiteControls
from .coordinator import BalancerCoordinator
from .device_info import async_device_words, async_register_site_device
from .frontend import async_register_card
from .meter_factory import build_meter
from .models import EvLoadBalancerConfigEntry, EvLoadBalancerData
from .ocpp_escalation import watch_escalation
from .ocpp_runtime import OcppRuntime
from .ocpp_services import async_setup_ocpp_services
from .ocpp_sessions_store import SessionStore
from .ocpp_settings import OcppServerSettings
from .peak_options import PeakSettings
from .peak_services import async_setup_peak_services
from .peak_site import PeakSite
from .peak_store import PeakStore
from .runtime_state import RuntimeStore
from .services import async_setup_services
from .site_changes import async_apply_charger_changes
from .websocket_api import async_setup_websocket_api

PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
_LOGGER = logging.getLogger(__name__)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the services, the card and its websocket commands once."""
    async_setup_services(hass)
    async_setup_audit_service(hass)
    async_setup_ocpp_services(hass)
    async_setup_peak_services(hass)
    async_setup_websocket_api(hass)
    await async_register_card(hass)
    return True


async def async_setup_entry(
    hass: HomeAssistant, entry: EvLoadBalancerConfigEntry
) -> bool:
    """Start the loop of one site."""
    config = SiteConfig.from_entry(entry)
    store = RuntimeStore(hass, entry.entry_id)
    await store.async_load({charger.charger_id for charger in config.chargers})
    ocpp = await OcppRuntime.async_create(hass, entry, config.name, config.voltage_v)
    peak = await _async_peak_site(hass, entry, config)
    coordinator = BalancerCoordinator(
        hass,
        entry_id=entry.entry_id,
        config=config,
        meter=build_meter(hass, entry, config),
        backends=[
            *build_entity_chargers(hass, entry.entry_id, config),
            *ocpp.chargers.values(),
        ],
        store=store,
        peak=peak,
    )
    words = await async_device_words(hass)
    entry.runtime_data = EvLoadBalancerData(
        coordinator=coordinator,
        controls=SiteControls(coordinator),
        ocpp=ocpp,
        structure=_structure(entry),
        device_words=words,
    )
    async_register_site_device(hass, entry, config.name, words)
    # Unload starts these last first: the loop stops sending, then the server goes.
    entry.async_on_unload(ocpp.async_stop)
    entry.async_on_unload(coordinator.async_stop)
    if peak is not None:
        entry.async_on_unload(peak.async_stop)
    await coordinator.async_start()
    await coordinator.async_config_entry_first_refresh()
    await ocpp.async_start()
    entry.async_on_unload(watch_escalation(hass, entry, coordinator, ocpp))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.async_on_unload(entry.add_update_listener(_async_entry_updated))
    return True


async def async_unload_entry(
    hass: HomeAssistant, entry: EvLoadBalancerConfigEntry
) -> bool:
    """Stop the loop; chargers keep their last limit (and their own failsafe)."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(
    hass: HomeAssistant, entry: EvLoadBalancerConfigEntry
) -> None:
    """Forget what was saved for a removed site."""
    await RuntimeStore(hass, entry.entry_id).async_remove()
    await SessionStore(hass, entry.entry_id).async_remove()
    await PeakStore(hass, entry.entry_id).async_remove()


async def _async_peak_site(
    hass: HomeAssistant, entry: EvLoadBalancerConfigEntry, config: SiteConfig
) -> PeakSite | None:
    """Peak shaving for a capacity tariff, when the options turn it on."""
    settings = PeakSettings.from_options(entry.options)
    if not settings.enabled:
        return None
    try:
        tariff = settings.tariff(hass.config.time_zone)
    except (ValueError, KeyError) as err:
        # The fuse alone still protects the site; the tariff needs fixing.
        _LOGGER.error("Capacity tariff of %s ignored: %s", config.name, err)
        return None
    peak = PeakSite(
        hass,
        entry_id=entry.entry_id,
        entry_unique_id=entry.unique_id,
        site_name=config.name,
        tariff=tariff,
        loop_config=config.loop_config(),
    )
    await peak.async_start()
    return peak


async def _async_entry_updated(
    hass: HomeAssistant, entry: EvLoadBalancerConfigEntry
) -> None:
    """Chargers, circuits and options apply live; a new meter, fuse or server
    a reload."""
    data = entry.runtime_data
    if _structure(entry) != data.structure:
        await data.ocpp.async_forget_removed(entry)
        await hass.config_entries.async_reload(entry.entry_id)
        return
    # Circuits first: a charger moved onto a new circuit finds it.
    await async_apply_circuit_changes(entry)
    if not await async_apply_charger_changes(hass, entry):
        await data.ocpp.async_forget_removed(entry)
        await hass.config_entries.async_reload(entry.entry_id)
        return
    data.coordinator.apply_tunables(SiteConfig.from_entry(entry))


def _structure(entry: EvLoadBalancerConfigEntry) -> Any:
    return (
        dict(entry.data),
        sorted(
            (sid, sub.subentry_type, sub.title, repr(dict(sub.data)))
            for sid, sub in entry.subentries.items()
            if sub.subentry_type not in (*CHARGER_SUBENTRY_TYPES, SUBENTRY_CIRCUIT)
        ),
        # The OCPP server's host, port, path and TLS: a restart of the server.
        OcppServerSettings.from_options(entry.options),
        # The capacity tariff: its entities come or go (the peaks are stored).
        PeakSettings.from_options(entry.options),
    )
