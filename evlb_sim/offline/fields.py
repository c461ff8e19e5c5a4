"""Typed reads from a parsed scenario file, with errors that say where and why."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
import difflib
import math
from typing import cast

from .scenario import ScenarioError

_PHASE_NAMES = {"L1": 0, "L2": 1, "L3": 2}


class Section:
    """One mapping of the file; `where` names it in messages (e.g. `site`)."""

    def __init__(self, data: object, where: str, source: str) -> None:
        if not isinstance(data, Mapping):
            raise ScenarioError(f"{source}: {where or 'the file'} must be a mapping")
        self._data = cast("Mapping[str, object]", data)
        self.where = where
        self.source = source
        self._read: set[str] = set()

    def error(self, key: str, message: str) -> ScenarioError:
        """An error about `key` in this section."""
        path = f"{self.where}.{key}" if self.where else key
        return ScenarioError(f"{self.source}: {path}: {message}")

    def has(self, key: str) -> bool:
        """Whether the key is present (and not null)."""
        return self._data.get(key) is not None

    def raw(self, key: str) -> object:
        """The value as parsed, marked as read."""
        self._read.add(key)
        return self._data.get(key)

    def section(self, key: str, *, required: bool = True) -> Section:
        """A nested mapping."""
        value = self.raw(key)
        if value is None and not required:
            value = {}
        if value is None:
            raise self.error(key, "is missing")
        where = f"{self.where}.{key}" if self.where else key
        return Section(value, where, self.source)

    def number(
        self,
        key: str,
        default: float | None = None,
        *,
        minimum: float | None = None,
        positive: bool = False,
    ) -> float:
        """A finite number, optionally bounded."""
        value = self.raw(key)
        if value is None:
            if default is None:
                raise self.error(key, "is missing")
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(key, f"must be a number, not {value!r}")
        number = float(value)
        if not math.isfinite(number):
            raise self.error(key, "must be a finite number")
        if positive and number <= 0:
            raise self.error(key, f"must be positive, not {value}")
        if minimum is not None and number < minimum:
            raise self.error(key, f"must be at least {minimum:g}, not {value}")
        return number

    def optional_number(self, key: str, *, positive: bool = False) -> float | None:
        """A number or nothing."""
        return self.number(key, positive=positive) if self.has(key) else None

    def integer(self, key: str, default: int | None = None, *, minimum: int = 0) -> int:
        """A whole number of at least `minimum`."""
        value = self.raw(key)
        if value is None:
            if default is None:
                raise self.error(key, "is missing")
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"must be a whole number, not {value!r}")
        if value < minimum:
            raise self.error(key, f"must be at least {minimum}, not {value}")
        return value

    def flag(self, key: str, default: bool) -> bool:
        """true or false."""
        value = self.raw(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false, not {value!r}")
        return value

    def text(self, key: str, default: str | None = None) -> str:
        """A string."""
        value = self.raw(key)
        if value is None:
            if default is None:
                raise self.error(key, "is missing")
            return default
        if not isinstance(value, str):
            raise self.error(key, f"must be text, not {value!r}")
        return value

    def choice(self, key: str, options: Sequence[str], default: str | None) -> str:
        """One of `options`."""
        value = self.text(key, default)
        if value not in options:
            raise self.error(key, f"must be one of {', '.join(options)}, not {value!r}")
        return value

    def when(self, key: str, default: datetime | None = None) -> datetime:
        """A local date and time (ISO 8601, e.g. 2020-01-01T17:00)."""
        value = self.raw(key)
        if value is None and default is not None:
            return default
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        if not isinstance(value, str):
            raise self.error(
                key, f"must be a date and time like 2020-01-31T17:00, not {value!r}"
            )
        try:
            return datetime.fromisoformat(value).replace(tzinfo=None)
        except ValueError:
            raise self.error(
                key, f"must be a date and time like 2020-01-31T17:00, not {value!r}"
            ) from None

    def items(self, key: str, *, required: bool = True) -> list[object]:
        """A list (of anything)."""
        value = self.raw(key)
        if value is None and not required:
            return []
        if not isinstance(value, list):
            raise self.error(
                key, "must be a list" if value is not None else "is missing"
            )
        return cast("list[object]", value)

    def numbers(self, key: str, count: int | None = None) -> tuple[float, ...]:
        """A list of numbers, of a given length if `count` is set."""
        values = self.items(key)
        if count is not None and len(values) != count:
            raise self.error(key, f"needs {count} numbers, got {len(values)}")
        result: list[float] = []
        for value in values:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise self.error(key, f"must hold numbers, not {value!r}")
            result.append(float(value))
        return tuple(result)

    def phases(self, key: str, site_phases: int) -> tuple[int, ...]:
        """Site phases as L1/L2/L3 or 1-3, returned 0-based."""
        result: list[int] = []
        for value in self.items(key):
            if isinstance(value, str) and value.upper() in _PHASE_NAMES:
                phase = _PHASE_NAMES[value.upper()]
            elif (
                isinstance(value, int)
                and not isinstance(value, bool)
                and 1 <= value <= 3
            ):
                phase = value - 1
            else:
                raise self.error(key, f"phases are L1, L2, L3 (or 1-3), not {value!r}")
            if phase >= site_phases:
                raise self.error(key, f"the site has only {site_phases} phase(s)")
            result.append(phase)
        if not result:
            raise self.error(key, "needs at least one phase")
        return tuple(result)

    def finish(self) -> None:
        """Reject keys nobody read: most likely typos."""
        unknown = sorted(set(self._data) - self._read)
        if unknown:
            key = unknown[0]
            close = difflib.get_close_matches(key, sorted(self._read), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise self.error(key, f"unknown key{hint}")
