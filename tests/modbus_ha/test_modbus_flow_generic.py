"""The generic model: the user describes the registers, checked per field."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.ev_load_balancer.meter.generic_map import GenericMeterSpec
from custom_components.ev_load_balancer.modbus_flow_forms import generic_example
from evlb_sim.live.modbus_meter import SimulatedMeter
from evlb_sim.live.modbus_server import MeterServer

from .flow_helpers import choose, configure, defaults, meter_menu, tcp_input

pytestmark = pytest.mark.usefixtures("socket_enabled")


def _int32(address: int, scale: float) -> dict[str, Any]:
    return {
        "address": address,
        "function": 3,
        "type": "int32",
        "word_order": "low_first",
        "scale": scale,
    }


# A meter no table knows: mA in holding registers, W/10 as int16, Wh/10 as input.
CUSTOM: dict[str, Any] = {
    **{f"current_l{p}": _int32(0x100 + 2 * (p - 1), 0.001) for p in (1, 2, 3)},
    **{
        f"power_l{p}": {
            "address": 0x200 + p - 1,
            "function": 3,
            "type": "int16",
            "scale": 10,
        }
        for p in (1, 2, 3)
    },
    "energy_import": {"address": 0x300, "function": 4, "type": "uint32", "scale": 0.01},
}


@pytest.fixture(autouse=True)
def serve_custom_map(meter: SimulatedMeter) -> None:
    meter.serve(
        GenericMeterSpec.from_dict(CUSTOM).register_map(),
        current=(12.5, 8.0, 3.3),
        power=(2870.0, 1840.0, -760.0),
        energy=4321.5,
    )


async def _generic_form(hass: HomeAssistant, port: int, **tcp: Any) -> Any:
    result = await choose(hass, await meter_menu(hass), "modbus_tcp")
    result = await configure(hass, result, tcp_input(port, model="generic", **tcp))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "modbus_generic"
    return result


@pytest.mark.parametrize(
    ("registers", "error", "detail"),
    [
        (
            {"current_l1": {"address": 6, "function": 5, "type": "float32"}},
            "invalid_register_map",
            "current_l1.function: 5: only 3 (holding) and 4 (input) are reads",
        ),
        (
            {**CUSTOM, "power_l2": {"address": "x", "function": 3, "type": "int16"}},
            "invalid_register_map",
            "power_l2.address: 'x' is not a whole number",
        ),
        ("current_l1 at 6", "invalid_register_map", "registers: expected a mapping"),
        ({"current_l1": CUSTOM["current_l1"]}, "meter_phases", "1 phase(s)"),
        (  # mA read as A: 12500 A on a 40 A fuse
            {**CUSTOM, "current_l1": _int32(0x100, 1)},
            "implausible",
            "L1 current 12500.0 A",
        ),
    ],
    ids=["function", "address", "not_a_mapping", "phases", "implausible"],
)
async def test_a_wrong_map_is_refused_with_its_field_then_fixed(
    hass: HomeAssistant,
    meter_server: MeterServer,
    registers: object,
    error: str,
    detail: str,
) -> None:
    result = await _generic_form(hass, meter_server.port)
    # A starting point the user edits: the currents of an SDM630.
    assert defaults(result) == {"registers": generic_example(3)}

    result = await configure(hass, result, {"registers": registers})
    assert result["step_id"] == "modbus_generic"
    assert result["errors"] == {"registers": error}
    assert detail in result["description_placeholders"]["detail"]
    # Kept for editing: as typed, or (once it passed the checks) as read back.
    kept = registers
    if error in ("meter_phases", "implausible"):
        kept = GenericMeterSpec.from_dict(registers).as_dict()  # type: ignore[arg-type]
    assert defaults(result) == {"registers": kept}

    result = await configure(hass, result, {"registers": CUSTOM})
    assert result["step_id"] == "modbus_confirm"


async def test_a_generic_meter_is_read_and_runs_as_described(
    hass: HomeAssistant, meter_server: MeterServer
) -> None:
    result = await _generic_form(hass, meter_server.port)
    result = await configure(hass, result, {"registers": CUSTOM})
    assert result["type"] is FlowResultType.MENU
    placeholders = result["description_placeholders"]
    assert placeholders["meter"].startswith("Generic Modbus meter, unit 1")
    assert placeholders["current"] == "L1 12.5 A, L2 8.0 A, L3 -3.3 A"
    assert placeholders["voltage"] == "-"
    assert placeholders["power"] == "L1 2870 W, L2 1840 W, L3 -760 W"
    assert placeholders["energy"] == "4321.5 kWh"

    result = await choose(hass, result, "modbus_save")
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    stored = entry.data["modbus"]
    assert stored["model"] == "generic"
    assert stored["registers"] == GenericMeterSpec.from_dict(CUSTOM).as_dict()
    await hass.async_block_till_done()

    assert hass.states.get("sensor.garage_site_current_l1").state == "12.5"
    assert hass.states.get("sensor.garage_power_l3").state == "-760"
    assert hass.states.get("sensor.garage_imported_energy").state == "4321.5"
    assert hass.states.get("sensor.garage_voltage_l1") is None  # not in the map
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_after_a_link_error_the_map_given_is_kept(
    hass: HomeAssistant, meter_server: MeterServer
) -> None:
    result = await _generic_form(hass, meter_server.port, unit_id=9)
    result = await configure(hass, result, {"registers": CUSTOM})
    assert result["step_id"] == "modbus_tcp"
    assert result["errors"] == {"unit_id": "no_answer"}

    result = await configure(
        hass, result, tcp_input(meter_server.port, model="generic")
    )
    assert result["step_id"] == "modbus_generic"
    assert defaults(result) == {
        "registers": GenericMeterSpec.from_dict(CUSTOM).as_dict()
    }
    result = await configure(hass, result, defaults(result))
    assert result["step_id"] == "modbus_confirm"
