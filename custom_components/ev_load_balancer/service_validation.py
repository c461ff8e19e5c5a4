"""Service-call validation whose every refusal is a translated message.

Home Assistant would raise a schema's vol.Invalid as it is (English, about
the schema, not the field). Services are registered here instead: the data
is validated in the handler, and a refusal is a ServiceValidationError with
a translation key named after the field (`invalid_priority`, ...), or a
generic one that names the field and the value.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from datetime import timedelta
import math
from typing import Any

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .const import DOMAIN

type ServiceHandler = Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]

# A value shown back to the user is cut to this length.
_SHOWN_CHARACTERS = 60

# (Service or None, field) -> the translation key of its refusal; other
# fields get "invalid_field".
FIELD_ERRORS: dict[tuple[str | None, str], str] = {
    (None, "priority"): "invalid_priority",
    ("boost", "duration"): "invalid_boost_duration",
    ("set_site_limit", "duration"): "invalid_site_limit_duration",
    (None, "departure"): "invalid_departure",
    (None, "energy"): "invalid_energy",
    (None, "current"): "invalid_current",
    (None, "id_tag"): "invalid_id_tag",
    ("set_peak_target", "target"): "invalid_peak_target",
}


def whole_number(value: Any) -> int:
    """An integer: 5, 5.0 or "5"; never 5.7 cut to 5, nor True."""
    if isinstance(value, bool):
        raise vol.Invalid("not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            try:
                value = float(value)
            except ValueError:
                raise vol.Invalid("not a whole number") from None
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    raise vol.Invalid("not a whole number")


def finite_number(value: Any) -> float:
    """A float that is a number (not a bool, NaN or infinity)."""
    if isinstance(value, bool):
        raise vol.Invalid("not a number")
    number: float = vol.Coerce(float)(value)
    if not math.isfinite(number):
        raise vol.Invalid("not a finite number")
    return number


def bounded_duration(longest: timedelta) -> vol.All:
    """A positive duration of at most `longest`."""
    return vol.All(cv.positive_time_period, vol.Range(max=longest))


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= _SHOWN_CHARACTERS else text[:_SHOWN_CHARACTERS] + "..."


def _refusal(
    service: str, error: vol.Invalid, data: Mapping[str, Any]
) -> ServiceValidationError:
    if isinstance(error, vol.MultipleInvalid):
        error = error.errors[0]
    field = str(error.path[0]) if error.path else ""
    if error.error_message == "extra keys not allowed":
        key, placeholders = "unknown_field", {"service": service, "field": field}
    elif field and field not in data:
        key, placeholders = "missing_field", {"service": service, "field": field}
    else:
        key = FIELD_ERRORS.get(
            (service, field), FIELD_ERRORS.get((None, field), "invalid_field")
        )
        placeholders = {"field": field, "value": _shown(data.get(field))}
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


def validate(
    service: str, schema: vol.Schema, data: Mapping[str, Any]
) -> dict[str, Any]:
    """The validated data; raise a translated ServiceValidationError."""
    try:
        validated: dict[str, Any] = schema(dict(data))
    except vol.Invalid as err:
        raise _refusal(service, err, data) from err
    except (ValueError, TypeError, ArithmeticError) as err:
        # e.g. a duration of 10^20 hours: no timedelta holds it
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_service_data",
            translation_placeholders={"service": service},
        ) from err
    return validated


def register(
    hass: HomeAssistant,
    service: str,
    handler: ServiceHandler,
    schema: vol.Schema,
    *,
    supports_response: SupportsResponse = SupportsResponse.NONE,
) -> None:
    """Register a service of the integration whose data `schema` validates."""

    async def validated(call: ServiceCall) -> ServiceResponse:
        data = validate(service, schema, call.data)
        return await handler(
            ServiceCall(
                call.hass,
                call.domain,
                call.service,
                data,
                call.context,
                call.return_response,
            )
        )

    hass.services.async_register(
        DOMAIN, service, validated, supports_response=supports_response
    )
