"""Entities a user could pick in the flows: meters, chargers' controls, services."""

from __future__ import annotations

from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT
from homeassistant.core import HomeAssistant, ServiceCall
import pytest


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let the harness load custom_components/."""


def _unit(unit: str) -> dict[str, str]:
    return {ATTR_UNIT_OF_MEASUREMENT: unit}


@pytest.fixture
def meter_entities(hass: HomeAssistant) -> None:
    """A P1 reader in amps, a Shelly in watts, voltages, and some bad sensors."""
    for phase in (1, 2, 3):
        hass.states.async_set(f"sensor.p1_current_l{phase}", "12.5", _unit("A"))
        hass.states.async_set(f"sensor.shelly_power_l{phase}", "2300", _unit("W"))
        hass.states.async_set(f"sensor.shelly_voltage_l{phase}", "231", _unit("V"))
    hass.states.async_set("sensor.p1_milliamps", "12500", _unit("mA"))
    hass.states.async_set("sensor.kilowatts", "2.3", _unit("kW"))
    hass.states.async_set("sensor.broken", "unavailable", _unit("A"))
    hass.states.async_set("sensor.text", "hello", _unit("A"))
    hass.states.async_set("sensor.temperature", "21", _unit("°C"))


@pytest.fixture
def charger_entities(hass: HomeAssistant) -> list[ServiceCall]:
    """A charger integration's entities and a limit service; returns its calls."""
    hass.states.async_set(
        "number.easee_limit", "16", {"min": 0, "max": 32, "step": 1, **_unit("A")}
    )
    hass.states.async_set(
        "number.tiny_limit", "3", {"min": 0, "max": 5, "step": 1, **_unit("A")}
    )
    for phase in (1, 2, 3):
        hass.states.async_set(f"sensor.easee_current_l{phase}", "0", _unit("A"))
    hass.states.async_set("sensor.easee_power", "0", _unit("W"))
    hass.states.async_set("sensor.easee_status", "awaiting_start")
    hass.states.async_set("switch.easee_enabled", "on")
    calls: list[ServiceCall] = []

    async def limit(call: ServiceCall) -> None:
        calls.append(call)

    hass.services.async_register("zaptec", "limit_current", limit)
    return calls
