"""Turn raw 16-bit words into physical values, refusing garbage.

Garbage (NaN, infinity, a maker's "not available" marker) raises
`GarbageValueError`: a source must report it, never publish a made-up number.
"""

from __future__ import annotations

from collections.abc import Sequence
import math
import struct

from .registers import FunctionCode, Register, ValueType, WordOrder

_STRUCT_FORMATS = {
    ValueType.FLOAT32: ">f",
    ValueType.INT32: ">i",
    ValueType.UINT32: ">I",
    ValueType.INT16: ">h",
    ValueType.UINT16: ">H",
    ValueType.UINT64: ">Q",
}


class GarbageValueError(ValueError):
    """The registers hold no usable number."""


def decode_register(register: Register, words: Sequence[int]) -> float:
    """The scaled value of one register; raises `GarbageValueError`."""
    if len(words) != register.count:
        raise GarbageValueError(f"{len(words)} words, expected {register.count}")
    if register.all_ones_invalid and all(word == 0xFFFF for word in words):
        raise GarbageValueError("the meter marks the value as not available (all FF)")
    ordered = words if register.word_order is WordOrder.HIGH_FIRST else words[::-1]
    try:
        raw = struct.pack(f">{len(ordered)}H", *ordered)
    except struct.error as err:
        raise GarbageValueError(f"{list(words)} are not 16-bit words") from err
    (value,) = struct.unpack(_STRUCT_FORMATS[register.value_type], raw)
    scaled = float(value) * register.scale
    if not math.isfinite(scaled):
        raise GarbageValueError(f"{scaled} is not a finite number")
    return scaled


def describe(register: Register) -> str:
    """Where a register lives, for problem details: `input 0x0006 float32`."""
    kind = "holding" if register.function is FunctionCode.READ_HOLDING else "input"
    return f"{kind} 0x{register.address:04X} {register.value_type}"
