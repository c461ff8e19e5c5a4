"""Register maps as data: where a meter keeps each quantity and how to decode it.

Addresses are 0-based wire addresses (what goes into the Modbus frame), not the
"30001"/"40001" register numbers of the makers' manuals. No pymodbus and no Home
Assistant here: the maps are plain frozen dataclasses, checked when built.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum
import math

MODBUS_MAX_REGISTERS_PER_READ = 125  # Modbus spec: function 03/04 read limit
MAX_PHASES = 3


class FunctionCode(IntEnum):
    """The two read functions a meter answers."""

    READ_HOLDING = 3
    READ_INPUT = 4


class ValueType(StrEnum):
    """How a quantity's registers encode its raw value."""

    FLOAT32 = "float32"
    INT32 = "int32"
    UINT32 = "uint32"
    INT16 = "int16"
    UINT16 = "uint16"
    UINT64 = "uint64"  # ABB energy counters

    @property
    def register_count(self) -> int:
        """How many 16-bit registers one value takes."""
        return _REGISTER_COUNTS[self]


_REGISTER_COUNTS = {
    ValueType.FLOAT32: 2,
    ValueType.INT32: 2,
    ValueType.UINT32: 2,
    ValueType.INT16: 1,
    ValueType.UINT16: 1,
    ValueType.UINT64: 4,
}


class WordOrder(StrEnum):
    """Order of the 16-bit words of a multi-register value.

    Bytes inside a word are always big-endian (Modbus says so); only the word
    order varies between makers.
    """

    HIGH_FIRST = "high_first"  # "ABCD", big-endian words
    LOW_FIRST = "low_first"  # "CDAB", little-endian words


class InvalidMeterConfigError(ValueError):
    """A register, map or link setting that cannot work; `field` names the culprit."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True, slots=True, kw_only=True)
class Register:
    """One quantity: value = decoded raw value x scale, in V, A, W or kWh."""

    address: int
    function: FunctionCode
    value_type: ValueType
    word_order: WordOrder = WordOrder.HIGH_FIRST
    scale: float = 1.0
    # Some meters (ABB) fill every register of a value with 0xFFFF when it is
    # not available; with this set such a value is garbage, not a number.
    all_ones_invalid: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.address <= 0xFFFF - self.count + 1:
            raise InvalidMeterConfigError(
                "address", f"{self.address} is outside 0..65535 for {self.count} words"
            )
        if not (math.isfinite(self.scale) and self.scale != 0):
            raise InvalidMeterConfigError(
                "scale", f"{self.scale} is not a usable factor"
            )

    @property
    def count(self) -> int:
        """Registers this value spans on the wire."""
        return self.value_type.register_count

    @property
    def end(self) -> int:
        """First address after this value."""
        return self.address + self.count


@dataclass(frozen=True, slots=True, kw_only=True)
class RegisterMap:
    """Where one meter model keeps its per-phase quantities.

    `current` is mandatory (one register per phase, L1 first); voltage and
    power are optional but, when present, have one register per phase too.
    `max_registers_per_read` is the meter's own limit on one request;
    `max_gap` is how many unused registers one request may read to join two
    values, for meters that answer reads spanning registers they do not list.
    """

    key: str
    name: str
    current: tuple[Register, ...]
    voltage: tuple[Register, ...] | None = None
    power: tuple[Register, ...] | None = None
    power_total: Register | None = None
    energy_import: Register | None = None
    max_registers_per_read: int = MODBUS_MAX_REGISTERS_PER_READ
    max_gap: int = 0

    def __post_init__(self) -> None:
        phases = len(self.current)
        if not 1 <= phases <= MAX_PHASES:
            raise InvalidMeterConfigError(
                "current", f"{phases} phases, expected 1 to {MAX_PHASES}"
            )
        for name, registers in (("voltage", self.voltage), ("power", self.power)):
            if registers is not None and len(registers) != phases:
                raise InvalidMeterConfigError(
                    name, f"{len(registers)} phases, current has {phases}"
                )
        if not 1 <= self.max_registers_per_read <= MODBUS_MAX_REGISTERS_PER_READ:
            raise InvalidMeterConfigError(
                "max_registers_per_read",
                f"{self.max_registers_per_read} is outside "
                f"1..{MODBUS_MAX_REGISTERS_PER_READ}",
            )
        if self.max_gap < 0:
            raise InvalidMeterConfigError("max_gap", "must not be negative")
        for register in self.all_registers():
            if register.count > self.max_registers_per_read:
                raise InvalidMeterConfigError(
                    "max_registers_per_read",
                    f"a {register.value_type} value needs {register.count} "
                    f"registers in one read",
                )

    @property
    def phases(self) -> int:
        """How many phases the meter reports."""
        return len(self.current)

    def live_registers(self) -> tuple[Register, ...]:
        """What a balancing poll reads: per-phase values and the energy counter."""
        registers = list(self.current)
        registers += self.voltage or ()
        registers += self.power or ()
        if self.energy_import is not None:
            registers.append(self.energy_import)
        return tuple(registers)

    def all_registers(self) -> tuple[Register, ...]:
        """Every register in the map, the total power included."""
        if self.power_total is None:
            return self.live_registers()
        return (*self.live_registers(), self.power_total)
