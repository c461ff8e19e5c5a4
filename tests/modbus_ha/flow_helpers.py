"""Driving the site's config flow up to and through the Modbus steps."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import voluptuous as vol

from custom_components.ev_load_balancer.const import DOMAIN

SITE = {
    "name": "Garage",
    "phases": "3",
    "fuse_current": 40,
    "safety_margin": 2,
    "nominal_voltage": 230,
}


async def configure(
    hass: HomeAssistant, result: ConfigFlowResult, user_input: dict[str, Any]
) -> ConfigFlowResult:
    return await hass.config_entries.flow.async_configure(result["flow_id"], user_input)


async def choose(
    hass: HomeAssistant, result: ConfigFlowResult, step_id: str
) -> ConfigFlowResult:
    """Pick `step_id` in the menu shown by `result`."""
    assert result["type"] is FlowResultType.MENU, result
    assert step_id in result["menu_options"]
    return await configure(hass, result, {"next_step_id": step_id})


async def meter_menu(hass: HomeAssistant, **site: Any) -> ConfigFlowResult:
    """A new site's flow, at the meter-source menu."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": "user"}
    )
    result = await configure(hass, result, {**SITE, **site})
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "meter_source"
    assert result["menu_options"] == ["meter", "modbus_tcp", "modbus_serial"]
    return result


def tcp_input(port: int, **overrides: Any) -> dict[str, Any]:
    return {
        "host": "127.0.0.1",
        "port": port,
        "unit_id": 1,
        "model": "sdm630",
        "rtu_framing": False,
        **overrides,
    }


def defaults(result: ConfigFlowResult) -> dict[str, Any]:
    """What a form shows pre-filled: defaults and suggested values."""
    schema = result["data_schema"]
    assert schema is not None
    shown: dict[str, Any] = {}
    for key in schema.schema:
        if key.default is not vol.UNDEFINED:
            shown[str(key)] = key.default()
        elif key.description and "suggested_value" in key.description:
            shown[str(key)] = key.description["suggested_value"]
    return shown
