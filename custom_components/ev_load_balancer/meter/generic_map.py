"""A register map the user describes, for meters we have no table for.

The config flow fills a plain dict (one entry per quantity: address, function
code, type, word order, scale); `GenericMeterSpec.from_dict` checks every field
and says which one is wrong, and `as_dict` gives back what to store.
"""

from __future__ import annotations

from collections.abc import Mapping
import contextlib
from dataclasses import dataclass
import math

from .meter_models import GENERIC_MODEL_KEY
from .registers import (
    MAX_PHASES,
    MODBUS_MAX_REGISTERS_PER_READ,
    FunctionCode,
    InvalidMeterConfigError,
    Register,
    RegisterMap,
    ValueType,
    WordOrder,
)

PHASE_NAMES = tuple(f"l{phase}" for phase in range(1, MAX_PHASES + 1))
GENERIC_MAP_NAME = "Generic Modbus meter"
ENERGY_IMPORT = "energy_import"
MAX_REGISTERS_PER_READ = "max_registers_per_read"


def quantity_key(quantity: str, phase: int) -> str:
    """`current_l1`-style key of one per-phase quantity (phase counts from 0)."""
    return f"{quantity}_{PHASE_NAMES[phase]}"


@dataclass(frozen=True, slots=True, kw_only=True)
class GenericMeterSpec:
    """Per-quantity registers of a meter described by the user."""

    current: tuple[Register, ...]
    voltage: tuple[Register, ...] | None = None
    power: tuple[Register, ...] | None = None
    energy_import: Register | None = None
    max_registers_per_read: int = MODBUS_MAX_REGISTERS_PER_READ

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> GenericMeterSpec:
        """Build from `{"current_l1": {"address": 6, ...}, ...}`; raise on any flaw."""
        current = _phase_registers(data, "current")
        if not current:
            raise InvalidMeterConfigError("current_l1", "the current of L1 is required")
        voltage = _phase_registers(data, "voltage")
        power = _phase_registers(data, "power")
        for name, registers in (("voltage", voltage), ("power", power)):
            if registers and len(registers) != len(current):
                missing = quantity_key(name, min(len(registers), len(current)))
                raise InvalidMeterConfigError(
                    missing, f"give {name} for the same phases as the current"
                )
        energy = data.get(ENERGY_IMPORT)
        spec = cls(
            current=current,
            voltage=voltage or None,
            power=power or None,
            energy_import=None
            if energy is None
            else _register_from_dict(ENERGY_IMPORT, energy),
            max_registers_per_read=_integer(
                MAX_REGISTERS_PER_READ,
                data.get(MAX_REGISTERS_PER_READ, MODBUS_MAX_REGISTERS_PER_READ),
            ),
        )
        spec.register_map()  # the map checks phase counts and read limits
        return spec

    def register_map(self) -> RegisterMap:
        """The map a source reads; only adjacent registers are read together,
        since nothing says the meter answers reads across unlisted ones."""
        return RegisterMap(
            key=GENERIC_MODEL_KEY,
            name=GENERIC_MAP_NAME,
            current=self.current,
            voltage=self.voltage,
            power=self.power,
            energy_import=self.energy_import,
            max_registers_per_read=self.max_registers_per_read,
            max_gap=0,
        )

    def as_dict(self) -> dict[str, object]:
        """The dict `from_dict` reads back (for the config entry)."""
        data: dict[str, object] = {MAX_REGISTERS_PER_READ: self.max_registers_per_read}
        for quantity, registers in (
            ("current", self.current),
            ("voltage", self.voltage),
            ("power", self.power),
        ):
            for phase, register in enumerate(registers or ()):
                data[quantity_key(quantity, phase)] = _register_as_dict(register)
        if self.energy_import is not None:
            data[ENERGY_IMPORT] = _register_as_dict(self.energy_import)
        return data


def _phase_registers(data: Mapping[str, object], quantity: str) -> tuple[Register, ...]:
    """Registers of L1, L2, ... in order; a phase may not be skipped."""
    registers: list[Register] = []
    for phase in range(MAX_PHASES):
        key = quantity_key(quantity, phase)
        entry = data.get(key)
        if entry is None:
            break
        registers.append(_register_from_dict(key, entry))
    for phase in range(len(registers) + 1, MAX_PHASES):
        if data.get(quantity_key(quantity, phase)) is not None:
            raise InvalidMeterConfigError(
                quantity_key(quantity, len(registers)), "phases must not be skipped"
            )
    return tuple(registers)


def _register_from_dict(key: str, entry: object) -> Register:
    if not isinstance(entry, Mapping):
        raise InvalidMeterConfigError(key, "expected address, function, type, ...")
    function = _integer(f"{key}.function", entry.get("function"))
    if function not in (code.value for code in FunctionCode):
        raise InvalidMeterConfigError(
            f"{key}.function", f"{function}: only 3 (holding) and 4 (input) are reads"
        )
    try:
        return Register(
            address=_integer(f"{key}.address", entry.get("address")),
            function=FunctionCode(function),
            value_type=_choice(f"{key}.type", ValueType, entry.get("type")),
            word_order=_choice(
                f"{key}.word_order",
                WordOrder,
                entry.get("word_order", WordOrder.HIGH_FIRST.value),
            ),
            scale=_number(f"{key}.scale", entry.get("scale", 1.0)),
        )
    except InvalidMeterConfigError as err:
        if "." in err.field:
            raise
        raise InvalidMeterConfigError(f"{key}.{err.field}", err.reason) from err


def _register_as_dict(register: Register) -> dict[str, object]:
    return {
        "address": register.address,
        "function": int(register.function),
        "type": register.value_type.value,
        "word_order": register.word_order.value,
        "scale": register.scale,
    }


def _integer(field: str, value: object) -> int:
    # Config flows hand numbers over as int, float or text; bool is not a number.
    if isinstance(value, bool):
        raise InvalidMeterConfigError(field, f"{value!r} is not a whole number")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip(), 0)  # "0x5B00" works too
        except ValueError:
            pass
    raise InvalidMeterConfigError(field, f"{value!r} is not a whole number")


def _number(field: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidMeterConfigError(field, f"{value!r} is not a number")
    try:
        number = float(value)
    except ValueError:
        raise InvalidMeterConfigError(field, f"{value!r} is not a number") from None
    if not math.isfinite(number) or number == 0:
        raise InvalidMeterConfigError(field, f"{value!r} is not a usable factor")
    return number


def _choice[E: (ValueType, WordOrder)](field: str, kind: type[E], value: object) -> E:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return kind(value)
    allowed = ", ".join(member.value for member in kind)
    raise InvalidMeterConfigError(field, f"{value!r} is not one of {allowed}")
