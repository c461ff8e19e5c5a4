"""Chargers for the tests: real `ocpp` library clients over real websockets.

Each records the CALLs it receives (per action, awaitable) and answers them
with statuses a test can change, so that rejection and slowness are easy to
stage.
"""

from __future__ import annotations

import asyncio
import base64
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from decimal import Decimal
import ssl
from typing import Any

from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePointV16, call_result as result16
from ocpp.v16.enums import Action as Action16
from ocpp.v201 import ChargePoint as ChargePointV201, call_result as result201
from ocpp.v201.enums import Action as Action201
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from custom_components.ev_load_balancer.ocpp_cs import CentralSystem

# A guard against hanging forever on a bug, not a timing assertion.
WAIT_S = 10.0


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
    """CALLs received, in order, and awaitable per action."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._queues: defaultdict[str, asyncio.Queue[dict[str, Any]]] = defaultdict(
            asyncio.Queue
        )

    def record(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        payload = plain(payload)
        self.calls.append((action, payload))
        self._queues[action].put_nowait(payload)
        return payload

    async def next(self, action: str) -> dict[str, Any]:
        """The next CALL of this action not yet taken (waits for it)."""
        async with asyncio.timeout(WAIT_S):
            return await self._queues[action].get()

    def pending(self, action: str) -> int:
        """CALLs of this action received but not yet taken."""
        return self._queues[action].qsize()

    def actions(self) -> list[str]:
        return [action for action, _ in self.calls]


class ChargerBehaviour:
    """Answers a test can change."""

    def __init__(self) -> None:
        self.configuration: dict[str, str] = {}
        self.profile_status: Callable[[dict[str, Any]], str] = lambda call: "Accepted"
        self.configuration_status: Callable[[str, str], str] = lambda k, v: "Accepted"
        self.trigger_status = "Accepted"
        self.remote_start_status = "Accepted"
        self.remote_stop_status = "Accepted"
        # When set, SetChargingProfile waits for it before answering.
        self.hold: asyncio.Event | None = None


class FakeChargerV16(ChargePointV16):
    """An OCPP 1.6J charger."""

    def __init__(self, charger_id: str, connection: ClientConnection) -> None:
        super().__init__(charger_id, connection, response_timeout=WAIT_S)
        self.recorder = Recorder()
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

    @on(Action16.reset)
    def _reset(self, **payload: Any) -> Any:
        self.recorder.record("Reset", payload)
        return result16.Reset(status="Accepted")

    @on(Action16.unlock_connector)
    def _unlock(self, **payload: Any) -> Any:
        self.recorder.record("UnlockConnector", payload)
        return result16.UnlockConnector(status="Unlocked")


class FakeChargerV201(ChargePointV201):
    """An OCPP 2.0.1 charging station."""

    def __init__(self, charger_id: str, connection: ClientConnection) -> None:
        super().__init__(charger_id, connection, response_timeout=WAIT_S)
        self.recorder = Recorder()
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

    @on(Action201.request_stop_transaction)
    def _request_stop(self, **payload: Any) -> Any:
        self.recorder.record("RequestStopTransaction", payload)
        return result201.RequestStopTransaction(
            status=self.behaviour.remote_stop_status
        )


type FakeCharger = FakeChargerV16 | FakeChargerV201


def basic_auth(user: str, password: str) -> dict[str, str]:
    """An Authorization header for HTTP Basic auth."""
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def charger_url(server: CentralSystem, charger_id: str, *, scheme: str = "ws") -> str:
    return f"{scheme}://127.0.0.1:{server.port}/ocpp/{charger_id}"


@asynccontextmanager
async def charger_session[T: (FakeChargerV16, FakeChargerV201)](
    server: CentralSystem,
    charger_id: str,
    factory: type[T],
    *,
    headers: dict[str, str] | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> AsyncIterator[T]:
    """A connected fake charger whose receive loop runs for the block."""
    version = "ocpp1.6" if issubclass(factory, FakeChargerV16) else "ocpp2.0.1"
    scheme = "wss" if ssl_context else "ws"
    async with connect(
        charger_url(server, charger_id, scheme=scheme),
        subprotocols=[Subprotocol(version)],
        additional_headers=headers,
        ssl=ssl_context,
    ) as websocket:
        charger = factory(charger_id, websocket)
        receive = asyncio.create_task(charger.start())
        try:
            yield charger
        finally:
            receive.cancel()
            with suppress(asyncio.CancelledError, ConnectionClosed):
                await receive
