"""One full read of a meter: walk the read plan, decode, sign, check plausibility.

Shared by the polling source and the config flow's probe, so both judge a
meter's answer the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
import math
import time

from .base import MeterReading
from .decode import GarbageValueError, decode_register, describe
from .modbus_client import ModbusConnection
from .modbus_config import ModbusMeterConfig
from .read_plan import ReadPlan, plan_reads
from .registers import Register
from .validation import check_reading

# Without a configured fuse only what no building feed can carry is refused;
# check_reading allows 5 x this.
FALLBACK_FUSE_A = 2000.0


class ImplausibleReadingError(ValueError):
    """The meter answered, but with garbage or physically absurd values."""


@dataclass(frozen=True, slots=True, kw_only=True)
class MeterSample:
    """A checked reading, plus the meter's own total power when it was asked."""

    reading: MeterReading
    total_power_w: float | None = None


async def read_meter(
    connection: ModbusConnection,
    config: ModbusMeterConfig,
    *,
    with_total_power: bool = False,
) -> MeterSample:
    """Read every block once; raises `ModbusLinkError` or `ImplausibleReadingError`."""
    register_map = config.register_map
    plan = plan_reads(register_map, with_total_power=with_total_power)
    block_words = [
        await connection.read(block.function, block.address, block.count)
        for block in plan.blocks
    ]
    received_at = time.time()
    try:
        current = _values(plan, register_map.current, block_words)
        voltage = _optional_values(plan, register_map.voltage, block_words)
        power = _optional_values(plan, register_map.power, block_words)
        energy = _optional_value(plan, register_map.energy_import, block_words)
        total_power = (
            _optional_value(plan, register_map.power_total, block_words)
            if with_total_power
            else None
        )
    except GarbageValueError as err:
        raise ImplausibleReadingError(str(err)) from err
    if energy is not None and energy < 0:
        raise ImplausibleReadingError(f"import energy {energy} kWh is negative")
    reading = MeterReading(
        current_a=_signed_by_power(current, power),
        received_at=received_at,
        voltage_v=voltage,
        power_w=power,
        energy_import_kwh=energy,
    )
    problem = check_reading(
        reading, register_map.phases, config.fuse_a or FALLBACK_FUSE_A
    )
    if problem is not None:
        raise ImplausibleReadingError(problem[1])
    return MeterSample(reading=reading, total_power_w=total_power)


def _signed_by_power(
    current: tuple[float, ...], power: tuple[float, ...] | None
) -> tuple[float, ...]:
    """Most meters give current as a magnitude; the power's sign says whether
    the phase imports (+) or exports (-, e.g. solar)."""
    if power is None:
        return current
    return tuple(
        math.copysign(abs(amps), watts) if watts else amps
        for amps, watts in zip(current, power, strict=True)
    )


def _value(plan: ReadPlan, register: Register, block_words: list[list[int]]) -> float:
    try:
        return decode_register(register, plan.words(register, block_words))
    except GarbageValueError as err:
        raise GarbageValueError(f"{describe(register)}: {err}") from err


def _values(
    plan: ReadPlan, registers: Sequence[Register], block_words: list[list[int]]
) -> tuple[float, ...]:
    return tuple(_value(plan, register, block_words) for register in registers)


def _optional_values(
    plan: ReadPlan,
    registers: Sequence[Register] | None,
    block_words: list[list[int]],
) -> tuple[float, ...] | None:
    return None if registers is None else _values(plan, registers, block_words)


def _optional_value(
    plan: ReadPlan, register: Register | None, block_words: list[list[int]]
) -> float | None:
    return None if register is None else _value(plan, register, block_words)
