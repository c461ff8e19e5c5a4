"""The commands in OCPP 1.6J."""

from __future__ import annotations

from collections.abc import Sequence

from .commands import (
    ChargingProfile,
    Commands,
)
from .const import ACCEPTED
from .payload import as_list, as_object, as_str, to_iso
from .wire import Json, JsonObject

MAX_STACK_LEVEL_KEY = "ChargeProfileMaxStackLevel"
RATE_UNIT_KEY = "ChargingScheduleAllowedChargingRateUnit"


def profile_payload(profile: ChargingProfile) -> JsonObject:
    """csChargingProfiles of SetChargingProfile (and RemoteStart, minus ids)."""
    schedule: JsonObject = {
        "chargingRateUnit": profile.unit.value,
        "startSchedule": to_iso(profile.start),
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": profile.limit}],
    }
    if profile.duration_s is not None:
        schedule["duration"] = profile.duration_s
    payload: JsonObject = {
        "chargingProfileId": profile.profile_id,
        "stackLevel": profile.stack_level,
        "chargingProfilePurpose": profile.purpose.value,
        "chargingProfileKind": "Absolute",
        "chargingSchedule": schedule,
    }
    if profile.transaction_id is not None:
        payload["transactionId"] = int(profile.transaction_id)
    return payload


class CommandsV16(Commands):
    """OCPP 1.6J."""

    max_stack_level_key = MAX_STACK_LEVEL_KEY
    rate_unit_key = RATE_UNIT_KEY

    async def configure_metering(
        self, interval_s: int, measurands: Sequence[str]
    ) -> bool:
        sampled = await self.change_configuration(
            "MeterValuesSampledData", ",".join(measurands)
        )
        if sampled != ACCEPTED:
            return False
        interval = await self.change_configuration(
            "MeterValueSampleInterval", str(interval_s)
        )
        return interval == ACCEPTED

    async def set_charging_profile(self, profile: ChargingProfile) -> str:
        response = await self._call(
            "SetChargingProfile",
            {
                "connectorId": profile.evse_id,
                "csChargingProfiles": profile_payload(profile),
            },
        )
        return as_str(response.get("status")) or ""

    async def clear_charging_profile(self, profile_id: int) -> str:
        response = await self._call("ClearChargingProfile", {"id": profile_id})
        return as_str(response.get("status")) or ""

    async def remote_start(
        self, *, evse_id: int, id_tag: str, profile: ChargingProfile | None
    ) -> str:
        payload: JsonObject = {"connectorId": evse_id, "idTag": id_tag}
        if profile is not None:
            payload["chargingProfile"] = profile_payload(profile)
        response = await self._call("RemoteStartTransaction", payload)
        return as_str(response.get("status")) or ""

    async def remote_stop(self, transaction_id: str) -> str:
        response = await self._call(
            "RemoteStopTransaction", {"transactionId": int(transaction_id)}
        )
        return as_str(response.get("status")) or ""

    async def change_availability(self, evse_id: int, *, operative: bool) -> str:
        response = await self._call(
            "ChangeAvailability",
            {
                "connectorId": evse_id,
                "type": "Operative" if operative else "Inoperative",
            },
        )
        return as_str(response.get("status")) or ""

    async def reset(self, *, hard: bool) -> str:
        response = await self._call("Reset", {"type": "Hard" if hard else "Soft"})
        return as_str(response.get("status")) or ""

    async def unlock_connector(self, evse_id: int) -> str:
        response = await self._call("UnlockConnector", {"connectorId": evse_id})
        return as_str(response.get("status")) or ""

    async def trigger_message(self, message: str, evse_id: int | None = None) -> str:
        payload: JsonObject = {"requestedMessage": message}
        if evse_id is not None:
            payload["connectorId"] = evse_id
        response = await self._call("TriggerMessage", payload)
        return as_str(response.get("status")) or ""

    async def get_configuration(self, keys: Sequence[str]) -> dict[str, str | None]:
        key_list: list[Json] = list(keys)
        payload: JsonObject = {"key": key_list} if key_list else {}
        response = await self._call("GetConfiguration", payload)
        values: dict[str, str | None] = dict.fromkeys(keys)
        for entry in as_list(response.get("configurationKey")):
            item = as_object(entry) or {}
            key = as_str(item.get("key"))
            if key is not None:
                values[key] = as_str(item.get("value"))
        return values

    async def change_configuration(self, key: str, value: str) -> str:
        response = await self._call("ChangeConfiguration", {"key": key, "value": value})
        return as_str(response.get("status")) or ""
