"""Commands the HA layer sends on behalf of the user, in both versions."""

from __future__ import annotations

from ocpp.v16 import call as call16
import pytest

from custom_components.ev_load_balancer.chargers.base import ChargerCommandError
from custom_components.ev_load_balancer.ocpp_cs import ChargerConfig, LimitFailure
from evlb_sim.live.ocpp_charge_points import (
    RecordingChargePointV16,
    RecordingChargePointV201,
)

from .conftest import StartServer, boot_and_setup
from .fake_chargers import charger_session
from .messages import now_iso


async def test_commands_1_6(start_server: StartServer) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1", id_tag="HOME"))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        await boot_and_setup(charger, backend)
        charger.behaviour.configuration["HeartbeatInterval"] = "300"

        assert await backend.async_reset(hard=True) == "Accepted"
        assert await charger.recorder.next("Reset") == {"type": "Hard"}
        assert await backend.async_reset() == "Accepted"
        assert await charger.recorder.next("Reset") == {"type": "Soft"}

        assert await backend.async_unlock() == "Unlocked"
        assert await charger.recorder.next("UnlockConnector") == {"connector_id": 1}

        assert await backend.async_remote_start() == "Accepted"
        start = await charger.recorder.next("RemoteStartTransaction")
        assert (start["connector_id"], start["id_tag"]) == (1, "HOME")

        with pytest.raises(ChargerCommandError) as no_session:
            await backend.async_remote_stop()
        assert no_session.value.reason == "no_transaction"
        started = await charger.call(
            call16.StartTransaction(
                connector_id=1, id_tag="HOME", meter_start=0, timestamp=now_iso()
            )
        )
        assert await backend.async_remote_stop() == "Accepted"
        stop = await charger.recorder.next("RemoteStopTransaction")
        assert stop == {"transaction_id": started.transaction_id}

        assert await backend.async_trigger_message("MeterValues") == "Accepted"
        trigger = await charger.recorder.next("TriggerMessage")
        assert trigger == {"requested_message": "MeterValues"}

        values = await backend.async_get_configuration(["HeartbeatInterval", "Nope"])
        assert values == {"HeartbeatInterval": "300", "Nope": None}
        everything = await backend.async_get_configuration()
        assert everything["ChargeProfileMaxStackLevel"] == "3"

        assert await backend.async_change_configuration("LightIntensity", "50") == (
            "Accepted"
        )
        assert (charger.recorder.calls[-1]) == (
            "ChangeConfiguration",
            {"key": "LightIntensity", "value": "50"},
        )
        assert await backend.async_clear_profile(7302) == "Accepted"
        assert await charger.recorder.next("ClearChargingProfile") == {"id": 7302}


async def test_commands_2_0_1(start_server: StartServer) -> None:
    server = await start_server(ChargerConfig(charger_id="CS1"))
    backend = server.backends["CS1"]
    async with charger_session(server, "CS1", RecordingChargePointV201) as charger:
        await boot_and_setup(charger, backend)
        values = await backend.async_get_configuration(
            ["SmartChargingCtrlr.RateUnit", "OCPPCommCtrlr.Missing"]
        )
        assert values == {
            "SmartChargingCtrlr.RateUnit": "A,W",
            "OCPPCommCtrlr.Missing": None,
        }
        assert await backend.async_get_configuration() == {}
        charger.behaviour.configuration_status = lambda key, value: "RebootRequired"
        assert (
            await backend.async_change_configuration(
                "OCPPCommCtrlr.HeartbeatInterval", "60"
            )
            == "RebootRequired"
        )
        assert await backend.async_remote_start("CARD-9") == "Accepted"
        request = await charger.recorder.next("RequestStartTransaction")
        assert request["id_token"] == {"id_token": "CARD-9", "type": "Central"}
        assert await backend.async_trigger_message("StatusNotification") == "Accepted"


async def test_commands_need_a_connection(start_server: StartServer) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    with pytest.raises(ChargerCommandError) as error:
        await server.backends["CP1"].async_reset()
    assert error.value.reason == LimitFailure.NOT_CONNECTED
