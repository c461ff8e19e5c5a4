"""async_apply_limit arrives as SetChargingProfile: values, units, stack levels."""

from __future__ import annotations

from datetime import datetime

from ocpp.v16 import call as call16
from ocpp.v201 import call as call201
import pytest

from custom_components.ev_load_balancer.chargers.base import ChargerCommandError
from custom_components.ev_load_balancer.ocpp_cs import ChargerConfig, LimitFailure
from evlb_sim.live.ocpp_charge_points import (
    RecordingChargePointV16,
    RecordingChargePointV201,
)

from .conftest import StartServer, boot_and_setup
from .fake_chargers import charger_session
from .messages import meter_value, now_iso, sampled_v16, sampled_v201, three_phase_v16


def _schedule_v16(call: dict) -> dict:
    return call["cs_charging_profiles"]["charging_schedule"]


def _limit_v16(call: dict) -> float:
    return _schedule_v16(call)["charging_schedule_period"][0]["limit"]


async def test_limit_in_amperes_on_the_dynamic_default_profile(
    start_server: StartServer,
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1", limit_validity_s=240))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        await boot_and_setup(charger, backend)
        failsafe = await charger.recorder.next("SetChargingProfile")
        await backend.async_apply_limit(13.75)
        dynamic = await charger.recorder.next("SetChargingProfile")
        assert dynamic["connector_id"] == 1
        profile = dynamic["cs_charging_profiles"]
        assert profile["charging_profile_purpose"] == "TxDefaultProfile"
        assert profile["stack_level"] == 1
        assert profile["stack_level"] > failsafe["cs_charging_profiles"]["stack_level"]
        assert (
            profile["charging_profile_id"]
            != (failsafe["cs_charging_profiles"]["charging_profile_id"])
        )
        assert profile["charging_profile_kind"] == "Absolute"
        schedule = _schedule_v16(dynamic)
        assert schedule["charging_rate_unit"] == "A"
        assert _limit_v16(dynamic) == 13.7  # rounded down to the 0.1 A grid
        # Expires unless refreshed: the charger falls back to the failsafe.
        assert schedule["duration"] >= 240
        assert datetime.fromisoformat(schedule["start_schedule"]).tzinfo is not None
        assert backend.info.limit_a == 13.75
        assert backend.step_a == 0.1


async def test_limit_in_watts_when_the_charger_allows_only_watts(
    start_server: StartServer,
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        charger.behaviour.configuration["ChargingScheduleAllowedChargingRateUnit"] = (
            "Power"
        )
        await boot_and_setup(charger, backend)
        failsafe = await charger.recorder.next("SetChargingProfile")
        assert _schedule_v16(failsafe)["charging_rate_unit"] == "W"
        assert _limit_v16(failsafe) == 6 * 230 * 3  # nominal, wired phases
        # A one-phase EV at 235 V: the other two phases idle.
        await charger.call(
            call16.MeterValues(
                connector_id=1,
                meter_value=[three_phase_v16((15.0, 0.2, 0.1), voltage=235.0)],
            )
        )
        await backend.async_apply_limit(10.0)
        dynamic = await charger.recorder.next("SetChargingProfile")
        assert _schedule_v16(dynamic)["charging_rate_unit"] == "W"
        assert _limit_v16(dynamic) == 10 * 235 * 1


async def test_limit_in_watts_2_0_1(start_server: StartServer) -> None:
    server = await start_server(ChargerConfig(charger_id="CS1"))
    backend = server.backends["CS1"]
    async with charger_session(server, "CS1", RecordingChargePointV201) as charger:
        charger.behaviour.configuration["SmartChargingCtrlr.RateUnit"] = "W"
        await boot_and_setup(charger, backend)
        await charger.recorder.next("SetChargingProfile")  # failsafe
        await charger.call(
            call201.MeterValues(
                evse_id=1,
                meter_value=[
                    meter_value(
                        *(
                            sampled_v201("Current.Import", 16.0, "A", phase=phase)
                            for phase in ("L1", "L2", "L3")
                        ),
                        *(
                            sampled_v201("Voltage", 228.0, "V", phase=phase)
                            for phase in ("L1-N", "L2-N", "L3-N")
                        ),
                    )
                ],
            )
        )
        await backend.async_apply_limit(16.0)
        dynamic = await charger.recorder.next("SetChargingProfile")
        assert dynamic["evse_id"] == 1
        profile = dynamic["charging_profile"]
        assert (profile["charging_profile_purpose"], profile["stack_level"]) == (
            "TxDefaultProfile",
            1,
        )
        (schedule,) = profile["charging_schedule"]
        assert schedule["charging_rate_unit"] == "W"
        assert schedule["charging_schedule_period"][0]["limit"] == 16 * 228 * 3


async def test_limit_in_amperes_2_0_1(start_server: StartServer) -> None:
    server = await start_server(ChargerConfig(charger_id="CS1"))
    backend = server.backends["CS1"]
    async with charger_session(server, "CS1", RecordingChargePointV201) as charger:
        await boot_and_setup(charger, backend)
        await charger.recorder.next("SetChargingProfile")
        await backend.async_apply_limit(7.25)
        (schedule,) = (await charger.recorder.next("SetChargingProfile"))[
            "charging_profile"
        ]["charging_schedule"]
        assert schedule["charging_rate_unit"] == "A"
        assert schedule["charging_schedule_period"][0]["limit"] == 7.2


async def test_no_stack_level_above_the_failsafe_uses_the_transaction(
    start_server: StartServer,
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        charger.behaviour.configuration["ChargeProfileMaxStackLevel"] = "0"
        await boot_and_setup(charger, backend)
        await charger.recorder.next("SetChargingProfile")
        # Nothing to limit while idle: deferred, no error, nothing sent.
        await backend.async_apply_limit(12.0)
        assert charger.recorder.pending("SetChargingProfile") == 0
        started = await charger.call(
            call16.StartTransaction(
                connector_id=1, id_tag="T", meter_start=0, timestamp=now_iso()
            )
        )
        tx_call = await charger.recorder.next("SetChargingProfile")
        profile = tx_call["cs_charging_profiles"]
        assert profile["charging_profile_purpose"] == "TxProfile"
        assert profile["stack_level"] == 0
        assert profile["transaction_id"] == started.transaction_id
        assert _limit_v16(tx_call) == 12.0


async def test_limit_without_connection_raises(start_server: StartServer) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    assert not backend.available
    with pytest.raises(ChargerCommandError) as error:
        await backend.async_apply_limit(10.0)
    assert error.value.reason == LimitFailure.NOT_CONNECTED


async def test_limit_is_resent_when_the_charger_reconnects(
    start_server: StartServer,
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        await boot_and_setup(charger, backend)
        await backend.async_apply_limit(11.0)
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        # A 1.6 charger that reconnects without rebooting: any first message.
        await charger.call(call16.Heartbeat())
        failsafe = await charger.recorder.next("SetChargingProfile")
        assert failsafe["cs_charging_profiles"]["stack_level"] == 0
        again = await charger.recorder.next("SetChargingProfile")
        assert _limit_v16(again) == 11.0


@pytest.mark.parametrize("value", [-1.0, float("nan"), float("inf")])
async def test_absurd_limits_are_refused(
    start_server: StartServer, value: float
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    with pytest.raises(ValueError, match="limit"):
        await server.backends["CP1"].async_apply_limit(value)


async def test_sampled_value_in_kilowatts_is_converted(
    start_server: StartServer,
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        await boot_and_setup(charger, backend)
        await charger.call(
            call16.MeterValues(
                connector_id=1,
                meter_value=[
                    meter_value(sampled_v16("Power.Active.Import", 7.4, "kW"))
                ],
            )
        )
        assert backend.status.power_w == pytest.approx(7400.0)
