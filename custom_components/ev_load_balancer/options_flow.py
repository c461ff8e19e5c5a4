"""The tunables of a site, changed at run time without a restart."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.helpers import selector
import voluptuous as vol

from .balancer import Strategy
from .const import (
    CONF_FAILSAFE_MODE,
    CONF_FAILSAFE_RESERVE,
    CONF_FUSE,
    CONF_HOLD,
    CONF_MARGIN,
    CONF_MARGIN_FOLLOWS,
    CONF_MAX_SWITCHES,
    CONF_ROTATION,
    CONF_STALE_AFTER,
    CONF_STRATEGY,
    DEFAULT_FAILSAFE_MODE,
    DEFAULT_HOLD_S,
    DEFAULT_MARGIN,
    DEFAULT_MARGIN_FOLLOWS,
    DEFAULT_MAX_SWITCHES,
    DEFAULT_ROTATION_MIN,
    DEFAULT_STALE_AFTER_S,
    FAILSAFE_PAUSE,
    FAILSAFE_STATIC_SHARE,
)
from .form_selectors import number_box
from .ocpp_const import (
    CONF_ALLOW_STOP,
    CONF_OCPP_SERVER,
    CONF_PROFILE_VALIDITY,
    DEFAULT_ALLOW_STOP,
    DEFAULT_PROFILE_VALIDITY_S,
    PROFILE_VALIDITY_RANGE_S,
)
from .ocpp_settings import async_validate_server, server_section
from .peak_options import CONF_PEAK, tariff_section, validate_tariff


class EvLoadBalancerOptionsFlow(OptionsFlow):
    """Margin, hysteresis, queue rotation, strategy, failsafe, OCPP server, tariff."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        entry = self.config_entry
        fuse = float(entry.data[CONF_FUSE])
        errors: dict[str, str] = {}
        if user_input is not None:
            # The OCPP server section (absent: left as it is).
            ocpp_server, ocpp_error = await async_validate_server(
                self.hass,
                user_input.get(CONF_OCPP_SERVER, entry.options.get(CONF_OCPP_SERVER))
                or {},
            )
            # The capacity tariff section (absent: left as it is).
            tariff, tariff_error = validate_tariff(
                user_input.get(CONF_PEAK, entry.options.get(CONF_PEAK)) or {}
            )
            if user_input[CONF_MARGIN] >= fuse:
                errors[CONF_MARGIN] = "margin_too_large"
            elif user_input[CONF_FAILSAFE_RESERVE] > fuse:
                errors[CONF_FAILSAFE_RESERVE] = "reserve_too_large"
            elif ocpp_error is not None:
                errors["base"] = ocpp_error
            elif tariff_error is not None:
                errors["base"] = tariff_error
            else:
                return self.async_create_entry(
                    data={
                        **entry.options,
                        **user_input,
                        CONF_OCPP_SERVER: ocpp_server,
                        CONF_PEAK: tariff,
                    }
                )
        options = entry.options
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_MARGIN, default=options.get(CONF_MARGIN, DEFAULT_MARGIN)
                ): number_box(0, 100, "A", step=0.5),
                vol.Required(
                    CONF_MARGIN_FOLLOWS,
                    default=options.get(CONF_MARGIN_FOLLOWS, DEFAULT_MARGIN_FOLLOWS),
                ): selector.BooleanSelector(),
                vol.Required(
                    CONF_HOLD, default=options.get(CONF_HOLD, DEFAULT_HOLD_S)
                ): number_box(0, 900, "s"),
                vol.Required(
                    CONF_ROTATION,
                    default=options.get(CONF_ROTATION, DEFAULT_ROTATION_MIN),
                ): number_box(1, 240, "min"),
                vol.Required(
                    CONF_MAX_SWITCHES,
                    default=options.get(CONF_MAX_SWITCHES, DEFAULT_MAX_SWITCHES),
                ): number_box(2, 60),
                vol.Required(
                    CONF_STRATEGY,
                    default=options.get(CONF_STRATEGY, Strategy.FAIR.value),
                ): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=[strategy.value for strategy in Strategy],
                        translation_key="strategy",
                    )
                ),
                vol.Required(
                    CONF_FAILSAFE_MODE,
                    default=options.get(CONF_FAILSAFE_MODE, DEFAULT_FAILSAFE_MODE),
                ): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=[FAILSAFE_STATIC_SHARE, FAILSAFE_PAUSE],
                        translation_key="failsafe_mode",
                    )
                ),
                vol.Required(
                    CONF_FAILSAFE_RESERVE,
                    default=options.get(CONF_FAILSAFE_RESERVE, round(fuse / 2)),
                ): number_box(0, 4000, "A"),
                vol.Required(
                    CONF_STALE_AFTER,
                    default=options.get(CONF_STALE_AFTER, DEFAULT_STALE_AFTER_S),
                ): number_box(3, 600, "s"),
                vol.Required(
                    CONF_PROFILE_VALIDITY,
                    default=options.get(
                        CONF_PROFILE_VALIDITY, DEFAULT_PROFILE_VALIDITY_S
                    ),
                ): number_box(*PROFILE_VALIDITY_RANGE_S, "s"),
                vol.Required(
                    CONF_ALLOW_STOP,
                    default=options.get(CONF_ALLOW_STOP, DEFAULT_ALLOW_STOP),
                ): selector.BooleanSelector(),
                vol.Optional(CONF_OCPP_SERVER): server_section(options),
                vol.Optional(CONF_PEAK): tariff_section(
                    options, self.hass.config.currency
                ),
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(schema, user_input or {}),
            errors=errors,
        )
