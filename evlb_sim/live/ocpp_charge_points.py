"""OCPP charge points on the `ocpp` library that answer every CALL of a central
system and record what they received.

Each records the CALLs it receives (per action, awaitable) and answers them
with statuses that can be changed, so that tests can stage rejection and
slowness; the demo's simulated chargers (simulated_charger.py) build on the
1.6J one and react to what they are told after answering.

The `ocpp` library ships no type information; this module types its boundary.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

from ocpp.routing import after as _after, on as _on  # type: ignore[import-untyped]
from ocpp.v16 import (  # type: ignore[import-untyped]
    ChargePoint as ChargePointV16,
    call as call16,
    call_result as result16,
)
from ocpp.v16.enums import Action as Action16  # type: ignore[import-untyped]
from ocpp.v201 import (  # type: ignore[import-untyped]
    ChargePoint as ChargePointV201,
    call_result as result201,
)
from ocpp.v201.enums import Action as Action201  # type: ignore[import-untyped]

type Handler = Callable[..., Any]
# The library's decorators, typed: they mark a method as the answer to (on) or
# the follow-up of (after) one action.
on = cast("Callable[[str], Callable[[Handler], Handler]]", _on)
after = cast("Callable[[str], Callable[[Handler], Handler]]", _after)

# A guard against hanging forever on a bug, not a timing assertion.
RESPONSE_TIMEOUT_S = 10.0


def plain(value: Any) -> Any:
    """Decimals (the library parses 1.6 limits so) as floats, recursively."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


class Recorder:
    """CALLs received, in order, and awaitable per action.

    `keep=False` records nothing (a long-running simulation would otherwise
    keep every CALL it ever received).
    """

    def __init__(self, *, keep: bool = True) -> None:
        self.keep = keep
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._queues: defaultdict[str, asyncio.Queue[dict[str, Any]]] = defaultdict(
            asyncio.Queue
        )
        self._handling = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def record(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        payload = cast("dict[str, Any]", plain(payload))
        if self.keep:
            self.calls.append((action, payload))
            self._queues[action].put_nowait(payload)
        return payload

    async def next(self, action: str) -> dict[str, Any]:
        """The next CALL of this action not yet taken (waits for it)."""
        async with asyncio.timeout(RESPONSE_TIMEOUT_S):
            return await self._queues[action].get()

    def pending(self, action: str) -> int:
        """CALLs of this action received but not yet taken."""
        return self._queues[action].qsize()

    def actions(self) -> list[str]:
        return [action for action, _ in self.calls]

    def handling_started(self) -> None:
        self._handling += 1
        self._idle.clear()

    def handling_ended(self) -> None:
        self._handling -= 1
        if self._handling == 0:
            self._idle.set()

    async def idle(self) -> None:
        """Until every message received so far is answered.

        The library checks each message against its schema on an executor
        thread, which Home Assistant's block_till_done does not wait for.
        """
        await self._idle.wait()


class _TracksHandling:
    """Counts the messages being handled, so that a test can wait for them."""

    recorder: Recorder

    async def route_message(self, raw_msg: str) -> None:
        self.recorder.handling_started()
        try:
            await super().route_message(raw_msg)  # type: ignore[misc]
        finally:
            self.recorder.handling_ended()


def _no_error(call: dict[str, Any]) -> Exception | None:
    return None


class ChargerBehaviour:
    """Answers that can be changed while the charge point runs."""

    def __init__(self) -> None:
        self.configuration: dict[str, str] = {}
        self.profile_status: Callable[[dict[str, Any]], str] = lambda call: "Accepted"
        self.configuration_status: Callable[[str, str], str] = lambda k, v: "Accepted"
        self.trigger_status = "Accepted"
        self.remote_start_status = "Accepted"
        self.remote_stop_status = "Accepted"
        self.availability_status = "Accepted"
        # When it returns an error, SetChargingProfile is answered with that
        # CALLERROR (e.g. ocpp.exceptions.NotImplementedError) instead.
        self.profile_error: Callable[[dict[str, Any]], Exception | None] = _no_error
        # When set, SetChargingProfile waits for it before answering.
        self.hold: asyncio.Event | None = None


class RecordingChargePointV16(_TracksHandling, ChargePointV16):  # type: ignore[misc]
    """An OCPP 1.6J charge point."""

    def __init__(
        self,
        charger_id: str,
        connection: Any,
        *,
        response_timeout: float = RESPONSE_TIMEOUT_S,
        keep_calls: bool = True,
    ) -> None:
        super().__init__(charger_id, connection, response_timeout=response_timeout)
        self.recorder = Recorder(keep=keep_calls)
        self.behaviour = ChargerBehaviour()
        self.behaviour.configuration = {
            "ChargeProfileMaxStackLevel": "3",
            "ChargingScheduleAllowedChargingRateUnit": "Current,Power",
        }

    @on(Action16.set_charging_profile)
    async def _set_charging_profile(self, **payload: Any) -> Any:
        call = self.recorder.record("SetChargingProfile", payload)
        if self.behaviour.hold is not None:
            await self.behaviour.hold.wait()
        if (error := self.behaviour.profile_error(call)) is not None:
            raise error
        return result16.SetChargingProfile(status=self.behaviour.profile_status(call))

    @on(Action16.clear_charging_profile)
    def _clear_charging_profile(self, **payload: Any) -> Any:
        self.recorder.record("ClearChargingProfile", payload)
        return result16.ClearChargingProfile(status="Accepted")

    @on(Action16.get_configuration)
    def _get_configuration(self, **payload: Any) -> Any:
        call = self.recorder.record("GetConfiguration", payload)
        keys = call.get("key") or list(self.behaviour.configuration)
        known = [key for key in keys if key in self.behaviour.configuration]
        return result16.GetConfiguration(
            configuration_key=[
                {
                    "key": key,
                    "readonly": True,
                    "value": self.behaviour.configuration[key],
                }
                for key in known
            ],
            unknown_key=[key for key in keys if key not in known] or None,
        )

    @on(Action16.change_configuration)
    def _change_configuration(self, key: str, value: str, **payload: Any) -> Any:
        self.recorder.record("ChangeConfiguration", {"key": key, "value": value})
        return result16.ChangeConfiguration(
            status=self.behaviour.configuration_status(key, value)
        )

    @on(Action16.trigger_message)
    def _trigger_message(self, **payload: Any) -> Any:
        self.recorder.record("TriggerMessage", payload)
        return result16.TriggerMessage(status=self.behaviour.trigger_status)

    @on(Action16.remote_start_transaction)
    def _remote_start(self, **payload: Any) -> Any:
        self.recorder.record("RemoteStartTransaction", payload)
        return result16.RemoteStartTransaction(
            status=self.behaviour.remote_start_status
        )

    @on(Action16.remote_stop_transaction)
    def _remote_stop(self, **payload: Any) -> Any:
        self.recorder.record("RemoteStopTransaction", payload)
        return result16.RemoteStopTransaction(status=self.behaviour.remote_stop_status)

    @on(Action16.change_availability)
    def _change_availability(self, **payload: Any) -> Any:
        self.recorder.record("ChangeAvailability", payload)
        return result16.ChangeAvailability(status=self.behaviour.availability_status)

    @on(Action16.reset)
    def _reset(self, **payload: Any) -> Any:
        self.recorder.record("Reset", payload)
        return result16.Reset(status="Accepted")

    @on(Action16.unlock_connector)
    def _unlock(self, **payload: Any) -> Any:
        self.recorder.record("UnlockConnector", payload)
        return result16.UnlockConnector(status="Unlocked")


class RecordingChargePointV201(_TracksHandling, ChargePointV201):  # type: ignore[misc]
    """An OCPP 2.0.1 charging station."""

    def __init__(
        self,
        charger_id: str,
        connection: Any,
        *,
        response_timeout: float = RESPONSE_TIMEOUT_S,
        keep_calls: bool = True,
    ) -> None:
        super().__init__(charger_id, connection, response_timeout=response_timeout)
        self.recorder = Recorder(keep=keep_calls)
        self.behaviour = ChargerBehaviour()
        self.behaviour.configuration = {
            "SmartChargingCtrlr.ProfileStackLevel": "3",
            "SmartChargingCtrlr.RateUnit": "A,W",
        }

    @on(Action201.set_charging_profile)
    async def _set_charging_profile(self, **payload: Any) -> Any:
        call = self.recorder.record("SetChargingProfile", payload)
        if self.behaviour.hold is not None:
            await self.behaviour.hold.wait()
        if (error := self.behaviour.profile_error(call)) is not None:
            raise error
        return result201.SetChargingProfile(status=self.behaviour.profile_status(call))

    @on(Action201.clear_charging_profile)
    def _clear_charging_profile(self, **payload: Any) -> Any:
        self.recorder.record("ClearChargingProfile", payload)
        return result201.ClearChargingProfile(status="Accepted")

    @on(Action201.get_variables)
    def _get_variables(self, get_variable_data: list[dict[str, Any]], **_: Any) -> Any:
        self.recorder.record("GetVariables", {"get_variable_data": get_variable_data})
        results = []
        for item in get_variable_data:
            key = f"{item['component']['name']}.{item['variable']['name']}"
            value = self.behaviour.configuration.get(key)
            entry = {
                "attribute_status": "Accepted"
                if value is not None
                else "UnknownVariable",
                "component": item["component"],
                "variable": item["variable"],
            }
            if value is not None:
                entry["attribute_value"] = value
            results.append(entry)
        return result201.GetVariables(get_variable_result=results)

    @on(Action201.set_variables)
    def _set_variables(self, set_variable_data: list[dict[str, Any]], **_: Any) -> Any:
        self.recorder.record("SetVariables", {"set_variable_data": set_variable_data})
        results = []
        for item in set_variable_data:
            key = f"{item['component']['name']}.{item['variable']['name']}"
            status = self.behaviour.configuration_status(key, item["attribute_value"])
            results.append(
                {
                    "attribute_status": status,
                    "component": item["component"],
                    "variable": item["variable"],
                }
            )
        return result201.SetVariables(set_variable_result=results)

    @on(Action201.trigger_message)
    def _trigger_message(self, **payload: Any) -> Any:
        self.recorder.record("TriggerMessage", payload)
        return result201.TriggerMessage(status=self.behaviour.trigger_status)

    @on(Action201.request_start_transaction)
    def _request_start(self, **payload: Any) -> Any:
        self.recorder.record("RequestStartTransaction", payload)
        return result201.RequestStartTransaction(
            status=self.behaviour.remote_start_status
        )

    @on(Action201.change_availability)
    def _change_availability(self, **payload: Any) -> Any:
        self.recorder.record("ChangeAvailability", payload)
        return result201.ChangeAvailability(status=self.behaviour.availability_status)

    @on(Action201.request_stop_transaction)
    def _request_stop(self, **payload: Any) -> Any:
        self.recorder.record("RequestStopTransaction", payload)
        return result201.RequestStopTransaction(
            status=self.behaviour.remote_stop_status
        )


type RecordingChargePoint = RecordingChargePointV16 | RecordingChargePointV201

__all__ = [
    "Action16",
    "Action201",
    "ChargerBehaviour",
    "Recorder",
    "RecordingChargePoint",
    "RecordingChargePointV16",
    "RecordingChargePointV201",
    "after",
    "call16",
    "on",
    "plain",
]
