"""A second connection with a connected charger's id (issue #12, defect 4).

Without a password, whoever connects with an adopted id used to take over:
the impostor got the real charger's profiles and its transactions were
stored as the real charger's, and a StopTransaction for a transaction id
nobody gave out created a record. Now the live connection stays unless the
newcomer logs in with the charger's password, or the old one is dead.
"""

from __future__ import annotations

import asyncio

from ocpp.v16 import call as call16
from ocpp.v201 import call as call201
import pytest
from websockets.exceptions import InvalidStatus

from custom_components.ev_load_balancer.ocpp_cs import ChargerConfig
from evlb_sim.live.ocpp_charge_points import (
    RecordingChargePointV16,
    RecordingChargePointV201,
)

from .conftest import StartServer, boot, boot_and_setup
from .fake_chargers import WAIT_S, basic_auth, charger_session
from .messages import meter_value, now_iso, sampled_v201

PASSWORD = "0123456789abcdefABCD"


async def test_a_second_connection_does_not_replace_a_live_one(
    start_server: StartServer,
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    collisions: list[tuple[str, str]] = []
    server.add_collision_listener(lambda *collision: collisions.append(collision))
    async with charger_session(server, "CP1", RecordingChargePointV16) as real:
        await boot_and_setup(real, backend)
        with pytest.raises(InvalidStatus) as refused:
            async with charger_session(server, "CP1", RecordingChargePointV16):
                pass
        assert refused.value.response.status_code == 409
        assert collisions == [("CP1", "127.0.0.1")]
        # The real charger keeps its connection and its limits.
        await backend.async_apply_limit(15.0)
        assert real.recorder.calls[-1][0] == "SetChargingProfile"
        assert backend.available
        heartbeat = await real.call(call16.Heartbeat())
        assert heartbeat.current_time


async def test_a_silent_old_connection_is_replaced(start_server: StartServer) -> None:
    """A charger back after a network cut finds its old TCP connection still
    open on our side; it does not answer pings any more, so the new one wins."""
    server = await start_server(ChargerConfig(charger_id="CP1"), liveness_probe_s=0.2)
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as old:
        await boot_and_setup(old, backend)
        old._connection.transport.pause_reading()  # the cable is cut
        async with charger_session(server, "CP1", RecordingChargePointV16) as new:
            assert await boot(new) == "Accepted"
            await backend.async_apply_limit(12.0)
            assert new.recorder.actions()[-1] == "SetChargingProfile"
            old._connection.transport.resume_reading()  # to close it quickly


async def test_a_connection_with_the_password_replaces_the_old_one(
    start_server: StartServer,
) -> None:
    server = await start_server()
    await server.async_adopt(ChargerConfig(charger_id="CP1"), password=PASSWORD)
    backend = server.backends["CP1"]
    credentials = basic_auth("CP1", PASSWORD)
    async with charger_session(
        server, "CP1", RecordingChargePointV16, headers=credentials
    ) as old:
        await boot_and_setup(old, backend)
        async with charger_session(
            server, "CP1", RecordingChargePointV16, headers=credentials
        ) as new:
            async with asyncio.timeout(WAIT_S):
                await old._connection.wait_closed()
            assert old._connection.close_code == 1008
            assert await boot(new) == "Accepted"
            await backend.async_apply_limit(15.0)
            profiles = [
                payload
                for action, payload in new.recorder.calls
                if action == "SetChargingProfile"
            ]
            assert profiles[-1]["cs_charging_profiles"]["stack_level"] == 1


async def test_a_stop_for_an_unknown_transaction_creates_nothing(
    start_server: StartServer,
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        await boot_and_setup(charger, backend)
        answer = await charger.call(
            call16.StopTransaction(
                transaction_id=424242,
                meter_stop=10**9,
                timestamp=now_iso(),
                id_tag="TAG",
            )
        )
        assert answer.id_tag_info == {"status": "Accepted"}
        answer = await charger.call(
            call16.StopTransaction(transaction_id=7, meter_stop=5, timestamp=now_iso())
        )
        assert answer.id_tag_info is None
    assert server.sessions.records == ()
    assert backend.info.energy_kwh is None


async def test_a_transaction_event_of_an_unknown_transaction_creates_nothing(
    start_server: StartServer,
) -> None:
    server = await start_server(ChargerConfig(charger_id="CS1"))
    backend = server.backends["CS1"]
    register = sampled_v201(
        "Energy.Active.Import.Register", 10**9, "Wh", context="Transaction.End"
    )
    events = [
        # The end of a transaction nobody started, with an absurd register.
        ("Ended", "nobody-started-me", 1, [meter_value(register)]),
        # A transaction on an EVSE that is not balanced is not ours either.
        ("Started", "on-evse-2", 2, None),
    ]
    async with charger_session(server, "CS1", RecordingChargePointV201) as charger:
        await boot_and_setup(charger, backend)
        for event_type, transaction_id, evse_id, meter_values in events:
            answer = await charger.call(
                call201.TransactionEvent(
                    event_type=event_type,
                    timestamp=now_iso(),
                    trigger_reason="Trigger",
                    seq_no=0,
                    transaction_info={"transaction_id": transaction_id},
                    evse={"id": evse_id},
                    meter_value=meter_values,
                )
            )
            assert answer.id_token_info is None
    assert server.sessions.records == ()
    assert backend.info.energy_kwh is None
    assert backend.info.transaction_id is None


async def test_one_open_session_per_connector(start_server: StartServer) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        await boot_and_setup(charger, backend)
        for meter_start in (1000, 2000, 3000):
            await charger.call(
                call16.StartTransaction(
                    connector_id=1,
                    id_tag="TAG",
                    meter_start=meter_start,
                    timestamp=now_iso(),
                )
            )
    records = server.sessions.records
    assert len(records) == 3
    assert [record.stopped_at is None for record in records] == [False, False, True]
    assert {record.stop_reason for record in records[:2]} == {"Superseded"}
    assert backend.info.transaction_id == records[-1].transaction_id
