"""Services for OCPP chargers: remote start/stop, unlock, reset, session export.

Registered once, in async_setup, for every site. The charger is a device of
the integration; a charger that is not an OCPP charger, or is not connected,
is refused with a translated error.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .chargers.base import ChargerCommandError
from .const import ATTR_CHARGER, ATTR_SITE, DOMAIN
from .models import EvLoadBalancerData
from .ocpp_const import (
    ATTR_HARD,
    ATTR_ID_TAG,
    SERVICE_EXPORT_SESSIONS,
    SERVICE_REMOTE_START,
    SERVICE_REMOTE_STOP,
    SERVICE_RESET_CHARGER,
    SERVICE_UNLOCK_CONNECTOR,
)
from .ocpp_cs import LimitFailure, OcppChargerBackend
from .service_validation import register
from .services import charger_of_device, loaded_site

CHARGER_SCHEMA = vol.Schema({vol.Required(ATTR_CHARGER): cv.string})
REMOTE_START_SCHEMA = CHARGER_SCHEMA.extend(
    {vol.Optional(ATTR_ID_TAG): vol.All(cv.string, vol.Length(min=1, max=20))}
)
RESET_SCHEMA = CHARGER_SCHEMA.extend(
    {vol.Optional(ATTR_HARD, default=False): cv.boolean}
)
EXPORT_SCHEMA = vol.Schema(
    {vol.Required(ATTR_SITE): cv.string, vol.Optional(ATTR_CHARGER): cv.string}
)
# Statuses of a command the charger carried out (UnlockConnector says Unlocked).
_DONE = frozenset({"Accepted", "Unlocked", "Scheduled"})
NO_TRANSACTION = "no_transaction"  # the backend's reason for a stop without one


def _name(data: EvLoadBalancerData, charger_id: str) -> str:
    return data.coordinator.handles[charger_id].config.name


def _ocpp_charger(
    hass: HomeAssistant, device_id: str
) -> tuple[EvLoadBalancerData, str, OcppChargerBackend]:
    """The site, subentry id and OCPP backend behind a charger's device id."""
    data, charger_id = charger_of_device(hass, device_id)
    backend = data.ocpp.backend(charger_id)
    if backend is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="not_ocpp_charger",
            translation_placeholders={"charger": _name(data, charger_id)},
        )
    return data, charger_id, backend


async def _run(name: str, command: str, action: Callable[[], Awaitable[str]]) -> None:
    """Carry out a command; a refusal or a failure is an error for the caller."""
    try:
        status = await action()
    except ChargerCommandError as err:
        if err.reason == NO_TRANSACTION:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="ocpp_no_transaction",
                translation_placeholders={"charger": name},
            ) from err
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="ocpp_not_connected"
            if err.reason == LimitFailure.NOT_CONNECTED
            else "ocpp_command_failed",
            translation_placeholders={
                "charger": name,
                "command": command,
                "reason": err.reason,
            },
        ) from err
    if status not in _DONE:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="ocpp_command_rejected",
            translation_placeholders={
                "charger": name,
                "command": command,
                "status": status,
            },
        )


@callback
def async_setup_ocpp_services(hass: HomeAssistant) -> None:
    """Register the services of OCPP chargers."""

    async def remote_start(call: ServiceCall) -> None:
        data, charger_id, backend = _ocpp_charger(hass, call.data[ATTR_CHARGER])
        tag = call.data.get(ATTR_ID_TAG)
        await _run(
            _name(data, charger_id),
            "RemoteStart",
            lambda: backend.async_remote_start(tag),
        )

    async def remote_stop(call: ServiceCall) -> None:
        data, charger_id, backend = _ocpp_charger(hass, call.data[ATTR_CHARGER])
        await _run(_name(data, charger_id), "RemoteStop", backend.async_remote_stop)

    async def unlock_connector(call: ServiceCall) -> None:
        data, charger_id, backend = _ocpp_charger(hass, call.data[ATTR_CHARGER])
        await _run(_name(data, charger_id), "UnlockConnector", backend.async_unlock)

    async def reset_charger(call: ServiceCall) -> None:
        data, charger_id, backend = _ocpp_charger(hass, call.data[ATTR_CHARGER])
        hard = bool(call.data[ATTR_HARD])
        await _run(
            _name(data, charger_id),
            "Reset",
            lambda: backend.async_reset(hard=hard),
        )

    async def export_sessions(call: ServiceCall) -> ServiceResponse:
        data = loaded_site(hass, call.data[ATTR_SITE])
        sessions = data.ocpp.sessions
        records = sessions.records
        if ATTR_CHARGER in call.data:
            site_data, _, backend = _ocpp_charger(hass, call.data[ATTR_CHARGER])
            if site_data is not data:
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="charger_not_on_site",
                )
            records = tuple(r for r in records if r.charger_id == backend.charger_id)
        return {"csv": sessions.to_csv(records), "sessions": len(records)}

    for service, handler, schema in (
        (SERVICE_REMOTE_START, remote_start, REMOTE_START_SCHEMA),
        (SERVICE_REMOTE_STOP, remote_stop, CHARGER_SCHEMA),
        (SERVICE_UNLOCK_CONNECTOR, unlock_connector, CHARGER_SCHEMA),
        (SERVICE_RESET_CHARGER, reset_charger, RESET_SCHEMA),
    ):
        register(hass, service, handler, schema)
    register(
        hass,
        SERVICE_EXPORT_SESSIONS,
        export_sessions,
        EXPORT_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
