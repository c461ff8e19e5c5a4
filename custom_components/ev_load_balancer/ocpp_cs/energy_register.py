"""A charger's import register as we count it: it only moves forward.

Chargers report the reading of their energy meter. It can go backwards: a
small step when a charger rounds differently (Wh in one message, kWh in the
next) or sends a reading it queued while offline, a big one when the meter
is replaced or reset. A step back is held (the total stays where it was); a
fall to less than half is a new register, counted on from the old total. The
total never decreases, a session's energy is its end total minus its start
total, and a total beyond the plausible range is never reached.

Readings come from the balanced connector or, until it reports its own, from
the whole station (connector/EVSE 0): on the first reading of the connector
the count goes on from the station's total, never back to the connector's
smaller number.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import math

from .plausibility import Quantity, plausible
from .wire import Json, JsonObject

# A reading below this fraction of the last one, and this much lower, is a
# new register, not rounding (under-counting while a new register catches up
# beats counting twice).
RESET_FRACTION = 0.5
RESET_MIN_DROP_WH = 100.0


class MeterSource(StrEnum):
    """Where a register reading comes from."""

    CONNECTOR = "connector"  # the balanced connector (EVSE) itself
    STATION = "station"  # the whole charger (connector/EVSE 0)


@dataclass(slots=True)
class EnergyRegister:
    """Total import energy of one charger, in Wh, across register resets."""

    offset_wh: float = 0.0  # total minus the present register's reading
    raw_wh: float | None = None  # the newest reading of the present register
    source: MeterSource | None = None
    resets: int = 0

    @property
    def total_wh(self) -> float | None:
        """The energy counted so far; None before the first reading."""
        return None if self.raw_wh is None else self.offset_wh + self.raw_wh

    def read(
        self, raw_wh: float, source: MeterSource = MeterSource.CONNECTOR
    ) -> float | None:
        """Take a plausible reading; the total it makes (None: not taken)."""
        total = self.total_wh
        if total is not None and source is not self.source:
            if source is MeterSource.STATION:
                return None  # the connector's own meter wins
            self.offset_wh, self.raw_wh, self.source = total - raw_wh, raw_wh, source
            return total
        offset = self.offset_wh
        if self.raw_wh is not None and raw_wh < self.raw_wh:
            drop = self.raw_wh - raw_wh
            if raw_wh >= RESET_FRACTION * self.raw_wh or drop < RESET_MIN_DROP_WH:
                return total  # held
            offset += self.raw_wh
        new_total = plausible(Quantity.ENERGY, offset + raw_wh)
        if new_total is None:
            return None
        if offset != self.offset_wh:
            self.resets += 1
        self.offset_wh, self.raw_wh, self.source = offset, raw_wh, source
        return new_total

    def as_dict(self) -> JsonObject:
        """JSON form for persistence."""
        return {
            "offset_wh": self.offset_wh,
            "raw_wh": self.raw_wh,
            "source": None if self.source is None else self.source.value,
            "resets": self.resets,
        }

    @classmethod
    def from_dict(cls, data: JsonObject) -> EnergyRegister:
        """Restore from `as_dict`; raise ValueError for damaged data."""
        raw = data.get("raw_wh")
        source = data.get("source")
        resets = data.get("resets", 0)
        register = cls(
            offset_wh=_number(data.get("offset_wh")),
            raw_wh=None if raw is None else _number(raw),
            source=MeterSource(source) if isinstance(source, str) else None,
            resets=resets if isinstance(resets, int) else 0,
        )
        total = register.total_wh
        if total is not None and plausible(Quantity.ENERGY, total) is None:
            raise ValueError("damaged energy register")
        return register


def _number(value: Json) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"not a number: {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    return float(value)
