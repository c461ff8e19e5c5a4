"""Register maps, word orders, scaling, garbage and read grouping (no network)."""

from __future__ import annotations

import math

import pytest

from custom_components.ev_load_balancer.meter.decode import (
    GarbageValueError,
    decode_register,
)
from custom_components.ev_load_balancer.meter.meter_models import (
    ABB_B23,
    EM24,
    EM24_E1,
    EM340,
    METER_MODELS,
    SDM630,
    SHELLY_PRO_3EM,
)
from custom_components.ev_load_balancer.meter.read_plan import plan_reads
from custom_components.ev_load_balancer.meter.registers import (
    FunctionCode,
    InvalidMeterConfigError,
    Register,
    RegisterMap,
    ValueType,
    WordOrder,
)
from evlb_sim.live.modbus_meter import encode


@pytest.mark.parametrize(
    ("register", "words", "expected"),
    [
        # Eastron: IEEE float, high word first (230.5 = 0x43668000).
        (SDM630.voltage[0], [0x4366, 0x8000], 230.5),
        (SDM630.current[0], [0x4148, 0x0000], 12.5),
        # Carlo Gavazzi: INT32 low word first, V x10, A x1000, W x10.
        (EM24.voltage[0], [0x0901, 0x0000], 230.5),
        (EM24.current[0], [0x30D4, 0x0000], 12.5),
        (EM24.power[0], [0xF63C, 0xFFFF], -250.0),
        (EM340.energy_import, [0x3039, 0x0000], 1234.5),
        (EM24.energy_import, [0x0000, 0x0001], 6553.6),  # high word second
        # ABB: big-endian, uint32 V x10 and A x100, int32 W x100, uint64 kWh x100.
        (ABB_B23.voltage[0], [0x0000, 0x0901], 230.5),
        (ABB_B23.current[0], [0x0000, 0x04E2], 12.5),
        (ABB_B23.power[0], [0xFFFF, 0xFF6A], -1.5),
        (ABB_B23.power[0], [0xFFFF, 0xFFFF], -0.01),  # all-FF is legal when signed
        (ABB_B23.energy_import, [0x0000, 0x0000, 0x00BC, 0x614E], 123456.78),
        # Shelly: IEEE float, low word first; energy in Wh.
        (SHELLY_PRO_3EM.voltage[0], [0x8000, 0x4366], 230.5),
        (SHELLY_PRO_3EM.energy_import, [0x8000, 0x4366], 0.2305),
    ],
)
def test_word_order_and_scale_of_every_map(
    register: Register, words: list[int], expected: float
) -> None:
    assert decode_register(register, words) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value_type", "word_order", "words", "expected"),
    [
        (ValueType.INT16, WordOrder.HIGH_FIRST, [0xFFFE], -2.0),
        (ValueType.UINT16, WordOrder.HIGH_FIRST, [0xFFFE], 65534.0),
        (ValueType.UINT32, WordOrder.LOW_FIRST, [0x0002, 0x0001], 65538.0),
        (ValueType.INT32, WordOrder.HIGH_FIRST, [0xFFFF, 0xFFFE], -2.0),
        (ValueType.FLOAT32, WordOrder.HIGH_FIRST, [0xC148, 0x0000], -12.5),
    ],
)
def test_every_value_type(
    value_type: ValueType, word_order: WordOrder, words: list[int], expected: float
) -> None:
    register = Register(
        address=0,
        function=FunctionCode.READ_HOLDING,
        value_type=value_type,
        word_order=word_order,
    )
    assert decode_register(register, words) == expected


@pytest.mark.parametrize(
    ("register", "words"),
    [
        (SDM630.current[0], [0x7FC0, 0x0000]),  # NaN
        (SDM630.current[0], [0x7F80, 0x0000]),  # +inf
        (SHELLY_PRO_3EM.current[0], [0x0000, 0xFF80]),  # -inf, low word first
        (ABB_B23.current[0], [0xFFFF, 0xFFFF]),  # ABB "not available"
        (ABB_B23.energy_import, [0xFFFF] * 4),
        (SDM630.current[0], [0x4148]),  # a word short
    ],
)
def test_garbage_is_refused(register: Register, words: list[int]) -> None:
    with pytest.raises(GarbageValueError):
        decode_register(register, words)


@pytest.mark.parametrize("register_map", METER_MODELS.values(), ids=METER_MODELS.keys())
def test_test_encoder_round_trips_every_register(register_map: RegisterMap) -> None:
    # The fake meter's encoder is what the network tests rely on.
    signed = (ValueType.FLOAT32, ValueType.INT32, ValueType.INT16)
    for register in register_map.all_registers():
        values = (0.0, 12.5, 230.4) + (
            (-12.5,) if register.value_type in signed else ()
        )
        for value in values:
            assert decode_register(register, encode(register, value)) == pytest.approx(
                value
            )


@pytest.mark.parametrize(
    ("register_map", "blocks"),
    [
        (SDM630, 1),  # 0x00..0x49 in one request of 74 <= 80
        (EM24, 4),  # 11 registers per read at most
        (EM24_E1, 4),
        (EM340, 2),
        (ABB_B23, 2),  # energy at 0x5000, the rest at 0x5B00
        (SHELLY_PRO_3EM, 2),  # EM block and EMData energy
    ],
    ids=lambda value: getattr(value, "key", str(value)),
)
def test_reads_are_grouped_within_the_meter_limit(
    register_map: RegisterMap, blocks: int
) -> None:
    plan = plan_reads(register_map, with_total_power=False)
    assert len(plan.blocks) == blocks
    assert all(
        block.count <= register_map.max_registers_per_read for block in plan.blocks
    )
    for register in register_map.live_registers():
        index, offset = plan.locations[register]
        block = plan.blocks[index]
        assert block.function is register.function
        assert block.address + offset == register.address
        assert offset + register.count <= block.count
    assert plan_reads(register_map, with_total_power=False) is plan  # once per map


def test_grouping_respects_the_gap_limit() -> None:
    def holding(address: int) -> Register:
        return Register(
            address=address,
            function=FunctionCode.READ_HOLDING,
            value_type=ValueType.UINT16,
        )

    spread = tuple(holding(address) for address in (0, 5, 100))
    for max_gap, expected in ((0, 3), (4, 2), (99, 1)):
        register_map = RegisterMap(
            key="t",
            name="t",
            current=spread,
            max_gap=max_gap,
        )
        blocks = plan_reads(register_map, with_total_power=False).blocks
        assert len(blocks) == expected, max_gap


def test_different_function_codes_never_share_a_request() -> None:
    current = (
        Register(
            address=0, function=FunctionCode.READ_INPUT, value_type=ValueType.UINT16
        ),
        Register(
            address=1, function=FunctionCode.READ_HOLDING, value_type=ValueType.UINT16
        ),
    )
    register_map = RegisterMap(key="t", name="t", current=current, max_gap=10)
    blocks = plan_reads(register_map, with_total_power=False).blocks
    assert {(block.function, block.address) for block in blocks} == {
        (FunctionCode.READ_INPUT, 0),
        (FunctionCode.READ_HOLDING, 1),
    }


def test_map_refuses_mismatched_phases() -> None:
    with pytest.raises(InvalidMeterConfigError) as caught:
        RegisterMap(
            key="t", name="t", current=SDM630.current, voltage=SDM630.voltage[:2]
        )
    assert caught.value.field == "voltage"


def test_map_refuses_a_value_longer_than_a_read() -> None:
    with pytest.raises(InvalidMeterConfigError) as caught:
        RegisterMap(
            key="t",
            name="t",
            current=(ABB_B23.energy_import,),
            max_registers_per_read=2,
        )
    assert caught.value.field == "max_registers_per_read"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"address": 0x10000}, "address"),
        ({"address": 0xFFFF, "value_type": ValueType.UINT32}, "address"),
        ({"scale": 0.0}, "scale"),
        ({"scale": math.nan}, "scale"),
    ],
)
def test_register_refuses_impossible_values(
    changes: dict[str, object], field: str
) -> None:
    settings: dict[str, object] = {
        "address": 0,
        "function": FunctionCode.READ_INPUT,
        "value_type": ValueType.UINT16,
    }
    settings.update(changes)
    with pytest.raises(InvalidMeterConfigError) as caught:
        Register(**settings)
    assert caught.value.field == field


def test_model_keys_are_stable() -> None:
    # The config flow stores these keys; renaming one breaks existing entries.
    assert list(METER_MODELS) == [
        "sdm630",
        "em24",
        "em24_e1",
        "em340",
        "abb_b23",
        "shelly_pro_3em",
    ]
    assert all(key == model.key for key, model in METER_MODELS.items())
