"""The commands in OCPP 2.0.1 (device model variables as 'Component.Variable')."""

from __future__ import annotations

from collections.abc import Sequence
import itertools

from .commands import (
    ChargingProfile,
    Commands,
)
from .const import ACCEPTED
from .payload import as_list, as_object, as_str, path, to_iso
from .wire import Json, JsonObject

MAX_STACK_LEVEL_KEY = "SmartChargingCtrlr.ProfileStackLevel"
RATE_UNIT_KEY = "SmartChargingCtrlr.RateUnit"
MEASURANDS_KEY = "SampledDataCtrlr.TxUpdatedMeasurands"
INTERVAL_KEY = "SampledDataCtrlr.TxUpdatedInterval"

# RequestStartTransaction needs an id the charger echoes in its events.
_remote_start_ids = itertools.count(1)


def _component_variable(key: str) -> JsonObject:
    component, _, variable = key.partition(".")
    return {"component": {"name": component}, "variable": {"name": variable}}


def _key_of(entry: JsonObject) -> str:
    component = as_str(path(entry, "component", "name")) or ""
    variable = as_str(path(entry, "variable", "name")) or ""
    return f"{component}.{variable}"


def profile_payload(profile: ChargingProfile) -> JsonObject:
    """chargingProfile of SetChargingProfile and RequestStartTransaction."""
    schedule: JsonObject = {
        "id": profile.profile_id,
        "chargingRateUnit": profile.unit.value,
        "startSchedule": to_iso(profile.start),
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": profile.limit}],
    }
    if profile.duration_s is not None:
        schedule["duration"] = profile.duration_s
    payload: JsonObject = {
        "id": profile.profile_id,
        "stackLevel": profile.stack_level,
        "chargingProfilePurpose": profile.purpose.value,
        "chargingProfileKind": "Absolute",
        "chargingSchedule": [schedule],
    }
    if profile.transaction_id is not None:
        payload["transactionId"] = profile.transaction_id
    return payload


class CommandsV201(Commands):
    """OCPP 2.0.1."""

    max_stack_level_key = MAX_STACK_LEVEL_KEY
    rate_unit_key = RATE_UNIT_KEY

    async def configure_metering(
        self, interval_s: int, measurands: Sequence[str]
    ) -> bool:
        statuses = await self._set_variables(
            {MEASURANDS_KEY: ",".join(measurands), INTERVAL_KEY: str(interval_s)}
        )
        return all(status == ACCEPTED for status in statuses.values())

    async def set_charging_profile(self, profile: ChargingProfile) -> str:
        response = await self._call(
            "SetChargingProfile",
            {"evseId": profile.evse_id, "chargingProfile": profile_payload(profile)},
        )
        return as_str(response.get("status")) or ""

    async def clear_charging_profile(self, profile_id: int) -> str:
        response = await self._call(
            "ClearChargingProfile", {"chargingProfileId": profile_id}
        )
        return as_str(response.get("status")) or ""

    async def remote_start(
        self, *, evse_id: int, id_tag: str, profile: ChargingProfile | None
    ) -> str:
        payload: JsonObject = {
            "idToken": {"idToken": id_tag, "type": "Central"},
            "remoteStartId": next(_remote_start_ids),
            "evseId": evse_id,
        }
        if profile is not None:
            payload["chargingProfile"] = profile_payload(profile)
        response = await self._call("RequestStartTransaction", payload)
        return as_str(response.get("status")) or ""

    async def remote_stop(self, transaction_id: str) -> str:
        response = await self._call(
            "RequestStopTransaction", {"transactionId": transaction_id}
        )
        return as_str(response.get("status")) or ""

    async def change_availability(self, evse_id: int, *, operative: bool) -> str:
        response = await self._call(
            "ChangeAvailability",
            {
                "operationalStatus": "Operative" if operative else "Inoperative",
                "evse": {"id": evse_id},
            },
        )
        return as_str(response.get("status")) or ""

    async def reset(self, *, hard: bool) -> str:
        response = await self._call(
            "Reset", {"type": "Immediate" if hard else "OnIdle"}
        )
        return as_str(response.get("status")) or ""

    async def unlock_connector(self, evse_id: int) -> str:
        response = await self._call(
            "UnlockConnector", {"evseId": evse_id, "connectorId": 1}
        )
        return as_str(response.get("status")) or ""

    async def trigger_message(self, message: str, evse_id: int | None = None) -> str:
        payload: JsonObject = {"requestedMessage": message}
        if evse_id is not None:
            payload["evse"] = {"id": evse_id, "connectorId": 1}
        response = await self._call("TriggerMessage", payload)
        return as_str(response.get("status")) or ""

    async def get_configuration(self, keys: Sequence[str]) -> dict[str, str | None]:
        if not keys:
            return {}  # 2.0.1 has no "everything"; that is GetBaseReport
        request: list[Json] = [_component_variable(key) for key in keys]
        response = await self._call("GetVariables", {"getVariableData": request})
        values: dict[str, str | None] = dict.fromkeys(keys)
        for entry in as_list(response.get("getVariableResult")):
            item = as_object(entry) or {}
            if as_str(item.get("attributeStatus")) == ACCEPTED:
                values[_key_of(item)] = as_str(item.get("attributeValue"))
        return values

    async def change_configuration(self, key: str, value: str) -> str:
        statuses = await self._set_variables({key: value})
        return statuses.get(key, "")

    async def _set_variables(self, values: dict[str, str]) -> dict[str, str]:
        request: list[Json] = [
            {"attributeValue": value, **_component_variable(key)}
            for key, value in values.items()
        ]
        response = await self._call("SetVariables", {"setVariableData": request})
        statuses: dict[str, str] = {}
        for entry in as_list(response.get("setVariableResult")):
            item = as_object(entry) or {}
            statuses[_key_of(item)] = as_str(item.get("attributeStatus")) or ""
        return statuses
