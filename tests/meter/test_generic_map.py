"""A user-described meter: the dict the config flow fills, checked field by field."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.ev_load_balancer.meter.generic_map import GenericMeterSpec
from custom_components.ev_load_balancer.meter.meter_models import ABB_B23
from custom_components.ev_load_balancer.meter.modbus import ModbusMeterSource
from custom_components.ev_load_balancer.meter.modbus_config import (
    MODEL_CHOICES,
    register_map_for,
)
from custom_components.ev_load_balancer.meter.modbus_probe import async_probe
from custom_components.ev_load_balancer.meter.read_plan import plan_reads
from custom_components.ev_load_balancer.meter.registers import (
    FunctionCode,
    InvalidMeterConfigError,
    ValueType,
    WordOrder,
)
from evlb_sim.live.modbus_meter import SimulatedMeter

from .helpers import StartServer, fast_config, running, wait_for_current


def spec_dict() -> dict[str, Any]:
    """A made-up meter: int16 deci-amps in holding registers 100..102, uint32
    voltages (low word first, x0.1) at 200.., float32 powers in input registers."""
    data: dict[str, Any] = {}
    for phase in range(3):
        data[f"current_l{phase + 1}"] = {
            "address": 100 + phase,
            "function": 3,
            "type": "int16",
            "scale": 0.1,
        }
        data[f"voltage_l{phase + 1}"] = {
            "address": 200 + 2 * phase,
            "function": "3",
            "type": "uint32",
            "word_order": "low_first",
            "scale": "0.1",
        }
        data[f"power_l{phase + 1}"] = {
            "address": "0x0010" if phase == 0 else 0x10 + 2 * phase,
            "function": 4,
            "type": "float32",
        }
    data["energy_import"] = {"address": 300, "function": 4, "type": "uint32"}
    data["max_registers_per_read"] = 16
    return data


def test_a_valid_dict_builds_the_map() -> None:
    register_map = GenericMeterSpec.from_dict(spec_dict()).register_map()
    assert register_map.key == "generic"
    assert register_map.phases == 3
    first = register_map.current[0]
    assert (first.address, first.function, first.value_type, first.scale) == (
        100,
        FunctionCode.READ_HOLDING,
        ValueType.INT16,
        0.1,
    )
    assert register_map.voltage is not None
    assert register_map.voltage[1].address == 202
    assert register_map.voltage[1].word_order is WordOrder.LOW_FIRST
    assert register_map.power is not None
    assert register_map.power[0].address == 0x10
    # Only adjacent registers share a request: 100..102, 200..205, 0x10..0x15, 300.
    blocks = plan_reads(register_map, with_total_power=False).blocks
    assert [(b.address, b.count) for b in blocks] == [
        (100, 3),
        (200, 6),
        (0x10, 6),
        (300, 2),
    ]


def test_as_dict_round_trips() -> None:
    spec = GenericMeterSpec.from_dict(spec_dict())
    assert GenericMeterSpec.from_dict(spec.as_dict()) == spec


def test_a_single_phase_meter_is_fine() -> None:
    data = {"current_l1": {"address": 6, "function": 4, "type": "float32"}}
    assert GenericMeterSpec.from_dict(data).register_map().phases == 1


def _without(key: str) -> dict[str, Any]:
    data = spec_dict()
    del data[key]
    return data


def _with(key: str, **changes: object) -> dict[str, Any]:
    data = spec_dict()
    data[key] = {**data[key], **changes}
    return data


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "current_l1"),
        (_without("current_l2"), "current_l2"),  # L3 given, L2 skipped
        (_without("voltage_l3"), "voltage_l3"),  # fewer voltages than currents
        (_with("current_l1", function=6), "current_l1.function"),
        (_with("current_l1", function=True), "current_l1.function"),
        (_with("current_l1", type="float64"), "current_l1.type"),
        (_with("voltage_l2", word_order="middle"), "voltage_l2.word_order"),
        (_with("power_l3", address=70000), "power_l3.address"),
        (_with("power_l3", address="north"), "power_l3.address"),
        (_with("current_l1", scale=0), "current_l1.scale"),
        (_with("current_l1", scale="nan"), "current_l1.scale"),
        ({**spec_dict(), "energy_import": 300}, "energy_import"),
        ({**spec_dict(), "max_registers_per_read": 200}, "max_registers_per_read"),
        ({**spec_dict(), "max_registers_per_read": 1}, "max_registers_per_read"),
    ],
)
def test_every_flaw_names_its_field(data: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidMeterConfigError) as caught:
        GenericMeterSpec.from_dict(data)
    assert caught.value.field == field


@pytest.mark.usefixtures("socket_enabled")
async def test_a_generic_meter_is_read_and_probed(start_server: StartServer) -> None:
    register_map = GenericMeterSpec.from_dict(spec_dict()).register_map()
    # This meter refuses any read touching a register it does not list.
    meter = SimulatedMeter(listed_only=True, max_registers_per_read=16)
    meter.serve(
        register_map,
        current=(12.3, 0.5, 7.0),
        voltage=(230.1, 229.9, 231.0),
        power=(2800.0, -100.0, 1600.0),
        energy=4321.0,
    )
    server = await start_server(meter)
    config = fast_config(server.port, register_map)

    result = await async_probe(config)
    assert result.ok, result.detail
    assert result.current_a == pytest.approx((12.3, -0.5, 7.0))
    assert result.voltage_v == pytest.approx((230.1, 229.9, 231.0))
    assert result.energy_import_kwh == pytest.approx(4321.0)

    source = ModbusMeterSource(config)
    async with running(source):
        meter.serve(register_map, current=(20.0, 0.5, 7.0))
        await wait_for_current(source, (20.0, -0.5, 7.0))


def test_model_select_resolves_keys_and_the_generic_dict() -> None:
    assert list(MODEL_CHOICES)[-1] == "generic"
    assert MODEL_CHOICES["sdm630"] == "Eastron SDM630"
    assert register_map_for("abb_b23") is ABB_B23
    generic = register_map_for("generic", spec_dict())
    assert generic.current[0].address == 100
    for model, generic_dict, field in (
        ("sdm631", None, "model"),
        ("generic", None, "generic"),
        ("generic", {}, "current_l1"),
    ):
        with pytest.raises(InvalidMeterConfigError) as caught:
            register_map_for(model, generic_dict)
        assert caught.value.field == field
