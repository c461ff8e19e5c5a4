"""Pause with 0 A; resume on the running transaction or by a remote start."""

from __future__ import annotations

from typing import Any

from ocpp.v16 import call as call16
from ocpp.v201 import call as call201

from custom_components.ev_load_balancer.balancer import ChargerState
from custom_components.ev_load_balancer.ocpp_cs import ChargerConfig, OcppChargerBackend
from evlb_sim.live.ocpp_charge_points import (
    RecordingChargePointV16,
    RecordingChargePointV201,
)

from .conftest import StartServer, boot_and_setup
from .fake_chargers import charger_session
from .messages import now_iso


def _purpose_and_limit(call: dict[str, Any]) -> tuple[str, float]:
    profile = call["cs_charging_profiles"]
    period = profile["charging_schedule"]["charging_schedule_period"][0]
    return profile["charging_profile_purpose"], period["limit"]


async def _charging(
    charger: RecordingChargePointV16, backend: OcppChargerBackend
) -> int:
    """Boot, set up and start a session; return its transaction id."""
    await boot_and_setup(charger, backend)
    await charger.recorder.next("SetChargingProfile")  # failsafe
    started = await charger.call(
        call16.StartTransaction(
            connector_id=1, id_tag="TAG-P", meter_start=0, timestamp=now_iso()
        )
    )
    await charger.call(
        call16.StatusNotification(
            connector_id=1, error_code="NoError", status="Charging"
        )
    )
    return int(started.transaction_id)


async def test_pause_then_resume_on_the_running_transaction(
    start_server: StartServer,
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        transaction_id = await _charging(charger, backend)
        await backend.async_apply_limit(16.0)
        assert _purpose_and_limit(
            await charger.recorder.next("SetChargingProfile")
        ) == (
            "TxDefaultProfile",
            16.0,
        )
        await backend.async_apply_limit(0.0)
        assert _purpose_and_limit(
            await charger.recorder.next("SetChargingProfile")
        ) == (
            "TxDefaultProfile",
            0.0,
        )
        await charger.call(
            call16.StatusNotification(
                connector_id=1, error_code="NoError", status="SuspendedEVSE"
            )
        )
        assert backend.status.state is ChargerState.CONNECTED  # still wants energy

        await backend.async_apply_limit(10.0)
        assert _purpose_and_limit(
            await charger.recorder.next("SetChargingProfile")
        ) == (
            "TxDefaultProfile",
            10.0,
        )
        # Some chargers read the default profile only at a transaction start:
        # the running transaction gets the limit itself.
        on_transaction = await charger.recorder.next("SetChargingProfile")
        assert _purpose_and_limit(on_transaction) == ("TxProfile", 10.0)
        assert (
            on_transaction["cs_charging_profiles"]["transaction_id"] == transaction_id
        )
        # From now on the TxProfile governs this transaction.
        await backend.async_apply_limit(12.0)
        assert _purpose_and_limit(
            await charger.recorder.next("SetChargingProfile")
        ) == (
            "TxProfile",
            12.0,
        )
        assert charger.recorder.pending("SetChargingProfile") == 0
        assert "RemoteStartTransaction" not in charger.recorder.actions()


async def test_resume_by_remote_start_after_the_charger_ended_the_session(
    start_server: StartServer,
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        transaction_id = await _charging(charger, backend)
        await backend.async_apply_limit(0.0)
        await charger.recorder.next("SetChargingProfile")
        # This charger ends the session when held at 0 A.
        await charger.call(
            call16.StopTransaction(
                meter_stop=1200, timestamp=now_iso(), transaction_id=transaction_id
            )
        )
        await charger.call(
            call16.StatusNotification(
                connector_id=1, error_code="NoError", status="Finishing"
            )
        )
        assert backend.status.state is ChargerState.CONNECTED  # wants to resume

        await backend.async_apply_limit(16.0)
        assert _purpose_and_limit(
            await charger.recorder.next("SetChargingProfile")
        ) == (
            "TxDefaultProfile",
            16.0,
        )
        remote = await charger.recorder.next("RemoteStartTransaction")
        assert remote["connector_id"] == 1
        assert remote["id_tag"] == "TAG-P"  # the paused session's own tag
        profile = remote["charging_profile"]
        assert profile["charging_profile_purpose"] == "TxProfile"
        assert (
            profile["charging_schedule"]["charging_schedule_period"][0]["limit"] == 16.0
        )

        restarted = await charger.call(
            call16.StartTransaction(
                connector_id=1, id_tag="TAG-P", meter_start=1200, timestamp=now_iso()
            )
        )
        # The profile of the remote start governs the new transaction.
        resent = await charger.recorder.next("SetChargingProfile")
        assert _purpose_and_limit(resent) == ("TxProfile", 16.0)
        assert resent["cs_charging_profiles"]["transaction_id"] == (
            restarted.transaction_id
        )
        await backend.async_apply_limit(14.0)
        assert _purpose_and_limit(
            await charger.recorder.next("SetChargingProfile")
        ) == (
            "TxProfile",
            14.0,
        )
    assert len(server.sessions.records) == 2


async def test_pause_refused_as_0_a_stops_the_transaction(
    start_server: StartServer,
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        transaction_id = await _charging(charger, backend)
        charger.behaviour.profile_status = lambda call: (
            "Rejected" if _purpose_and_limit(call)[1] == 0 else "Accepted"
        )
        await backend.async_apply_limit(0.0)
        stop = await charger.recorder.next("RemoteStopTransaction")
        assert stop["transaction_id"] == transaction_id
        assert backend.holds_paused


async def test_resume_by_request_start_2_0_1(start_server: StartServer) -> None:
    server = await start_server(ChargerConfig(charger_id="CS1"))
    backend = server.backends["CS1"]
    async with charger_session(server, "CS1", RecordingChargePointV201) as charger:
        await boot_and_setup(charger, backend)
        await charger.recorder.next("SetChargingProfile")
        token = {"id_token": "TAG-Q", "type": "ISO14443"}
        await charger.call(
            call201.TransactionEvent(
                event_type="Started",
                timestamp=now_iso(),
                trigger_reason="Authorized",
                seq_no=0,
                transaction_info={
                    "transaction_id": "tx-7",
                    "charging_state": "Charging",
                },
                evse={"id": 1, "connector_id": 1},
                id_token=token,
            )
        )
        await backend.async_apply_limit(0.0)
        await charger.recorder.next("SetChargingProfile")
        await charger.call(
            call201.TransactionEvent(
                event_type="Ended",
                timestamp=now_iso(),
                trigger_reason="ChargingStateChanged",
                seq_no=1,
                transaction_info={"transaction_id": "tx-7", "stopped_reason": "Other"},
            )
        )
        await charger.call(
            call201.StatusNotification(
                timestamp=now_iso(),
                connector_status="Occupied",
                evse_id=1,
                connector_id=1,
            )
        )
        assert backend.status.state is ChargerState.CONNECTED
        await backend.async_apply_limit(20.0)
        request = await charger.recorder.next("RequestStartTransaction")
        assert request["evse_id"] == 1
        assert request["id_token"]["id_token"] == "TAG-Q"
        profile = request["charging_profile"]
        assert profile["charging_profile_purpose"] == "TxProfile"
        assert (
            profile["charging_schedule"][0]["charging_schedule_period"][0]["limit"]
            == 20
        )
