"""The form fields every kind of charger asks for: name, wiring, currents, priority."""

from __future__ import annotations

from typing import Any

from homeassistant.const import CONF_NAME
from homeassistant.helpers import selector
import voluptuous as vol

from .config_model import connection_wiring
from .const import (
    CONF_CONNECTION,
    CONF_MAX_CURRENT,
    CONF_MIN_CURRENT,
    CONF_PRIORITY,
    CONNECTIONS,
    DEFAULT_PRIORITY,
    PRIORITY_MAX,
    PRIORITY_MIN,
)


def number_box(
    low: float, high: float, unit: str | None = None
) -> selector.NumberSelector:
    config = selector.NumberSelectorConfig(
        min=low, max=high, step=1, mode=selector.NumberSelectorMode.BOX
    )
    if unit:
        config["unit_of_measurement"] = unit
    return selector.NumberSelector(config)


def site_connections(site_phases: int) -> list[str]:
    """The wirings a charger can have on a site with this many phases."""
    return [c for c in CONNECTIONS if max(connection_wiring(c)) < site_phases]


def charger_fields(
    defaults: dict[str, Any], connections: list[str], suggested_name: str | None = None
) -> dict[vol.Marker, Any]:
    return {
        vol.Required(
            CONF_NAME, default=defaults.get(CONF_NAME, suggested_name or vol.UNDEFINED)
        ): selector.TextSelector(),
        vol.Required(
            CONF_CONNECTION, default=defaults.get(CONF_CONNECTION, connections[0])
        ): selector.SelectSelector(
            selector.SelectSelectorConfig(
                options=connections, translation_key="connection"
            )
        ),
        vol.Required(
            CONF_MIN_CURRENT, default=defaults.get(CONF_MIN_CURRENT, 6)
        ): number_box(6, 80, "A"),
        vol.Required(
            CONF_MAX_CURRENT, default=defaults.get(CONF_MAX_CURRENT, 16)
        ): number_box(6, 80, "A"),
        vol.Required(
            CONF_PRIORITY, default=defaults.get(CONF_PRIORITY, DEFAULT_PRIORITY)
        ): number_box(PRIORITY_MIN, PRIORITY_MAX),
    }
