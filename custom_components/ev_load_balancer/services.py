"""Services for automations, registered once for every site.

Every field is checked in the handler (service_validation.py): a wrong one
is a translated error and changes nothing. Integer fields are integers; a
boost lasts at most a day, a temporary site limit at most a week (without a
duration, until the EV is unplugged or the limit is cleared).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.util import dt as dt_util
import voluptuous as vol

from .const import (
    ATTR_CHARGER,
    ATTR_CURRENT,
    ATTR_DEPARTURE,
    ATTR_DURATION,
    ATTR_ENERGY,
    ATTR_SITE,
    DOMAIN,
    PRIORITY_MAX,
    PRIORITY_MIN,
    SERVICE_BOOST,
    SERVICE_CLEAR_SITE_LIMIT,
    SERVICE_SET_DEPARTURE,
    SERVICE_SET_PRIORITY,
    SERVICE_SET_SITE_LIMIT,
)
from .models import EvLoadBalancerConfigEntry, EvLoadBalancerData
from .service_validation import bounded_duration, finite_number, register, whole_number

CHARGER_SCHEMA = vol.Schema({vol.Required(ATTR_CHARGER): cv.string})
SITE_SCHEMA = vol.Schema({vol.Required(ATTR_SITE): cv.string})

MAX_BOOST = timedelta(hours=24)
MAX_SITE_LIMIT = timedelta(days=7)

SET_PRIORITY_SCHEMA = CHARGER_SCHEMA.extend(
    {
        vol.Required("priority"): vol.All(
            whole_number, vol.Range(min=PRIORITY_MIN, max=PRIORITY_MAX)
        )
    }
)
BOOST_SCHEMA = CHARGER_SCHEMA.extend(
    {vol.Optional(ATTR_DURATION): bounded_duration(MAX_BOOST)}
)
SET_DEPARTURE_SCHEMA = CHARGER_SCHEMA.extend(
    {
        vol.Required(ATTR_DEPARTURE): cv.datetime,
        vol.Required(ATTR_ENERGY): vol.All(finite_number, vol.Range(min=0.1, max=500)),
    }
)
SET_SITE_LIMIT_SCHEMA = SITE_SCHEMA.extend(
    {
        vol.Required(ATTR_CURRENT): vol.All(finite_number, vol.Range(min=0, max=4000)),
        vol.Optional(ATTR_DURATION): bounded_duration(MAX_SITE_LIMIT),
    }
)


def loaded_site(hass: HomeAssistant, entry_id: str) -> EvLoadBalancerData:
    """The running site behind a config entry id, or a clear error."""
    entry: EvLoadBalancerConfigEntry | None = hass.config_entries.async_get_entry(
        entry_id
    )
    if entry is None or entry.domain != DOMAIN:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_site",
            translation_placeholders={"site": entry_id},
        )
    if entry.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="site_not_loaded",
            translation_placeholders={"site": entry.title},
        )
    return entry.runtime_data


def charger_of_device(
    hass: HomeAssistant, device_id: str
) -> tuple[EvLoadBalancerData, str]:
    """The loaded site and charger id behind a charger's device id."""
    device = dr.async_get(hass).async_get(device_id)
    charger_ids = (
        [key for domain, key in device.identifiers if domain == DOMAIN]
        if device
        else []
    )
    for entry_id in device.config_entries if device else ():
        entry = hass.config_entries.async_get_entry(entry_id)
        if entry is None or entry.domain != DOMAIN:
            continue
        data = loaded_site(hass, entry_id)
        for charger_id in charger_ids:
            if charger_id in data.coordinator.handles:
                return data, charger_id
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="unknown_charger",
        translation_placeholders={"charger": device_id},
    )


def _seconds(duration: timedelta | None) -> float | None:
    return None if duration is None else duration.total_seconds()


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register every service of the integration."""

    async def set_priority(call: ServiceCall) -> None:
        data, charger_id = charger_of_device(hass, call.data[ATTR_CHARGER])
        data.controls.set_priority(charger_id, call.data["priority"])

    async def boost(call: ServiceCall) -> None:
        data, charger_id = charger_of_device(hass, call.data[ATTR_CHARGER])
        now = dt_util.utcnow().timestamp()
        data.controls.boost(charger_id, now, _seconds(call.data.get(ATTR_DURATION)))

    async def set_departure(call: ServiceCall) -> None:
        data, charger_id = charger_of_device(hass, call.data[ATTR_CHARGER])
        departure: datetime = dt_util.as_utc(
            call.data[ATTR_DEPARTURE]
            if call.data[ATTR_DEPARTURE].tzinfo
            else call.data[ATTR_DEPARTURE].replace(
                tzinfo=dt_util.get_default_time_zone()
            )
        )
        data.controls.set_departure(
            charger_id,
            departure.timestamp(),
            call.data[ATTR_ENERGY],
            dt_util.utcnow().timestamp(),
        )

    async def set_site_limit(call: ServiceCall) -> None:
        data = loaded_site(hass, call.data[ATTR_SITE])
        duration = _seconds(call.data.get(ATTR_DURATION))
        until = None if duration is None else dt_util.utcnow().timestamp() + duration
        data.controls.set_site_limit(call.data[ATTR_CURRENT], until)

    async def clear_site_limit(call: ServiceCall) -> None:
        loaded_site(hass, call.data[ATTR_SITE]).controls.clear_site_limit()

    for service, handler, schema in (
        (SERVICE_SET_PRIORITY, set_priority, SET_PRIORITY_SCHEMA),
        (SERVICE_BOOST, boost, BOOST_SCHEMA),
        (SERVICE_SET_DEPARTURE, set_departure, SET_DEPARTURE_SCHEMA),
        (SERVICE_SET_SITE_LIMIT, set_site_limit, SET_SITE_LIMIT_SCHEMA),
        (SERVICE_CLEAR_SITE_LIMIT, clear_site_limit, SITE_SCHEMA),
    ):
        register(hass, service, handler, schema)
