"""Set up a site in the UI: its main fuse, then its meter; reconfigure both."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlow,
)
from homeassistant.const import CONF_NAME
from homeassistant.core import callback
from homeassistant.helpers import selector
import voluptuous as vol

from .charger_flow import ChargerSubentryFlow
from .circuit_flow import CircuitSubentryFlow
from .const import (
    CONF_FUSE,
    CONF_MARGIN,
    CONF_METER_ENTITIES,
    CONF_METER_TYPE,
    CONF_MODBUS,
    CONF_PHASES,
    CONF_VOLTAGE,
    CONF_VOLTAGE_ENTITIES,
    DEFAULT_MARGIN,
    DEFAULT_VOLTAGE,
    DOMAIN,
    METER_TYPE_SENSORS,
    SUBENTRY_CHARGER,
    SUBENTRY_CIRCUIT,
)
from .device_info import async_device_words
from .flow_validation import check_phase_entities
from .modbus_flow import MeterSourceSteps
from .ocpp_const import SUBENTRY_OCPP_CHARGER
from .ocpp_flow import OcppChargerSubentryFlow
from .options_flow import EvLoadBalancerOptionsFlow
from .units import Quantity

PHASE_FIELDS = ("meter_l1", "meter_l2", "meter_l3")
VOLTAGE_FIELDS = ("voltage_l1", "voltage_l2", "voltage_l3")
# What describes the meter; replaced as a whole when the meter changes.
METER_KEYS = (CONF_METER_TYPE, CONF_METER_ENTITIES, CONF_VOLTAGE_ENTITIES, CONF_MODBUS)


def _amps(low: float, high: float, step: float = 1) -> selector.NumberSelector:
    return selector.NumberSelector(
        selector.NumberSelectorConfig(
            min=low,
            max=high,
            step=step,
            unit_of_measurement="A",
            mode=selector.NumberSelectorMode.BOX,
        )
    )


def fuse_schema(defaults: dict[str, Any]) -> vol.Schema:
    """Fuse, margin and voltage: asked at setup and on reconfigure."""
    return vol.Schema(
        {
            vol.Required(CONF_FUSE, default=defaults.get(CONF_FUSE, 63)): _amps(
                6, 4000
            ),
            vol.Required(
                CONF_MARGIN, default=defaults.get(CONF_MARGIN, DEFAULT_MARGIN)
            ): _amps(0, 100, 0.5),
            vol.Required(
                CONF_VOLTAGE, default=defaults.get(CONF_VOLTAGE, DEFAULT_VOLTAGE)
            ): selector.NumberSelector(
                selector.NumberSelectorConfig(
                    min=100,
                    max=300,
                    step=1,
                    unit_of_measurement="V",
                    mode=selector.NumberSelectorMode.BOX,
                )
            ),
        }
    )


def meter_schema(phases: int, defaults: dict[str, Any]) -> vol.Schema:
    """One current or power sensor per phase, optional voltage sensors."""
    sensor = selector.EntitySelector(
        selector.EntitySelectorConfig(
            domain="sensor", device_class=["current", "power"]
        )
    )
    voltage = selector.EntitySelector(
        selector.EntitySelectorConfig(domain="sensor", device_class="voltage")
    )
    fields: dict[vol.Marker, Any] = {}
    for field in PHASE_FIELDS[:phases]:
        fields[vol.Required(field, default=defaults.get(field, vol.UNDEFINED))] = sensor
    for field in VOLTAGE_FIELDS[:phases]:
        suggested = {"suggested_value": defaults.get(field)}
        fields[vol.Optional(field, description=suggested)] = voltage
    return vol.Schema(fields)


def validate_fuse(user_input: dict[str, Any]) -> dict[str, str]:
    if user_input[CONF_MARGIN] >= user_input[CONF_FUSE]:
        return {CONF_MARGIN: "margin_too_large"}
    return {}


class EvLoadBalancerConfigFlow(MeterSourceSteps, domain=DOMAIN):
    """The site: one config entry per main fuse."""

    VERSION = 1

    def __init__(self) -> None:
        self._site: dict[str, Any] = {}

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:
        return EvLoadBalancerOptionsFlow()

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        return {
            SUBENTRY_CHARGER: ChargerSubentryFlow,
            SUBENTRY_OCPP_CHARGER: OcppChargerSubentryFlow,
            SUBENTRY_CIRCUIT: CircuitSubentryFlow,
        }

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = validate_fuse(user_input)
            if not errors:
                self._site = {**user_input, CONF_PHASES: int(user_input[CONF_PHASES])}
                return await self.async_step_meter_source()
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_NAME,
                    default=(await async_device_words(self.hass)).default_site_name,
                ): selector.TextSelector(),
                vol.Required(CONF_PHASES, default="3"): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=["1", "3"], translation_key="phases"
                    )
                ),
            }
        ).extend(fuse_schema({}).schema)
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(schema, user_input or {}),
            errors=errors,
        )

    async def async_step_meter(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        phases = int(self._site[CONF_PHASES])
        errors: dict[str, str] = {}
        if user_input is not None and PHASE_FIELDS[0] in user_input:
            meter, errors = self._validate_meter(phases, user_input)
            if not errors:
                return await self._async_save_meter(
                    meter, meter[CONF_METER_ENTITIES][0]
                )
        return self.async_show_form(
            step_id="meter",
            data_schema=meter_schema(phases, user_input or self._meter_defaults()),
            errors=errors,
        )

    async def _async_save_meter(
        self, meter: dict[str, Any], meter_id: str
    ) -> ConfigFlowResult:
        """The meter identifies the site: its unique id is the meter's."""
        if self.source == SOURCE_RECONFIGURE:
            return self._finish_reconfigure(meter, meter_id)
        await self.async_set_unique_id(meter_id)
        self._abort_if_unique_id_configured()
        site = self._site
        return self.async_create_entry(
            title=site[CONF_NAME],
            data={
                CONF_NAME: site[CONF_NAME],
                CONF_PHASES: int(site[CONF_PHASES]),
                CONF_FUSE: site[CONF_FUSE],
                CONF_VOLTAGE: site[CONF_VOLTAGE],
                **meter,
            },
            options={CONF_MARGIN: site[CONF_MARGIN]},
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = validate_fuse(user_input)
            if not errors:
                self._site = {**entry.data, **user_input}
                return await self.async_step_meter_source()
        defaults = {**entry.data, CONF_MARGIN: entry.options.get(CONF_MARGIN)}
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=fuse_schema(
                {k: v for k, v in defaults.items() if v is not None}
            ),
            errors=errors,
        )

    def _validate_meter(
        self, phases: int, user_input: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, str]]:
        meters = {field: user_input[field] for field in PHASE_FIELDS[:phases]}
        _, errors = check_phase_entities(
            self.hass, meters, (Quantity.CURRENT, Quantity.POWER)
        )
        voltages = {
            field: user_input[field]
            for field in VOLTAGE_FIELDS[:phases]
            if user_input.get(field)
        }
        if voltages and len(voltages) != phases:
            errors.setdefault("base", "voltage_per_phase")
        elif voltages:
            _, voltage_errors = check_phase_entities(
                self.hass, voltages, (Quantity.VOLTAGE,)
            )
            errors.update(voltage_errors)
        meter = {
            CONF_METER_TYPE: METER_TYPE_SENSORS,
            CONF_METER_ENTITIES: list(meters.values()),
            CONF_VOLTAGE_ENTITIES: list(voltages.values()),
        }
        return meter, errors

    def _meter_defaults(self) -> dict[str, Any]:
        defaults: dict[str, Any] = {}
        for field, entity_id in zip(
            PHASE_FIELDS, self._site.get(CONF_METER_ENTITIES, ()), strict=False
        ):
            defaults[field] = entity_id
        for field, entity_id in zip(
            VOLTAGE_FIELDS, self._site.get(CONF_VOLTAGE_ENTITIES, ()), strict=False
        ):
            defaults[field] = entity_id
        return defaults

    def _finish_reconfigure(
        self, meter: dict[str, Any], meter_id: str
    ) -> ConfigFlowResult:
        entry = self._get_reconfigure_entry()
        for other in self._async_current_entries(include_ignore=False):
            if other.entry_id != entry.entry_id and other.unique_id == meter_id:
                return self.async_abort(reason="already_configured")
        site = self._site
        data = {
            **{
                key: value for key, value in entry.data.items() if key not in METER_KEYS
            },
            CONF_FUSE: site[CONF_FUSE],
            CONF_VOLTAGE: site[CONF_VOLTAGE],
            **meter,
        }
        return self.async_update_reload_and_abort(
            entry,
            data=data,
            options={**entry.options, CONF_MARGIN: site[CONF_MARGIN]},
        )
