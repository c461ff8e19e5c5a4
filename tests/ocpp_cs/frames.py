"""Hypothesis strategies for OCPP-J frames a hostile or careless charger sends.

Every action of OCPP 1.6J and 2.0.1 (both directions: a charger may send a
CSMS's action too), built from the official JSON schemas the `ocpp` library
ships: payloads that pass the schema with hostile values in them (huge and
negative numbers, numbers in strings, absurd timestamps), payloads spoilt
on purpose (a field missing, one too many, a wrong type), and broken
framing. `make fuzz` runs the fuzz test long; `bench/fuzz.py` times them.
"""

from __future__ import annotations

from dataclasses import dataclass
import json
from typing import Any

from hypothesis import strategies as st

from custom_components.ev_load_balancer.ocpp_cs.const import OcppVersion
from custom_components.ev_load_balancer.ocpp_cs.wire import (
    known_actions,
    request_schema,
)

from .raw_charger import UNREADABLE

type Json = Any

# Numbers that broke, or could break, a reader of meter values.
HOSTILE_INTEGERS = (
    0,
    1,
    -1,
    16,
    2**31 - 1,
    2**31,
    -(2**31),
    2**53 + 1,
    2**63,
    -(2**63),
    10**15,
    10**400,
    -(10**400),
)
HOSTILE_FLOATS = (0.0, -0.0, 16.0, 230.0, 1e308, -1e308, 5e-324, 1e-300, 3.4e38)
HOSTILE_NUMBER_TEXTS = (
    "12.5",
    "230",
    "-16",
    "1e308",
    "-1e308",
    "1e400",
    "-1e400",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "0x10",
    "1_000",
    " 12 ",
    "9" * 401,
    "-0",
    "16.0",
    "",
)
TIMESTAMPS = (
    "2026-01-01T12:00:00Z",
    "2026-01-01T12:00:00.123+02:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-14:00",
    "yesterday",
    "",
)


@dataclass(frozen=True, slots=True)
class Frame:
    """What to send, and the message id its answer must carry (None: no
    answer is due, e.g. a stray CALLRESULT)."""

    text: str
    answer_id: str | None
    action: str | None = None


def actions_with_schemas(version: OcppVersion) -> list[str]:
    return [a for a in known_actions(version) if request_schema(version, a) is not None]


def _integers(node: dict[str, Any]) -> st.SearchStrategy[int]:
    low, high = node.get("minimum"), node.get("maximum")
    within = st.integers(
        min_value=None if low is None else int(low),
        max_value=None if high is None else int(high),
    )
    # Connector and EVSE 0 and 1 are where the balanced charger listens.
    return st.one_of(st.sampled_from((0, 1)), within, st.sampled_from(HOSTILE_INTEGERS))


def _strings(node: dict[str, Any]) -> st.SearchStrategy[str]:
    if node.get("format") == "date-time":
        return st.sampled_from(TIMESTAMPS)
    longest = int(node.get("maxLength", 50))
    return st.one_of(
        st.text(max_size=min(longest, 24)),
        st.sampled_from(HOSTILE_NUMBER_TEXTS).filter(lambda text: len(text) <= longest),
    )


def from_schema(
    node: dict[str, Any], root: dict[str, Any], depth: int = 0
) -> st.SearchStrategy[Json]:
    """Values that (mostly) pass the schema node; hostile where types allow."""
    if "$ref" in node:
        name = str(node["$ref"]).rsplit("/", 1)[-1]
        return from_schema(root["definitions"][name], root, depth)
    if "enum" in node:
        return st.sampled_from(list(node["enum"]))
    kind = node.get("type")
    if kind == "object":
        properties: dict[str, Any] = node.get("properties", {})
        required = [key for key in node.get("required", []) if key in properties]
        if depth > 6:
            optional: dict[str, Any] = {}
        else:
            optional = {
                key: from_schema(value, root, depth + 1)
                for key, value in properties.items()
                if key not in required
            }
        return st.fixed_dictionaries(
            {key: from_schema(properties[key], root, depth + 1) for key in required},
            optional=optional,
        )
    if kind == "array":
        least = int(node.get("minItems", 0))
        most = max(least, min(int(node.get("maxItems", 3)), 3))
        items = node.get("items", {})
        return st.lists(
            from_schema(items, root, depth + 1), min_size=least, max_size=most
        )
    if kind == "string":
        return _strings(node)
    if kind == "integer":
        return _integers(node)
    if kind == "number":
        return st.one_of(
            st.floats(allow_nan=False, allow_infinity=False),
            st.sampled_from(HOSTILE_FLOATS),
            st.sampled_from(HOSTILE_INTEGERS),
        )
    if kind == "boolean":
        return st.booleans()
    return _anything()


def _anything() -> st.SearchStrategy[Json]:
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.sampled_from(HOSTILE_INTEGERS),
        st.sampled_from(HOSTILE_FLOATS),
        st.sampled_from(HOSTILE_NUMBER_TEXTS),
        st.text(max_size=10),
    )
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=3),
            st.dictionaries(st.text(max_size=8), children, max_size=3),
        ),
        max_leaves=8,
    )


def _paths(value: Json, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            paths += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths += _paths(item, (*prefix, index))
    return paths


@st.composite
def _spoilt(draw: st.DrawFn, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with one thing wrong: a field dropped, added or retyped."""
    spoilt: dict[str, Any] = json.loads(json.dumps(payload))
    paths = _paths(spoilt)
    how = draw(st.sampled_from(("extra", "drop", "retype") if paths else ("extra",)))
    if how == "extra":
        spoilt[draw(st.text(min_size=1, max_size=12))] = draw(_anything())
        return spoilt
    path = draw(st.sampled_from(paths))
    parent = spoilt
    for step in path[:-1]:
        parent = parent[step]
    if how == "drop":
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(_anything())
    return spoilt


def payloads(version: OcppVersion, action: str) -> st.SearchStrategy[dict[str, Any]]:
    """Request payloads of one action: within the schema, or one thing off."""
    schema = request_schema(version, action)
    assert schema is not None
    within: st.SearchStrategy[dict[str, Any]] = from_schema(schema, schema)
    return st.one_of(within, within.flatmap(_spoilt))


_ids = st.integers(min_value=0, max_value=10**9).map(lambda n: f"f{n}")


# What a charger sends and the server acts on: drawn as often as all others.
ROUTED = {
    OcppVersion.V16: (
        "BootNotification",
        "StatusNotification",
        "StartTransaction",
        "StopTransaction",
        "MeterValues",
        "Authorize",
    ),
    OcppVersion.V201: (
        "BootNotification",
        "StatusNotification",
        "TransactionEvent",
        "MeterValues",
        "Authorize",
    ),
}


def call_frames(version: OcppVersion) -> st.SearchStrategy[Frame]:
    """CALLs of every action of the version."""

    def frame_of(action: str) -> st.SearchStrategy[Frame]:
        return st.builds(
            lambda message_id, payload: Frame(
                json.dumps([2, message_id, action, payload]), message_id, action
            ),
            _ids,
            payloads(version, action),
        )

    actions = st.one_of(
        st.sampled_from(ROUTED[version]),
        st.sampled_from(actions_with_schemas(version)),
    )
    return actions.flatmap(frame_of)


BROKEN_FRAMES = (
    Frame("this is not json", UNREADABLE),
    Frame('[2, "b1", "Heartbeat", {', UNREADABLE),
    Frame("[2]", UNREADABLE),
    Frame("[]", UNREADABLE),
    Frame("{}", UNREADABLE),
    Frame("null", UNREADABLE),
    Frame('[2, 17, "Heartbeat", {}]', UNREADABLE),
    Frame('[2, "' + "i" * 37 + '", "Heartbeat", {}]', UNREADABLE),
    Frame('[2, "n1", "Heartbeat", {"x": NaN}]', UNREADABLE),
    Frame('[2, "n2", "Heartbeat", {"x": Infinity}]', UNREADABLE),
    Frame('[2, "d1", "Heartbeat", {"x": 1e400}]', "d1"),
    Frame('[2, "d2", "Heartbeat", {"x": ' + "9" * 5000 + "}]", UNREADABLE),
    Frame("[" * 5000 + "]" * 5000, UNREADABLE),
    Frame('[2, "a1", "FlyToTheMoon", {}]', "a1"),
    Frame('[2, "a2", 7, {}]', "a2"),
    Frame('[2, "a3", "Heartbeat", []]', "a3"),
    Frame('[7, "a4", {}]', "a4"),
    Frame('[3, "nobody-asked", {}]', None),
    Frame('[4, "nobody-asked", "GenericError", "x", {}]', None),
    Frame('[3, "r1", {"x": ' + "9" * 401 + "}]", None),
    # Found by the fuzzer: multipleOf 0.1 of a huge limit (a Decimal schema)
    # raised decimal.InvalidOperation and dropped the connection.
    Frame(
        '[2,"p1","SetChargingProfile",{"connectorId":1,"csChargingProfiles":'
        '{"chargingProfileId":1,"stackLevel":0,"chargingProfilePurpose":'
        '"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":'
        '{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,'
        '"limit":5.3305753723218695e+191}]}}}]',
        "p1",
        "SetChargingProfile",
    ),
)

# Issue #12's numbered defects, as frames (1.6 unless said).
NUMBERED_CASES = (
    # 1: an energy register of 1e308 kWh
    Frame(
        '[2,"c1","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":'
        '"2026-01-01T12:00:00Z","sampledValue":[{"value":"1e308","measurand":'
        '"Energy.Active.Import.Register","unit":"kWh"}]}]}]',
        "c1",
        "MeterValues",
    ),
    # 2: power of -1e308 W and a negative current
    Frame(
        '[2,"c2","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":'
        '"2026-01-01T12:00:00Z","sampledValue":[{"value":"-1e308","measurand":'
        '"Power.Active.Import","unit":"W"},{"value":"-16","measurand":'
        '"Current.Import","phase":"L1","unit":"A"}]}]}]',
        "c2",
        "MeterValues",
    ),
    # 3: a 401-digit meterStart
    Frame(
        '[2,"c3","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":'
        + "9" * 401
        + ',"timestamp":"2026-01-01T12:00:00Z"}]',
        "c3",
        "StartTransaction",
    ),
    # 4: a stop for a transaction nobody gave out, with an absurd meter value
    Frame(
        '[2,"c4","StopTransaction",{"transactionId":424242,"meterStop":'
        '1000000000000000,"timestamp":"2026-01-01T12:00:00Z"}]',
        "c4",
        "StopTransaction",
    ),
    Frame(
        '[2,"c5","StopTransaction",{"transactionId":424243,"meterStop":5,'
        '"timestamp":"2026-01-01T12:00:00Z"}]',
        "c5",
        "StopTransaction",
    ),
)


def frames(version: OcppVersion) -> st.SearchStrategy[Frame]:
    """Anything a charger of this version may send."""
    return st.one_of(
        call_frames(version),
        st.sampled_from(BROKEN_FRAMES),
        st.text(max_size=40).map(lambda text: Frame(text, None)),
    )
