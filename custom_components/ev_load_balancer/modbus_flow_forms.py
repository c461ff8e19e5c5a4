"""Forms of the Modbus meter steps, and the text of the test-read summary."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from homeassistant.helpers import selector
import voluptuous as vol

from .meter.modbus_config import (
    MODEL_CHOICES,
    SERIAL_BAUD_RATES,
    SERIAL_UNIT_IDS,
    TCP_UNIT_IDS,
    ModbusMeterConfig,
)
from .meter.modbus_probe import ProbeResult
from .modbus_entry import (
    BAUDRATE,
    HOST,
    MODEL,
    PARITIES,
    PARITY,
    PORT,
    REGISTERS,
    RTU_FRAMING,
    SERIAL_PORT,
    STOPBITS,
    UNIT_ID,
)

DEFAULT_TCP_PORT = 502
DEFAULT_SERIAL_PORT = "/dev/ttyUSB0"
NOT_PROVIDED = "-"


def _box(low: int, high: int) -> selector.NumberSelector:
    return selector.NumberSelector(
        selector.NumberSelectorConfig(
            min=low, max=high, step=1, mode=selector.NumberSelectorMode.BOX
        )
    )


def _select(
    options: Sequence[str], translation_key: str | None = None
) -> selector.SelectSelector:
    config = selector.SelectSelectorConfig(
        options=list(options), mode=selector.SelectSelectorMode.DROPDOWN
    )
    if translation_key:
        config["translation_key"] = translation_key
    return selector.SelectSelector(config)


def _default(values: Mapping[str, Any], key: str, fallback: Any) -> Any:
    value = values.get(key)
    return fallback if value is None else value


def _unit_and_model(values: Mapping[str, Any], unit_ids: range) -> dict[Any, Any]:
    return {
        vol.Required(UNIT_ID, default=_default(values, UNIT_ID, 1)): _box(
            unit_ids.start, unit_ids.stop - 1
        ),
        vol.Required(MODEL, default=_default(values, MODEL, vol.UNDEFINED)): _select(
            list(MODEL_CHOICES), "meter_model"
        ),
    }


def tcp_schema(values: Mapping[str, Any]) -> vol.Schema:
    """Host, port, unit id, model; RTU framing for raw serial gateways."""
    return vol.Schema(
        {
            vol.Required(
                HOST, default=_default(values, HOST, vol.UNDEFINED)
            ): selector.TextSelector(),
            vol.Required(PORT, default=_default(values, PORT, DEFAULT_TCP_PORT)): _box(
                1, 65535
            ),
            **_unit_and_model(values, TCP_UNIT_IDS),
            vol.Required(
                RTU_FRAMING, default=_default(values, RTU_FRAMING, False)
            ): selector.BooleanSelector(),
        }
    )


def serial_schema(values: Mapping[str, Any]) -> vol.Schema:
    """Serial port and its settings, unit id, model."""
    return vol.Schema(
        {
            vol.Required(
                SERIAL_PORT, default=_default(values, SERIAL_PORT, DEFAULT_SERIAL_PORT)
            ): selector.TextSelector(),
            vol.Required(
                BAUDRATE, default=str(_default(values, BAUDRATE, 9600))
            ): _select([str(rate) for rate in SERIAL_BAUD_RATES]),
            vol.Required(PARITY, default=_default(values, PARITY, "none")): _select(
                list(PARITIES), "parity"
            ),
            vol.Required(STOPBITS, default=str(_default(values, STOPBITS, 1))): _select(
                ["1", "2"]
            ),
            **_unit_and_model(values, SERIAL_UNIT_IDS),
        }
    )


def generic_example(phases: int) -> dict[str, object]:
    """A starting point: the currents of an SDM630-like meter (float32, 04)."""
    return {
        f"current_l{phase + 1}": {
            "address": 6 + 2 * phase,
            "function": 4,
            "type": "float32",
            "word_order": "high_first",
            "scale": 1,
        }
        for phase in range(phases)
    }


def generic_schema(phases: int, registers: object) -> vol.Schema:
    """One YAML field: quantity -> address, function, type, word order, scale."""
    suggested = registers if registers is not None else generic_example(phases)
    return vol.Schema(
        {
            vol.Required(
                REGISTERS, description={"suggested_value": suggested}
            ): selector.ObjectSelector(),
        }
    )


def _per_phase(values: tuple[float, ...] | None, unit: str, digits: int) -> str:
    if values is None:
        return NOT_PROVIDED
    return ", ".join(
        f"L{phase} {value:.{digits}f} {unit}"
        for phase, value in enumerate(values, start=1)
    )


def confirm_placeholders(
    config: ModbusMeterConfig, result: ProbeResult
) -> dict[str, str]:
    """What the test read found, per phase, for the confirm step."""
    energy = result.energy_import_kwh
    return {
        "meter": config.describe(),
        "current": _per_phase(result.current_a, "A", 1),
        "voltage": _per_phase(result.voltage_v, "V", 1),
        "power": _per_phase(result.power_w, "W", 0),
        "energy": NOT_PROVIDED if energy is None else f"{energy:.1f} kWh",
    }
