"""Rejected profiles fall back to another purpose; when nothing works, a reason."""

from __future__ import annotations

from typing import Any

from ocpp.exceptions import NotImplementedError as OcppNotImplemented
from ocpp.routing import on
from ocpp.v16 import call as call16
from ocpp.v16.enums import Action
import pytest

from custom_components.ev_load_balancer.chargers.base import ChargerCommandError
from custom_components.ev_load_balancer.ocpp_cs import ChargerConfig, LimitFailure
from evlb_sim.live.ocpp_charge_points import RecordingChargePointV16

from .conftest import StartServer, boot_and_setup
from .fake_chargers import charger_session
from .messages import now_iso


def _purpose(call: dict[str, Any]) -> str:
    return call["cs_charging_profiles"]["charging_profile_purpose"]


def _reject_dynamic_default(call: dict[str, Any]) -> str:
    profile = call["cs_charging_profiles"]
    if (
        profile["charging_profile_purpose"] == "TxDefaultProfile"
        and profile["stack_level"]
    ):
        return "Rejected"
    return "Accepted"


async def _start(charger: RecordingChargePointV16) -> int:
    started = await charger.call(
        call16.StartTransaction(
            connector_id=1, id_tag="T", meter_start=0, timestamp=now_iso()
        )
    )
    return int(started.transaction_id)


async def test_rejected_default_profile_falls_back_to_the_transaction(
    start_server: StartServer,
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        charger.behaviour.profile_status = _reject_dynamic_default
        await boot_and_setup(charger, backend)
        await charger.recorder.next("SetChargingProfile")  # failsafe accepted
        transaction_id = await _start(charger)
        await backend.async_apply_limit(16.0)  # no error: the fallback worked
        assert _purpose(await charger.recorder.next("SetChargingProfile")) == (
            "TxDefaultProfile"
        )
        fallback = await charger.recorder.next("SetChargingProfile")
        assert _purpose(fallback) == "TxProfile"
        assert fallback["cs_charging_profiles"]["transaction_id"] == transaction_id
        # Learned: the next limit goes straight to the transaction.
        await backend.async_apply_limit(13.0)
        assert (
            _purpose(await charger.recorder.next("SetChargingProfile")) == "TxProfile"
        )
        assert charger.recorder.pending("SetChargingProfile") == 0


async def test_rejected_while_idle_is_applied_when_a_session_starts(
    start_server: StartServer,
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        charger.behaviour.profile_status = _reject_dynamic_default
        await boot_and_setup(charger, backend)
        await charger.recorder.next("SetChargingProfile")
        await backend.async_apply_limit(9.0)  # deferred, not an error
        assert _purpose(await charger.recorder.next("SetChargingProfile")) == (
            "TxDefaultProfile"
        )
        transaction_id = await _start(charger)
        on_start = await charger.recorder.next("SetChargingProfile")
        assert _purpose(on_start) == "TxProfile"
        assert on_start["cs_charging_profiles"]["transaction_id"] == transaction_id


async def test_everything_rejected_raises_a_reason(start_server: StartServer) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        charger.behaviour.profile_status = lambda call: (
            "Accepted"
            if call["cs_charging_profiles"]["stack_level"] == 0
            else "Rejected"
        )
        charger.behaviour.configuration["ChargeProfileMaxStackLevel"] = "1"
        await boot_and_setup(charger, backend)
        await _start(charger)
        with pytest.raises(ChargerCommandError) as error:
            await backend.async_apply_limit(16.0)
        assert error.value.reason == LimitFailure.PROFILE_REJECTED
        assert "TxProfile" in str(error.value)


async def test_pause_refused_in_every_way_raises(start_server: StartServer) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        await boot_and_setup(charger, backend)
        await _start(charger)
        charger.behaviour.profile_status = lambda call: "Rejected"
        charger.behaviour.remote_stop_status = "Rejected"
        with pytest.raises(ChargerCommandError) as error:
            await backend.async_apply_limit(0.0)
        assert error.value.reason == LimitFailure.PAUSE_REJECTED


async def test_failsafe_on_connector_0_rejected_goes_on_the_connector(
    start_server: StartServer,
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        charger.behaviour.profile_status = lambda call: (
            "Rejected" if call["connector_id"] == 0 else "Accepted"
        )
        await boot_and_setup(charger, backend)
        first = await charger.recorder.next("SetChargingProfile")
        second = await charger.recorder.next("SetChargingProfile")
        assert (first["connector_id"], second["connector_id"]) == (0, 1)
        assert second["cs_charging_profiles"]["stack_level"] == 0
        assert backend.info.failsafe_installed is True


async def test_failsafe_rejected_everywhere_is_reported(
    start_server: StartServer,
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        charger.behaviour.profile_status = lambda call: "Rejected"
        await boot_and_setup(charger, backend)
        assert backend.info.failsafe_installed is False


class NoSmartCharging(RecordingChargePointV16):
    """A charger without the SmartCharging profile: CALLERROR NotImplemented."""

    @on(Action.set_charging_profile)
    def _set_charging_profile(self, **payload: Any) -> Any:
        self.recorder.record("SetChargingProfile", payload)
        raise OcppNotImplemented(description="no smart charging")


async def test_call_error_is_a_reason_too(start_server: StartServer) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", NoSmartCharging) as charger:
        await boot_and_setup(charger, backend)
        assert backend.info.failsafe_installed is False
        with pytest.raises(ChargerCommandError) as error:
            await backend.async_apply_limit(10.0)
        assert error.value.reason == LimitFailure.CALL_ERROR
        assert "NotImplemented" in error.value.detail
