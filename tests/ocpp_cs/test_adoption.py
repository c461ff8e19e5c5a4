"""Unknown chargers wait as pending until adopted; adopted ones are accepted."""

from __future__ import annotations

import asyncio

from ocpp.exceptions import SecurityError
from ocpp.v16 import call as call16
import pytest
from websockets.exceptions import InvalidStatus

from custom_components.ev_load_balancer.ocpp_cs import ChargerConfig
from evlb_sim.live.ocpp_charge_points import (
    RecordingChargePointV16,
    RecordingChargePointV201,
)

from .conftest import StartServer, boot, boot_and_setup, wait_until
from .fake_chargers import WAIT_S, basic_auth, charger_session


async def test_unknown_charger_is_pending_and_never_controlled(
    start_server: StartServer,
) -> None:
    server = await start_server()
    changes = asyncio.Queue[int]()
    server.add_pending_listener(lambda: changes.put_nowait(len(server.pending)))
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        assert await changes.get() == 1  # listed as soon as it connects
        assert await boot(charger) == "Pending"
        await changes.get()  # boot details arrived
        (pending,) = server.pending
        assert (pending.charger_id, pending.vendor, pending.model) == (
            "CP1",
            "Acme",
            "Wallbox X",
        )
        assert pending.serial_number == "SN-1"
        assert pending.ocpp_version == "ocpp1.6"
        # Before acceptance only boot and heartbeat are answered.
        with pytest.raises(SecurityError):
            await charger.call(
                call16.StatusNotification(
                    connector_id=1, error_code="NoError", status="Available"
                ),
                suppress=False,
            )
        heartbeat = await charger.call(call16.Heartbeat())
        assert heartbeat.current_time
        assert "CP1" not in server.backends
        assert charger.recorder.calls == []  # no command of any kind
    assert await changes.get() == 0  # gone when it disconnects


async def test_adopting_a_connected_charger_reboots_it_into_accepted(
    start_server: StartServer,
) -> None:
    server = await start_server()
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        assert await boot(charger) == "Pending"
        config = await server.async_adopt(
            ChargerConfig(charger_id="CP1", failsafe_current_a=8.0)
        )
        assert config.password_hash is None
        assert server.pending == ()
        trigger = await charger.recorder.next("TriggerMessage")
        assert trigger == {"requested_message": "BootNotification"}
        backend = server.backends["CP1"]
        await boot_and_setup(charger, backend)
        failsafe = await charger.recorder.next("SetChargingProfile")
        profile = failsafe["cs_charging_profiles"]
        assert failsafe["connector_id"] == 0
        assert profile["charging_profile_purpose"] == "TxDefaultProfile"
        assert profile["stack_level"] == 0
        assert profile["charging_schedule"]["charging_rate_unit"] == "A"
        assert profile["charging_schedule"]["charging_schedule_period"] == [
            {"start_period": 0, "limit": 8.0}
        ]
        assert "duration" not in profile["charging_schedule"]  # permanent
        assert backend.info.failsafe_installed is True
        assert (backend.info.vendor, backend.info.model) == ("Acme", "Wallbox X")


async def test_adopted_charger_is_configured_at_boot(start_server: StartServer) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1", meter_interval_s=15))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        await boot_and_setup(charger, backend)
        assert charger.recorder.actions() == [
            "GetConfiguration",
            "ChangeConfiguration",
            "ChangeConfiguration",
            "SetChargingProfile",
        ]
        capabilities = await charger.recorder.next("GetConfiguration")
        assert set(capabilities["key"]) == {
            "ChargeProfileMaxStackLevel",
            "ChargingScheduleAllowedChargingRateUnit",
        }
        measurands = await charger.recorder.next("ChangeConfiguration")
        assert measurands["key"] == "MeterValuesSampledData"
        assert measurands["value"].split(",") == [
            "Current.Import",
            "Power.Active.Import",
            "Energy.Active.Import.Register",
            "Voltage",
            "SoC",
        ]
        interval = await charger.recorder.next("ChangeConfiguration")
        assert interval == {"key": "MeterValueSampleInterval", "value": "15"}
        assert backend.available


async def test_shorter_measurand_list_when_the_charger_refuses_one(
    start_server: StartServer,
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        charger.behaviour.configuration_status = lambda key, value: (
            "Rejected" if "SoC" in value else "Accepted"
        )
        await boot_and_setup(charger, backend)
        changes = [
            payload["value"]
            for action, payload in charger.recorder.calls
            if action == "ChangeConfiguration"
        ]
        assert "SoC" in changes[0]
        assert "SoC" not in changes[1]
        assert "Voltage" in changes[1]
        assert changes[2] == "10"


async def test_adoption_when_boot_trigger_is_refused(start_server: StartServer) -> None:
    server = await start_server()
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        charger.behaviour.trigger_status = "Rejected"
        assert await boot(charger) == "Pending"
        await server.async_adopt(ChargerConfig(charger_id="CP1"))
        backend = server.backends["CP1"]
        # Set up at once; its next boot is accepted.
        await wait_until(backend, lambda: backend.info.failsafe_installed is True)
        assert await boot(charger) == "Accepted"


async def test_adoption_2_0_1_uses_the_device_model(start_server: StartServer) -> None:
    server = await start_server()
    async with charger_session(server, "CS1", RecordingChargePointV201) as charger:
        assert await boot(charger) == "Pending"
        assert server.pending[0].vendor == "Acme"
        await server.async_adopt(ChargerConfig(charger_id="CS1", meter_interval_s=20))
        assert (await charger.recorder.next("TriggerMessage"))[
            "requested_message"
        ] == "BootNotification"
        backend = server.backends["CS1"]
        await boot_and_setup(charger, backend)
        read = await charger.recorder.next("GetVariables")
        assert {
            (item["component"]["name"], item["variable"]["name"])
            for item in read["get_variable_data"]
        } == {
            ("SmartChargingCtrlr", "ProfileStackLevel"),
            ("SmartChargingCtrlr", "RateUnit"),
        }
        written = await charger.recorder.next("SetVariables")
        values = {
            item["variable"]["name"]: item["attribute_value"]
            for item in written["set_variable_data"]
        }
        assert values["TxUpdatedInterval"] == "20"
        assert "Current.Import" in values["TxUpdatedMeasurands"]
        failsafe = await charger.recorder.next("SetChargingProfile")
        assert failsafe["evse_id"] == 0
        profile = failsafe["charging_profile"]
        assert profile["stack_level"] == 0
        assert profile["charging_profile_purpose"] == "TxDefaultProfile"
        assert (
            profile["charging_schedule"][0]["charging_schedule_period"][0]["limit"]
            == 6.0
        )


async def test_adopting_with_a_password_requires_reconnecting_with_it(
    start_server: StartServer,
) -> None:
    server = await start_server()
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        assert await boot(charger) == "Pending"
        config = await server.async_adopt(
            ChargerConfig(charger_id="CP1"), password="correct horse battery"
        )
        assert config.password_hash is not None
        assert "correct horse battery" not in config.password_hash
        # Connected without credentials: the server closes the connection.
        async with asyncio.timeout(WAIT_S):
            await charger._connection.wait_closed()
    with pytest.raises(InvalidStatus) as refused:
        async with charger_session(server, "CP1", RecordingChargePointV16):
            pass
    assert refused.value.response.status_code == 401
    credentials = basic_auth("CP1", "correct horse battery")
    async with charger_session(
        server, "CP1", RecordingChargePointV16, headers=credentials
    ) as charger:
        assert await boot(charger) == "Accepted"


async def test_forgetting_removes_our_profiles(start_server: StartServer) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        await boot_and_setup(charger, backend)
        await server.async_forget("CP1")
        cleared = [
            payload["id"]
            for action, payload in charger.recorder.calls
            if action == "ClearChargingProfile"
        ]
        assert cleared == [7303, 7302, 7301]
        assert "CP1" not in server.backends
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        assert await boot(charger) == "Pending"
