"""Add or reconfigure a charger driven through the user's own HA entities.

A charger of a profiled integration (Easee, Zaptec, go-e, ...) is picked
from those found in HA and needs nothing more (charger_profile_flow.py).
By hand: the charger (wiring, currents, priority, how to set its current),
then the number entity or the service, then what it reports (sensors,
status, on/off switch, minimum interval between changes).
"""

from __future__ import annotations

import json
from typing import Any

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.const import CONF_NAME, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.helpers import selector
import voluptuous as vol

from .charger_fields import (
    charger_fields,
    check_circuit,
    circuit_fields,
    site_connections,
)
from .charger_profile_flow import ProfileSteps
from .config_model import connection_wiring
from .const import (
    CONF_CONNECTION,
    CONF_CONTROL,
    CONF_CURRENT_ENTITY,
    CONF_CURRENT_SENSORS,
    CONF_MAX_CURRENT,
    CONF_MIN_CHANGE_INTERVAL,
    CONF_MIN_CURRENT,
    CONF_PHASES,
    CONF_POWER_SENSOR,
    CONF_SERVICE,
    CONF_SERVICE_DATA,
    CONF_SERVICE_FIELD,
    CONF_STATUS_ENTITY,
    CONF_SWITCH_ENTITY,
    CONTROL_NUMBER,
    CONTROL_PROFILE,
    CONTROL_SERVICE,
)
from .flow_validation import check_exists
from .form_selectors import number_box
from .units import Quantity, StateProblem, read_quantity

CURRENT_FIELDS = ("current_l1", "current_l2", "current_l3")


def _entity(
    domains: list[str], device_class: str | None = None
) -> selector.EntitySelector:
    config = selector.EntitySelectorConfig(domain=domains)
    if device_class:
        config["device_class"] = device_class
    return selector.EntitySelector(config)


def _optional(field: str, defaults: dict[str, Any]) -> vol.Optional:
    return vol.Optional(field, description={"suggested_value": defaults.get(field)})


class ChargerSubentryFlow(ProfileSteps, ConfigSubentryFlow):
    """A charger of the site, as a config subentry."""

    def __init__(self) -> None:
        self._data: dict[str, Any] = {}

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        if self._candidates():
            return self.async_show_menu(
                step_id="user", menu_options=["device", "charger"]
            )
        return await self.async_step_charger(user_input)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        subentry = self._get_reconfigure_subentry()
        self._data = {**subentry.data, CONF_NAME: subentry.title}
        if self._data.get(CONF_CONTROL) == CONTROL_PROFILE:
            return await self.async_step_profile(user_input)
        return await self.async_step_charger(user_input)

    async def async_step_charger(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        site_phases = int(self._get_entry().data[CONF_PHASES])
        connections = site_connections(site_phases)
        errors: dict[str, str] = {}
        if user_input is not None:
            if user_input[CONF_MAX_CURRENT] < user_input[CONF_MIN_CURRENT]:
                errors[CONF_MAX_CURRENT] = "max_below_min"
            errors.update(check_circuit(self._get_entry(), user_input))
            if not errors:
                self._data.update(user_input)
                if user_input[CONF_CONTROL] == CONTROL_SERVICE:
                    return await self.async_step_service()
                return await self.async_step_number()
        defaults = {**self._data, **(user_input or {})}
        schema = vol.Schema(
            {
                **charger_fields(defaults, connections),
                **circuit_fields(self._get_entry(), defaults),
                vol.Required(
                    CONF_CONTROL, default=defaults.get(CONF_CONTROL, CONTROL_NUMBER)
                ): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=[CONTROL_NUMBER, CONTROL_SERVICE],
                        translation_key="control",
                    )
                ),
            }
        )
        return self.async_show_form(
            step_id="charger", data_schema=schema, errors=errors
        )

    async def async_step_number(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        errors: dict[str, str] = {}
        if user_input is not None:
            entity_id = user_input[CONF_CURRENT_ENTITY]
            error = check_exists(self.hass, entity_id)
            if error is None:
                state = self.hass.states.get(entity_id)
                assert state is not None
                top = state.attributes.get("max")
                if isinstance(top, int | float) and top < self._data[CONF_MIN_CURRENT]:
                    error = "entity_range"
            if error:
                errors[CONF_CURRENT_ENTITY] = error
            else:
                self._data.update(user_input)
                self._data.pop(CONF_SERVICE, None)
                return await self.async_step_measurements()
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_CURRENT_ENTITY,
                    default=self._data.get(CONF_CURRENT_ENTITY, vol.UNDEFINED),
                ): _entity(["number", "input_number"]),
            }
        )
        return self.async_show_form(step_id="number", data_schema=schema, errors=errors)

    async def async_step_service(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        errors: dict[str, str] = {}
        if user_input is not None:
            domain, dot, service = user_input[CONF_SERVICE].strip().partition(".")
            if not (dot and domain and service):
                errors[CONF_SERVICE] = "invalid_service"
            elif not self.hass.services.has_service(domain, service):
                errors[CONF_SERVICE] = "service_not_found"
            elif not isinstance(user_input.get(CONF_SERVICE_DATA) or {}, dict):
                errors[CONF_SERVICE_DATA] = "invalid_service_data"
            if not errors:
                self._data.update(user_input)
                self._data[CONF_SERVICE] = f"{domain}.{service}"
                self._data.pop(CONF_CURRENT_ENTITY, None)
                return await self.async_step_measurements()
        defaults = {**self._data, **(user_input or {})}
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_SERVICE, default=defaults.get(CONF_SERVICE, vol.UNDEFINED)
                ): selector.TextSelector(),
                vol.Required(
                    CONF_SERVICE_FIELD,
                    default=defaults.get(CONF_SERVICE_FIELD, "current"),
                ): selector.TextSelector(),
                _optional(CONF_SERVICE_DATA, defaults): selector.ObjectSelector(),
            }
        )
        return self.async_show_form(
            step_id="service", data_schema=schema, errors=errors
        )

    async def async_step_measurements(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        conductors = len(connection_wiring(self._data[CONF_CONNECTION]))
        fields = CURRENT_FIELDS[:conductors]
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = self._check_measurements(user_input, fields)
            if not errors:
                return self._finish(user_input, fields)
        defaults = dict(self._data)
        for field, entity_id in zip(
            fields, defaults.get(CONF_CURRENT_SENSORS, ()), strict=False
        ):
            defaults[field] = entity_id
        defaults.update(user_input or {})
        schema_fields: dict[vol.Marker, Any] = {
            _optional(field, defaults): _entity(["sensor"], "current")
            for field in fields
        }
        schema_fields[_optional(CONF_POWER_SENSOR, defaults)] = _entity(
            ["sensor"], "power"
        )
        schema_fields[_optional(CONF_STATUS_ENTITY, defaults)] = _entity(
            ["sensor", "binary_sensor"]
        )
        schema_fields[_optional(CONF_SWITCH_ENTITY, defaults)] = _entity(
            ["switch", "input_boolean"]
        )
        schema_fields[
            vol.Required(
                CONF_MIN_CHANGE_INTERVAL,
                default=defaults.get(CONF_MIN_CHANGE_INTERVAL, 0),
            )
        ] = number_box(0, 3600, "s")
        return self.async_show_form(
            step_id="measurements", data_schema=vol.Schema(schema_fields), errors=errors
        )

    def _check_measurements(
        self, user_input: dict[str, Any], fields: tuple[str, ...]
    ) -> dict[str, str]:
        errors: dict[str, str] = {}
        sensors = [user_input.get(field) for field in fields]
        if any(sensors[1:]) and not sensors[0]:
            errors[fields[0]] = "current_l1_first"
        for field in fields:
            self._check_sensor(user_input.get(field), Quantity.CURRENT, field, errors)
        self._check_sensor(
            user_input.get(CONF_POWER_SENSOR), Quantity.POWER, CONF_POWER_SENSOR, errors
        )
        for field in (CONF_STATUS_ENTITY, CONF_SWITCH_ENTITY):
            if user_input.get(field) and (
                error := check_exists(self.hass, user_input[field])
            ):
                errors[field] = error
        return errors

    def _check_sensor(
        self,
        entity_id: str | None,
        quantity: Quantity,
        field: str,
        errors: dict[str, str],
    ) -> None:
        """Sensors may be unavailable while a charger sleeps; a wrong unit is not."""
        if not entity_id:
            return
        state = self.hass.states.get(entity_id)
        if state is None:
            errors[field] = StateProblem.MISSING.value
            return
        if state.state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
            return
        value = read_quantity(state, (quantity,))
        if isinstance(value, StateProblem):
            errors[field] = value.value

    def _finish(
        self, user_input: dict[str, Any], fields: tuple[str, ...]
    ) -> SubentryFlowResult:
        data = {
            key: value for key, value in self._data.items() if key not in CURRENT_FIELDS
        }
        data[CONF_CURRENT_SENSORS] = [
            user_input[field] for field in fields if user_input.get(field)
        ]
        for field in (CONF_POWER_SENSOR, CONF_STATUS_ENTITY, CONF_SWITCH_ENTITY):
            data[field] = user_input.get(field) or None
        data[CONF_MIN_CHANGE_INTERVAL] = user_input[CONF_MIN_CHANGE_INTERVAL]
        name = data.pop(CONF_NAME)
        return self._save(name, data, _control_target(data))

    def _save(
        self, name: str, data: dict[str, Any], unique_id: str
    ) -> SubentryFlowResult:
        entry = self._get_entry()
        reconfiguring = self.source == SOURCE_RECONFIGURE
        own_id = self._get_reconfigure_subentry().subentry_id if reconfiguring else None
        for subentry in entry.subentries.values():
            if subentry.unique_id == unique_id and subentry.subentry_id != own_id:
                return self.async_abort(reason="already_configured")
        if reconfiguring:
            return self.async_update_and_abort(
                entry,
                self._get_reconfigure_subentry(),
                title=name,
                data=data,
                unique_id=unique_id,
            )
        return self.async_create_entry(title=name, data=data, unique_id=unique_id)


def _control_target(data: dict[str, Any]) -> str:
    """What the charger is driven through: no two chargers may share it."""
    if data[CONF_CONTROL] == CONTROL_NUMBER:
        return str(data[CONF_CURRENT_ENTITY])
    extra = json.dumps(data.get(CONF_SERVICE_DATA) or {}, sort_keys=True)
    return f"{data[CONF_SERVICE]}:{extra}"
