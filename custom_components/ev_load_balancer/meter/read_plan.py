"""Group a map's registers into as few requests as the meter allows.

Worked out once per map (cached): a poll only walks the blocks. Registers are
joined while the block stays within the meter's per-read limit and the unused
registers between two values stay within the map's `max_gap`. Starting each
block at the lowest register not yet covered gives the fewest blocks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from itertools import groupby
from types import MappingProxyType

from .registers import FunctionCode, Register, RegisterMap


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadBlock:
    """One request: `count` registers from `address` with `function`."""

    function: FunctionCode
    address: int
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadPlan:
    """The requests of one poll and where each register's words land."""

    blocks: tuple[ReadBlock, ...]
    # register -> (index of its block, offset of its first word in that block)
    locations: Mapping[Register, tuple[int, int]]

    def words(self, register: Register, block_words: list[list[int]]) -> list[int]:
        """The words of one register, cut out of the blocks' answers."""
        block, offset = self.locations[register]
        return block_words[block][offset : offset + register.count]


@cache
def plan_reads(register_map: RegisterMap, *, with_total_power: bool) -> ReadPlan:
    """The fewest requests covering the map's live registers (and total power)."""
    registers = (
        register_map.all_registers()
        if with_total_power
        else register_map.live_registers()
    )
    ordered = sorted(set(registers), key=lambda r: (r.function, r.address, r.count))
    groups: list[list[Register]] = []
    for _function, same_function in groupby(ordered, key=lambda r: r.function):
        group: list[Register] = []
        start = end = 0
        for register in same_function:
            joins = (
                register.address - end <= register_map.max_gap
                and max(end, register.end) - start
                <= register_map.max_registers_per_read
            )
            if group and not joins:
                groups.append(group)
                group = []
            if not group:
                start = end = register.address
            group.append(register)
            end = max(end, register.end)
        groups.append(group)
    blocks: list[ReadBlock] = []
    locations: dict[Register, tuple[int, int]] = {}
    for group in groups:
        start = group[0].address
        for register in group:
            locations[register] = (len(blocks), register.address - start)
        count = max(register.end for register in group) - start
        blocks.append(ReadBlock(function=group[0].function, address=start, count=count))
    return ReadPlan(blocks=tuple(blocks), locations=MappingProxyType(locations))
