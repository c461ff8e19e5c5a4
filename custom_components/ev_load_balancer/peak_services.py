"""Services for peak shaving: set or clear a manual target (for automations).

A manual target replaces the month's free level (the peaks so far) as the
mean power the open tariff window may reach; EVs that need more to be full
by their departure still get it, and the fuse stays below everything.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import ServiceValidationError
import voluptuous as vol

from .const import (
    ATTR_SITE,
    ATTR_TARGET,
    DOMAIN,
    SERVICE_CLEAR_PEAK_TARGET,
    SERVICE_SET_PEAK_TARGET,
)
from .models import EvLoadBalancerData
from .peak_site import PeakSite
from .service_validation import finite_number, register
from .services import SITE_SCHEMA, loaded_site

SET_PEAK_TARGET_SCHEMA = SITE_SCHEMA.extend(
    {vol.Required(ATTR_TARGET): vol.All(finite_number, vol.Range(min=0.1))}
)


def _peak_of(data: EvLoadBalancerData) -> PeakSite:
    coordinator = data.coordinator
    peak = coordinator.peak
    if peak is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="peak_shaving_off",
            translation_placeholders={"site": coordinator.site_config.name},
        )
    return peak


@callback
def async_setup_peak_services(hass: HomeAssistant) -> None:
    """Register the peak shaving services once for every site."""

    async def set_peak_target(call: ServiceCall) -> None:
        data = loaded_site(hass, call.data[ATTR_SITE])
        peak = _peak_of(data)
        target_kw: float = call.data[ATTR_TARGET]
        fuse_kw = peak.controller.fuse_kw
        if target_kw > fuse_kw:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="peak_target_above_fuse",
                translation_placeholders={
                    "target": f"{target_kw:g}",
                    "fuse": f"{fuse_kw:.1f}",
                },
            )
        peak.set_manual_target(target_kw)
        data.coordinator.request_round()

    async def clear_peak_target(call: ServiceCall) -> None:
        data = loaded_site(hass, call.data[ATTR_SITE])
        _peak_of(data).set_manual_target(None)
        data.coordinator.request_round()

    register(hass, SERVICE_SET_PEAK_TARGET, set_peak_target, SET_PEAK_TARGET_SCHEMA)
    register(hass, SERVICE_CLEAR_PEAK_TARGET, clear_peak_target, SITE_SCHEMA)
