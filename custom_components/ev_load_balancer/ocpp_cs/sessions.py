"""Charging sessions for energy accounting: in memory, dumped to JSON, CSV export.

The log also keeps each charger's energy register (energy_register.py), so
that the energy counted survives a restart with the sessions it belongs to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
import csv
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
import io
import time

from ..listeners import Listeners
from .energy_register import EnergyRegister
from .wire import Json, JsonObject

_DUMP_VERSION = 1
# A session still open when a new one starts on its connector ended unseen.
SUPERSEDED = "Superseded"
# Pruning takes the log down to this share of its bound, not one at a time.
_PRUNE_TO = 0.9
_CSV_FIELDS = (
    "charger_id",
    "transaction_id",
    "connector_id",
    "id_tag",
    "started_at",
    "stopped_at",
    "meter_start_kwh",
    "meter_stop_kwh",
    "energy_kwh",
    "stop_reason",
)
# Spreadsheets run cells starting with these as formulas (CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionRecord:
    """One transaction; stopped_at is None while it runs."""

    charger_id: str
    transaction_id: str
    connector_id: int
    id_tag: str | None
    started_at: float  # epoch seconds
    meter_start_wh: float | None
    stopped_at: float | None = None
    meter_stop_wh: float | None = None
    stop_reason: str | None = None

    @property
    def energy_kwh(self) -> float | None:
        """Energy delivered, once both meter readings are known."""
        if self.meter_start_wh is None or self.meter_stop_wh is None:
            return None
        return max(0.0, self.meter_stop_wh - self.meter_start_wh) / 1000.0

    def as_dict(self) -> JsonObject:
        """JSON form for persistence."""
        return dict(asdict(self))

    @classmethod
    def from_dict(cls, data: JsonObject) -> SessionRecord:
        """Restore from `as_dict`; raise ValueError for damaged data."""
        try:
            return cls(
                charger_id=str(data["charger_id"]),
                transaction_id=str(data["transaction_id"]),
                connector_id=int(_number(data["connector_id"])),
                id_tag=_optional_str(data.get("id_tag")),
                started_at=_number(data["started_at"]),
                meter_start_wh=_optional_number(data.get("meter_start_wh")),
                stopped_at=_optional_number(data.get("stopped_at")),
                meter_stop_wh=_optional_number(data.get("meter_stop_wh")),
                stop_reason=_optional_str(data.get("stop_reason")),
            )
        except KeyError as err:
            raise ValueError(f"session record lacks {err}") from err


def _number(value: Json) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"not a number: {value!r}")
    return float(value)


def _optional_number(value: Json) -> float | None:
    return None if value is None else _number(value)


def _optional_str(value: Json) -> str | None:
    return None if value is None else str(value)


def _iso(epoch: float | None) -> str:
    if epoch is None:
        return ""
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


def _kwh(wh: float | None) -> str:
    return "" if wh is None else f"{wh / 1000.0:.3f}"


def _cell(text: str | None) -> str:
    if not text:
        return ""
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


type PruneSink = Callable[[tuple[SessionRecord, ...]], None]


class SessionLog:
    """Sessions of every charger, newest last, bounded in number.

    Beyond the bound the oldest records are handed to `on_prune` (HA exports
    them to a file) before they are dropped.
    """

    def __init__(
        self, *, max_records: int = 10_000, on_prune: PruneSink | None = None
    ) -> None:
        self._records: list[SessionRecord] = []
        self._max_records = max_records
        self.on_prune = on_prune
        self._registers: dict[str, EnergyRegister] = {}
        # OCPP 1.6 transaction ids are ours to give: integers, unique over
        # restarts; seeding from the clock keeps them unique without storage.
        self._next_transaction_id = int(time.time())
        self._listeners = Listeners()

    @property
    def records(self) -> tuple[SessionRecord, ...]:
        """Every record, oldest first."""
        return tuple(self._records)

    def add_listener(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call `callback` after every change (HA saves the dump then)."""
        return self._listeners.add(callback)

    def next_transaction_id(self) -> int:
        """A new OCPP 1.6 transaction id (fits a signed 32-bit integer)."""
        transaction_id = self._next_transaction_id
        self._next_transaction_id = (
            transaction_id + 1 if transaction_id < 2**31 - 1 else 1
        )
        return transaction_id

    def active(self, charger_id: str) -> SessionRecord | None:
        """The running session of a charger, if any."""
        for record in reversed(self._records):
            if record.charger_id == charger_id and record.stopped_at is None:
                return record
        return None

    def register(self, charger_id: str) -> EnergyRegister:
        """The charger's energy register (a new one for a new charger)."""
        return self._registers.setdefault(charger_id, EnergyRegister())

    def start(self, record: SessionRecord) -> None:
        """Record a session that began (a repeated start replaces the first).

        A connector has one open session: one still open there ended unseen.
        """
        kept: list[SessionRecord] = []
        for existing in self._records:
            if existing.charger_id != record.charger_id:
                kept.append(existing)
            elif existing.transaction_id == record.transaction_id:
                continue
            elif existing.stopped_at is None and (
                existing.connector_id == record.connector_id
            ):
                kept.append(
                    replace(
                        existing,
                        stopped_at=max(existing.started_at, record.started_at),
                        stop_reason=SUPERSEDED,
                    )
                )
            else:
                kept.append(existing)
        kept.append(record)
        self._records = kept
        self._prune()
        self._listeners.notify()

    def _prune(self) -> None:
        if len(self._records) <= self._max_records:
            return
        keep = max(1, int(self._max_records * _PRUNE_TO))
        pruned = tuple(self._records[:-keep])
        if self.on_prune is not None:
            self.on_prune(pruned)
        del self._records[:-keep]

    def stop(
        self,
        charger_id: str,
        transaction_id: str,
        *,
        stopped_at: float,
        meter_stop_wh: float | None,
        reason: str | None,
    ) -> SessionRecord | None:
        """Close a session; one we never saw start is not ours (None)."""
        for index in range(len(self._records) - 1, -1, -1):
            record = self._records[index]
            if (record.charger_id, record.transaction_id) == (
                charger_id,
                transaction_id,
            ):
                stopped = replace(
                    record,
                    stopped_at=stopped_at,
                    meter_stop_wh=meter_stop_wh,
                    stop_reason=reason,
                )
                self._records[index] = stopped
                self._listeners.notify()
                return stopped
        return None

    def find(self, charger_id: str, transaction_id: str) -> SessionRecord | None:
        """The record of one transaction, if we have it."""
        for record in reversed(self._records):
            if (record.charger_id, record.transaction_id) == (
                charger_id,
                transaction_id,
            ):
                return record
        return None

    def dump(self) -> JsonObject:
        """Everything needed to continue after a restart, as JSON."""
        return {
            "version": _DUMP_VERSION,
            "next_transaction_id": self._next_transaction_id,
            "records": [record.as_dict() for record in self._records],
            "registers": {
                charger_id: register.as_dict()
                for charger_id, register in self._registers.items()
            },
        }

    def load(self, data: JsonObject) -> None:
        """Restore a dump; damaged records are skipped, not fatal."""
        records: list[SessionRecord] = []
        raw_records = data.get("records")
        for raw in raw_records if isinstance(raw_records, list) else []:
            if isinstance(raw, dict):
                try:
                    records.append(SessionRecord.from_dict(raw))
                except ValueError:
                    continue
        self._records = records[-self._max_records :]
        raw_registers = data.get("registers")
        for charger_id, raw in (
            raw_registers.items() if isinstance(raw_registers, dict) else ()
        ):
            if isinstance(raw, dict):
                try:
                    self._registers[charger_id] = EnergyRegister.from_dict(raw)
                except ValueError:
                    continue
        stored_next = data.get("next_transaction_id")
        if isinstance(stored_next, int) and not isinstance(stored_next, bool):
            self._next_transaction_id = max(self._next_transaction_id, stored_next)

    def to_csv(self, records: Iterable[SessionRecord] | None = None) -> str:
        """The sessions (default: all) as CSV with one header row."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(_CSV_FIELDS)
        for record in self._records if records is None else records:
            energy = record.energy_kwh
            writer.writerow(
                (
                    _cell(record.charger_id),
                    _cell(record.transaction_id),
                    record.connector_id,
                    _cell(record.id_tag),
                    _iso(record.started_at),
                    _iso(record.stopped_at),
                    _kwh(record.meter_start_wh),
                    _kwh(record.meter_stop_wh),
                    "" if energy is None else f"{energy:.3f}",
                    _cell(record.stop_reason),
                )
            )
        return buffer.getvalue()
