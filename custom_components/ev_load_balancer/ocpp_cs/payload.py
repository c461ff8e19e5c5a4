"""Typed reads from JSON payloads and OCPP timestamps.

Payloads from chargers are schema-validated, but we still read them without
trusting types: a wrong type gives None, never an exception.
"""

from __future__ import annotations

from datetime import UTC, datetime
import math

from .wire import Json, JsonObject


def as_str(value: Json) -> str | None:
    """The value if it is a string."""
    return value if isinstance(value, str) else None


def as_int(value: Json) -> int | None:
    """The value if it is an integer (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def as_float(value: Json) -> float | None:
    """The value if it is a number (not a bool); an integer too big for a
    float reads as an infinity of its sign, which no range check lets pass."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return float(value)
    except OverflowError:
        return math.copysign(math.inf, value)


def as_object(value: Json) -> JsonObject | None:
    """The value if it is a JSON object."""
    return value if isinstance(value, dict) else None


def as_list(value: Json) -> list[Json]:
    """The value if it is a list, else an empty list."""
    return value if isinstance(value, list) else []


def path(payload: JsonObject, *keys: str) -> Json:
    """The value at nested keys, or None when any step is missing."""
    value: Json = payload
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def utc_now_iso() -> str:
    """Now as OCPP writes time: RFC 3339 in UTC."""
    return to_iso(datetime.now(UTC))


def to_iso(moment: datetime) -> str:
    """A datetime as OCPP writes it."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# A charger's clock outside these years is wrong, not a time to record.
_PLAUSIBLE_YEARS = (2000, 2100)


def parse_time(value: Json) -> float | None:
    """An OCPP timestamp as epoch seconds, or None (also for an absurd year)."""
    text = as_str(value)
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if not _PLAUSIBLE_YEARS[0] <= moment.year <= _PLAUSIBLE_YEARS[1]:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
