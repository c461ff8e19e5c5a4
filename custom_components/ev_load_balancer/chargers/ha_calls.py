"""Service calls to other integrations, with their errors mapped once."""

from __future__ import annotations

from typing import Any

from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import voluptuous as vol

from .base import ChargerCommandError


async def async_call(
    hass: HomeAssistant, domain: str, service: str, data: dict[str, Any]
) -> None:
    """Call a service and wait for it; a refusal is a ChargerCommandError."""
    try:
        await hass.services.async_call(domain, service, data, blocking=True)
    except HomeAssistantError as err:
        # ServiceNotFound and ServiceValidationError are HomeAssistantErrors.
        raise ChargerCommandError(
            "service_call_failed", f"{domain}.{service}: {err}"
        ) from err
    except vol.Invalid as err:  # the service's schema refused a field
        raise ChargerCommandError(
            "service_call_failed", f"{domain}.{service}: {err}"
        ) from err


async def async_call_entity(
    hass: HomeAssistant, entity_id: str, service: str, **data: Any
) -> None:
    """Call a service of the entity's own domain on that entity."""
    await async_call(
        hass, entity_id.partition(".")[0], service, {ATTR_ENTITY_ID: entity_id, **data}
    )
