"""Send fuzz frames to a real central system and judge every answer.

Four raw chargers connect over real websockets: one adopted and one unknown
(pending) charger for each version. Each frame goes to one of them; its
answer must be within the protocol (a CALLRESULT that passes the action's
response schema, or a CALLERROR with a code the version defines, never our
own InternalError), a refused frame must change nothing, and whatever is
kept must be plausible: numbers within range, the register never going
back, one open session per connector. Tracebacks in the log are counted by
the caller (the test asserts none; the bench reports them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import asdict, dataclass, field
import json
import logging
from typing import Any

from websockets.exceptions import ConnectionClosed

from custom_components.ev_load_balancer.ocpp_cs import (
    CentralSystem,
    ChargerConfig,
    ServerConfig,
)
from custom_components.ev_load_balancer.ocpp_cs.const import OcppVersion
from custom_components.ev_load_balancer.ocpp_cs.plausibility import Quantity, plausible
from custom_components.ev_load_balancer.ocpp_cs.wire import OcppError, validate_response

from .frames import Frame
from .raw_charger import RawCharger, raw_charger

ERROR_CODES = {
    OcppVersion.V16: {
        "NotImplemented",
        "NotSupported",
        "InternalError",
        "ProtocolError",
        "SecurityError",
        "FormationViolation",
        "PropertyConstraintViolation",
        "OccurenceConstraintViolation",
        "TypeConstraintViolation",
        "GenericError",
    },
    OcppVersion.V201: {
        "FormatViolation",
        "GenericError",
        "InternalError",
        "MessageTypeNotSupported",
        "NotImplemented",
        "NotSupported",
        "OccurrenceConstraintViolation",
        "PropertyConstraintViolation",
        "ProtocolError",
        "RpcFrameworkError",
        "SecurityError",
        "TypeConstraintViolation",
    },
}
BOOTS = {
    OcppVersion.V16: {"chargePointVendor": "Fuzz", "chargePointModel": "X"},
    OcppVersion.V201: {
        "reason": "PowerUp",
        "chargingStation": {"vendorName": "Fuzz", "model": "Y"},
    },
}
ADOPTED = {OcppVersion.V16: "FUZZ16", OcppVersion.V201: "FUZZ201"}
UNKNOWN = {OcppVersion.V16: "STRANGER16", OcppVersion.V201: "STRANGER201"}


@dataclass(frozen=True, slots=True)
class Target:
    """One of the fuzzing chargers."""

    version: OcppVersion
    adopted: bool

    @property
    def charger_id(self) -> str:
        return (ADOPTED if self.adopted else UNKNOWN)[self.version]


TARGETS = tuple(
    Target(version, adopted) for version in OcppVersion for adopted in (True, False)
)


@dataclass(slots=True)
class Report:
    """What the frames brought about."""

    frames: int = 0
    problems: list[str] = field(default_factory=list)
    answers: Counter[str] = field(default_factory=Counter)


class Fuzzer:
    """A central system, its four chargers, and the judge of their answers."""

    def __init__(self, server: CentralSystem, stack: AsyncExitStack) -> None:
        self.server = server
        self.chargers: dict[Target, RawCharger] = {}
        self.report = Report()
        self._stack = stack
        self._energy: dict[str, float] = {}

    async def connect(self, target: Target) -> None:
        """(Re)connect one of the chargers and boot it."""
        charger = await self._stack.enter_async_context(
            raw_charger(self.server.port, target.charger_id, target.version.value)
        )
        await charger.call("boot", "BootNotification", BOOTS[target.version])
        self.chargers[target] = charger

    async def send(self, target: Target, frame: Frame) -> None:
        """One frame; its answer and the server's state are judged. A frame
        that goes unanswered (the connection dropped) is a problem too."""
        try:
            await self._send(target, frame)
        except (TimeoutError, ConnectionClosed):
            self._problem(frame, "no answer: the connection dropped")
            await self.connect(target)

    async def _send(self, target: Target, frame: Frame) -> None:
        charger = self.chargers[target]
        before = self._snapshot()
        self.report.frames += 1
        if frame.answer_id is None:
            await charger.websocket.send(frame.text)
            # Whatever it was answered ("-1" to text that is no frame), the
            # connection must go on.
            answer = await charger.call("probe", "Heartbeat", {}, unreadable_too=False)
            self._judge_answer(target, Frame("", "probe", "Heartbeat"), answer)
        else:
            answer = await charger.exchange(frame.text, frame.answer_id)
            self._judge_answer(target, frame, answer)
            if answer[0] == 4 and self._snapshot() != before:
                self._problem(frame, f"refused ({answer[2]}) but the state changed")
        self._judge_state(frame)

    def _problem(self, frame: Frame, what: str) -> None:
        self.report.problems.append(f"{what}: {frame.text[:300]}")

    def _judge_answer(self, target: Target, frame: Frame, answer: list[Any]) -> None:
        kind = answer[0] if answer else None
        self.report.answers[str(answer[2]) if kind == 4 else str(kind)] += 1
        if answer[1] != frame.answer_id:
            self._problem(frame, f"answered with id {answer[1]!r}")
        if kind == 3:
            try:
                validate_response(target.version, str(frame.action), answer[2])
            except OcppError as err:
                self._problem(frame, f"result outside its schema: {err}")
            if len(answer) != 3:
                self._problem(frame, f"malformed CALLRESULT {answer}")
        elif kind == 4:
            code = answer[2]
            if code not in ERROR_CODES[target.version] or code == "InternalError":
                self._problem(frame, f"error code {code}")
            if len(answer) != 5 or not isinstance(answer[3], str) or answer[4] != {}:
                self._problem(frame, f"malformed CALLERROR {answer}")
        else:
            self._problem(frame, f"not an answer: {answer}")

    def _snapshot(self) -> str:
        """What a refused frame must not change (liveness times aside)."""
        chargers = {}
        for charger_id, backend in self.server.backends.items():
            info = asdict(backend.info)
            info.pop("last_seen")
            chargers[charger_id] = info
        return json.dumps(
            {"sessions": self.server.sessions.dump(), "chargers": chargers},
            sort_keys=True,
            default=str,
        )

    def _judge_state(self, frame: Frame) -> None:
        for charger_id, backend in self.server.backends.items():
            info = backend.info
            checks = [(Quantity.CURRENT, value) for value in info.current_a or ()]
            checks += [
                (Quantity.POWER, info.power_w),
                (Quantity.VOLTAGE, info.voltage_v),
                (Quantity.SOC, info.soc_percent),
            ]
            if info.energy_kwh is not None:
                checks.append((Quantity.ENERGY, info.energy_kwh * 1000))
            for quantity, value in checks:
                if value is not None and plausible(quantity, value) != value:
                    self._problem(frame, f"{charger_id} keeps {quantity} {value}")
            if info.energy_kwh is not None:
                if info.energy_kwh < self._energy.get(charger_id, 0.0):
                    self._problem(frame, f"{charger_id}'s register went back")
                self._energy[charger_id] = info.energy_kwh
        open_sessions: Counter[tuple[str, int]] = Counter()
        for record in self.server.sessions.records:
            for wh in (record.meter_start_wh, record.meter_stop_wh):
                if wh is not None and plausible(Quantity.ENERGY, wh) != wh:
                    self._problem(frame, f"a session keeps {wh} Wh")
            if record.stopped_at is None:
                open_sessions[record.charger_id, record.connector_id] += 1
        if any(count > 1 for count in open_sessions.values()):
            self._problem(frame, f"open sessions {open_sessions}")


@asynccontextmanager
async def fuzzer(**settings: Any) -> AsyncIterator[Fuzzer]:
    """A server on 127.0.0.1 and its four booted chargers."""
    settings.setdefault("call_timeout_s", 10.0)
    server = CentralSystem(
        ServerConfig(host="127.0.0.1", port=0, **settings),
        chargers=[
            ChargerConfig(charger_id=charger_id) for charger_id in ADOPTED.values()
        ],
    )
    await server.async_start()
    try:
        async with AsyncExitStack() as stack:
            fuzzing = Fuzzer(server, stack)
            for target in TARGETS:
                await fuzzing.connect(target)
            yield fuzzing
    finally:
        await server.async_stop()


def tracebacks(records: Sequence[logging.LogRecord]) -> list[str]:
    """Log records with a traceback, or errors: what no charger may cause."""
    return [
        record.getMessage()
        for record in records
        if record.exc_info or record.levelno >= logging.ERROR
    ]
