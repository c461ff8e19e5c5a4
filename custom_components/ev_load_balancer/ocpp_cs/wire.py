"""OCPP-J framing and JSON-schema validation.

This is the one module that imports the `ocpp` library, which ships no type
information: it lends us the official JSON schemas and the list of actions
each version knows. Framing is ours, so that every malformed frame gets the
CALLERROR the specification asks for and the connection stays up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
import decimal
from enum import IntEnum, StrEnum
import json
import math
from typing import Protocol, cast

from ocpp.messages import get_validator  # type: ignore[import-untyped]
from ocpp.v16.enums import Action as _ActionV16  # type: ignore[import-untyped]
from ocpp.v201.enums import Action as _ActionV201  # type: ignore[import-untyped]

from .const import OcppVersion

type Json = str | int | float | bool | list[Json] | dict[str, Json] | None
type JsonObject = dict[str, Json]

# OCPP-J: a message id is at most 36 characters; "-1" answers an unreadable one.
MAX_MESSAGE_ID_LENGTH = 36
UNREADABLE_MESSAGE_ID = "-1"


class MessageType(IntEnum):
    """The first element of every OCPP-J frame."""

    CALL = 2
    CALL_RESULT = 3
    CALL_ERROR = 4


class ErrorCode(StrEnum):
    """CALLERROR codes by meaning; `on_wire` spells them per version."""

    FORMAT_VIOLATION = "FormatViolation"
    GENERIC_ERROR = "GenericError"
    INTERNAL_ERROR = "InternalError"
    MESSAGE_TYPE_NOT_SUPPORTED = "MessageTypeNotSupported"
    NOT_IMPLEMENTED = "NotImplemented"
    NOT_SUPPORTED = "NotSupported"
    OCCURRENCE_CONSTRAINT_VIOLATION = "OccurrenceConstraintViolation"
    PROPERTY_CONSTRAINT_VIOLATION = "PropertyConstraintViolation"
    PROTOCOL_ERROR = "ProtocolError"
    RPC_FRAMEWORK_ERROR = "RpcFrameworkError"
    SECURITY_ERROR = "SecurityError"
    TYPE_CONSTRAINT_VIOLATION = "TypeConstraintViolation"

    def on_wire(self, version: OcppVersion) -> str:
        """The code as the given version spells it (1.6 kept two typos)."""
        if version is OcppVersion.V16:
            return _V16_SPELLING.get(self, self.value)
        return self.value


_V16_SPELLING = {
    ErrorCode.FORMAT_VIOLATION: "FormationViolation",
    ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION: "OccurenceConstraintViolation",
    ErrorCode.RPC_FRAMEWORK_ERROR: "FormationViolation",
    ErrorCode.MESSAGE_TYPE_NOT_SUPPORTED: "ProtocolError",
}

# JSON-schema keyword that failed -> the OCPP error that names it.
_SCHEMA_KEYWORD_ERRORS = {
    "type": ErrorCode.TYPE_CONSTRAINT_VIOLATION,
    "additionalProperties": ErrorCode.FORMAT_VIOLATION,
    "required": ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION,
    "minItems": ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION,
    "maxItems": ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION,
}


class OcppError(Exception):
    """A failure to report to the peer as a CALLERROR."""

    def __init__(
        self,
        code: ErrorCode,
        description: str,
        *,
        message_id: str = UNREADABLE_MESSAGE_ID,
    ) -> None:
        super().__init__(f"{code}: {description}")
        self.code = code
        self.description = description
        self.message_id = message_id


@dataclass(frozen=True, slots=True)
class CallFrame:
    """A request."""

    message_id: str
    action: str
    payload: JsonObject


@dataclass(frozen=True, slots=True)
class ResultFrame:
    """A successful answer to one of our requests."""

    message_id: str
    payload: JsonObject


@dataclass(frozen=True, slots=True)
class ErrorFrame:
    """A failed answer to one of our requests."""

    message_id: str
    code: str
    description: str


type Frame = CallFrame | ResultFrame | ErrorFrame


def _refuse_constant(name: str) -> Json:
    # NaN and Infinity are not JSON; a NaN current would poison the balancer.
    raise ValueError(f"{name} is not a JSON number")


def decode_frame(text: str) -> Frame:
    """Parse one frame; raise OcppError naming what is wrong with it."""
    try:
        message = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as err:
        raise OcppError(ErrorCode.RPC_FRAMEWORK_ERROR, "not valid JSON") from err
    if not isinstance(message, list) or len(message) < 3:
        raise OcppError(ErrorCode.RPC_FRAMEWORK_ERROR, "not an OCPP-J array")
    type_id, message_id = message[0], message[1]
    if not isinstance(message_id, str) or not message_id:
        raise OcppError(ErrorCode.RPC_FRAMEWORK_ERROR, "message id unreadable")
    if len(message_id) > MAX_MESSAGE_ID_LENGTH:
        raise OcppError(ErrorCode.RPC_FRAMEWORK_ERROR, "message id too long")
    if type_id == MessageType.CALL and len(message) == 4:
        action, payload = message[2], message[3]
        if isinstance(action, str) and isinstance(payload, dict):
            return CallFrame(message_id, action, payload)
        raise OcppError(
            ErrorCode.FORMAT_VIOLATION, "malformed CALL", message_id=message_id
        )
    if type_id == MessageType.CALL_RESULT and len(message) == 3:
        if isinstance(message[2], dict):
            return ResultFrame(message_id, message[2])
    elif type_id == MessageType.CALL_ERROR and len(message) in (4, 5):
        code, description = message[2], message[3]
        return ErrorFrame(message_id, str(code), str(description))
    elif type_id not in tuple(MessageType):
        raise OcppError(
            ErrorCode.MESSAGE_TYPE_NOT_SUPPORTED,
            "unknown message type",
            message_id=message_id,
        )
    raise OcppError(
        ErrorCode.FORMAT_VIOLATION, "malformed frame", message_id=message_id
    )


def _encode(message: list[Json]) -> str:
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False)


def encode_call(message_id: str, action: str, payload: JsonObject) -> str:
    """A CALL frame."""
    return _encode([MessageType.CALL.value, message_id, action, payload])


def encode_result(message_id: str, payload: JsonObject) -> str:
    """A CALLRESULT frame."""
    return _encode([MessageType.CALL_RESULT.value, message_id, payload])


def encode_error(version: OcppVersion, error: OcppError) -> str:
    """A CALLERROR frame; the description is cut to the 255 characters allowed."""
    return _encode(
        [
            MessageType.CALL_ERROR.value,
            error.message_id,
            error.code.on_wire(version),
            error.description[:255],
            {},
        ]
    )


def is_known_action(version: OcppVersion, action: str) -> bool:
    """Whether the action exists in this version of OCPP at all."""
    actions = _ActionV16 if version is OcppVersion.V16 else _ActionV201
    try:
        actions(action)
    except ValueError:
        return False
    return True


class _SchemaError(Protocol):
    validator: str
    message: str


class _Validator(Protocol):
    schema: JsonObject

    def iter_errors(self, instance: object) -> Iterator[_SchemaError]: ...


# The library parses these 1.6 schemas with Decimal (their limits are multiples
# of 0.1, which binary floats fail); we must load them the same way, since the
# library caches one validator per schema for the whole process.
_DECIMAL_SCHEMAS = {
    (MessageType.CALL, "SetChargingProfile"),
    (MessageType.CALL, "RemoteStartTransaction"),
    (MessageType.CALL_RESULT, "GetCompositeSchedule"),
}


def _uses_decimal(version: OcppVersion, kind: MessageType, action: str) -> bool:
    return version is OcppVersion.V16 and (kind, action) in _DECIMAL_SCHEMAS


def _validator(version: OcppVersion, kind: MessageType, action: str) -> _Validator:
    """The cached validator; the first use reads the schema file (see preload)."""
    if _uses_decimal(version, kind, action):
        validator = get_validator(
            kind.value, action, version.schema_version, parse_float=decimal.Decimal
        )
    else:
        validator = get_validator(kind.value, action, version.schema_version)
    return cast("_Validator", validator)


def request_schema(version: OcppVersion, action: str) -> JsonObject | None:
    """The JSON schema of an action's request (None: there is none).

    Read through the one cached validator, so that nothing else loads the
    schema differently (see _DECIMAL_SCHEMAS).
    """
    try:
        schema: JsonObject = _validator(version, MessageType.CALL, action).schema
    except OSError:
        return None
    return schema


def known_actions(version: OcppVersion) -> list[str]:
    """Every action this version defines."""
    actions = _ActionV16 if version is OcppVersion.V16 else _ActionV201
    return [str(action.value) for action in actions]


def preload_schemas() -> None:
    """Read every schema of both versions up front (blocking: run it in an
    executor), so that no schema file is opened in the event loop later."""
    for version in OcppVersion:
        for action in known_actions(version):
            for kind in (MessageType.CALL, MessageType.CALL_RESULT):
                try:
                    _validator(version, kind, action)
                except OSError:
                    continue  # no such schema; validation will say so


# OCPP integers are 32-bit and its decimals doubles; JSON allows any number.
# Beyond 64 bits (or a literal like 1e400, which reads as infinity) nothing
# can be meant: the type is violated, whatever the field.
_INTEGER_LIMIT = 2**63


def _unrepresentable_number(payload: JsonObject) -> bool:
    """Whether any number in the payload is too big for what OCPP carries."""
    stack: list[Json] = [payload]
    while stack:  # not recursive: a deeply nested payload is no danger
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int):
            if not -_INTEGER_LIMIT < value < _INTEGER_LIMIT:
                return True
        elif isinstance(value, float) and not math.isfinite(value):
            return True
    return False


def _validate(
    version: OcppVersion, kind: MessageType, action: str, payload: JsonObject
) -> None:
    if _unrepresentable_number(payload):
        raise OcppError(
            ErrorCode.TYPE_CONSTRAINT_VIOLATION, f"{action}: a number is out of range"
        )
    try:
        validator = _validator(version, kind, action)
    except OSError as err:
        raise OcppError(ErrorCode.NOT_SUPPORTED, f"no schema for {action}") from err
    instance: object = payload
    if _uses_decimal(version, kind, action):
        instance = json.loads(json.dumps(payload), parse_float=decimal.Decimal)
    try:
        error = next(iter(validator.iter_errors(instance)), None)
    except (ArithmeticError, RecursionError) as err:
        # e.g. multipleOf 0.1 of a Decimal like 1e191: DivisionImpossible
        raise OcppError(
            ErrorCode.PROPERTY_CONSTRAINT_VIOLATION,
            f"{action}: a number is out of range",
        ) from err
    if error is None:
        return
    code = _SCHEMA_KEYWORD_ERRORS.get(
        error.validator, ErrorCode.PROPERTY_CONSTRAINT_VIOLATION
    )
    raise OcppError(code, f"{action}: {error.message}")


def validate_request(version: OcppVersion, action: str, payload: JsonObject) -> None:
    """Check a CALL payload against its schema; raise OcppError if it fails."""
    _validate(version, MessageType.CALL, action, payload)


def validate_response(version: OcppVersion, action: str, payload: JsonObject) -> None:
    """Check a CALLRESULT payload against its schema; raise OcppError if it fails."""
    _validate(version, MessageType.CALL_RESULT, action, payload)
