"""A simulated Modbus meter: its registers and how it answers.

A test, the benchmark or the demo changes the registers while a server
(modbus_server.py) serves them; every request the meter answers is logged,
so tests can count requests and check their sizes. The meter can be made
silent (no answer at all, as a meter that lost power behind a gateway), can
refuse reads beyond its per-read limit, and can answer for chosen unit ids only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
import math
import struct

from custom_components.ev_load_balancer.meter.registers import (
    Register,
    RegisterMap,
    ValueType,
    WordOrder,
)

ILLEGAL_FUNCTION = 0x01
ILLEGAL_ADDRESS = 0x02
ILLEGAL_VALUE = 0x03


@dataclass(frozen=True, slots=True)
class Request:
    """One read request as the server saw it."""

    unit: int
    function: int
    address: int
    count: int


class NoSuchUnitError(Exception):
    """Raised into pymodbus to make it stay silent (ignore_missing_*)."""


@dataclass
class SimulatedMeter:
    """Register contents and behaviour of one simulated meter."""

    unit_ids: set[int] = field(default_factory=lambda: {1})
    functions: set[int] = field(default_factory=lambda: {3, 4})
    max_registers_per_read: int = 125
    listed_only: bool = False  # refuse reads touching registers never set
    silent: bool = False
    words: dict[tuple[int, int], int] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)  # the ones answered
    on_request: Callable[[], None] | None = None  # called for every request
    # Hold the next answer back until another request comes in, then send it
    # first: a late answer arriving while the client waits for a newer one.
    hold_next_answer: bool = False
    _release: asyncio.Event | None = None  # set by the next request
    _released: asyncio.Event | None = None  # set once the held answer is out

    def hear(self, unit: int) -> None:
        """A request arrived for `unit`; raises to leave it unanswered."""
        if self.on_request is not None:
            self.on_request()
        if self._release is not None:
            self._release.set()
        if self.silent or unit not in self.unit_ids:
            raise NoSuchUnitError(unit)

    def answer(
        self, unit: int, function: int, address: int, count: int
    ) -> list[int] | int:
        """The words to send, or a Modbus exception code."""
        self.requests.append(Request(unit, function, address, count))
        if function not in self.functions:
            return ILLEGAL_FUNCTION
        if count > self.max_registers_per_read:
            return ILLEGAL_VALUE
        span = range(address, address + count)
        if self.listed_only and any((function, a) not in self.words for a in span):
            return ILLEGAL_ADDRESS
        return [self.words.get((function, a), 0) for a in span]

    @property
    def holding_an_answer(self) -> bool:
        return self._release is not None

    async def wait_before_answering(self) -> None:
        if self._release is not None and self._release.is_set():
            assert self._released is not None
            await self._released.wait()  # the held (stale) answer goes first
        elif self.hold_next_answer:
            self.hold_next_answer = False
            self._release, self._released = asyncio.Event(), asyncio.Event()
            try:
                await self._release.wait()
            finally:
                released, self._release, self._released = self._released, None, None
                # Waiters run after this task has sent its answer.
                released.set()

    def set_words(self, function: int, address: int, words: Iterable[int]) -> None:
        for offset, word in enumerate(words):
            self.words[(function, address + offset)] = word

    def set_register(self, register: Register, value: float) -> None:
        """Store `value` (V, A, W, kWh) as the meter would encode it."""
        self.set_words(
            int(register.function), register.address, encode(register, value)
        )

    def serve(
        self,
        register_map: RegisterMap,
        *,
        current: Sequence[float],
        voltage: Sequence[float] | None = None,
        power: Sequence[float] | None = None,
        total_power: float | None = None,
        energy: float | None = None,
    ) -> None:
        """Set the meter's per-phase values through its register map."""
        for registers, values in (
            (register_map.current, current),
            (register_map.voltage, voltage),
            (register_map.power, power),
        ):
            if registers is not None and values is not None:
                for register, value in zip(registers, values, strict=True):
                    self.set_register(register, value)
        if register_map.power_total is not None and total_power is not None:
            self.set_register(register_map.power_total, total_power)
        if register_map.energy_import is not None and energy is not None:
            self.set_register(register_map.energy_import, energy)


_FORMATS = {
    ValueType.FLOAT32: ">f",
    ValueType.INT32: ">i",
    ValueType.UINT32: ">I",
    ValueType.INT16: ">h",
    ValueType.UINT16: ">H",
    ValueType.UINT64: ">Q",
}


def encode(register: Register, value: float) -> list[int]:
    """Words of `value` as a meter sends them (the tests' own encoder)."""
    if register.value_type is ValueType.FLOAT32:
        raw: float | int = value / register.scale if math.isfinite(value) else value
    else:
        raw = round(value / register.scale)
    packed = struct.pack(_FORMATS[register.value_type], raw)
    words = [int.from_bytes(packed[i : i + 2], "big") for i in range(0, len(packed), 2)]
    return words if register.word_order is WordOrder.HIGH_FIRST else words[::-1]
