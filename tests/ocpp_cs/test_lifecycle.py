"""Start and stop: stopping closes every connection, task and timer."""

from __future__ import annotations

import asyncio

import pytest
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from custom_components.ev_load_balancer.chargers.base import ChargerCommandError
from custom_components.ev_load_balancer.ocpp_cs import (
    CentralSystem,
    ChargerConfig,
    LimitFailure,
    ServerConfig,
    SessionLog,
)
from evlb_sim.live.ocpp_charge_points import (
    RecordingChargePointV16,
    RecordingChargePointV201,
)

from .conftest import boot_and_setup
from .fake_chargers import WAIT_S, charger_session


async def test_stop_closes_connections_and_in_flight_commands() -> None:
    server = CentralSystem(
        ServerConfig(host="127.0.0.1", port=0),
        chargers=[ChargerConfig(charger_id="CP1")],
    )
    await server.async_start()
    backend = server.backends["CP1"]
    try:
        async with (
            charger_session(server, "CP1", RecordingChargePointV16) as adopted,
            charger_session(server, "CS9", RecordingChargePointV201) as pending,
        ):
            await boot_and_setup(adopted, backend)
            await adopted.recorder.next("SetChargingProfile")  # failsafe
            await backend.async_apply_limit(10.0)  # schedules a refresh timer
            await adopted.recorder.next("SetChargingProfile")
            adopted.behaviour.hold = asyncio.Event()
            in_flight = asyncio.create_task(backend.async_apply_limit(11.0))
            held = await adopted.recorder.next("SetChargingProfile")
            assert held["cs_charging_profiles"]["stack_level"] == 1
            assert len(server.pending) == 1
            await server.async_stop()
            with pytest.raises(ChargerCommandError) as error:
                await in_flight
            assert error.value.reason == LimitFailure.NOT_CONNECTED
            async with asyncio.timeout(WAIT_S):
                await adopted._connection.wait_closed()
                await pending._connection.wait_closed()
            assert adopted._connection.close_code == 1001  # going away
            assert server.pending == ()
            assert not backend.available
            adopted.behaviour.hold.set()
    finally:
        await server.async_stop()  # idempotent


async def test_restart_with_restored_state() -> None:
    sessions = SessionLog()
    config = ChargerConfig(charger_id="CP1", failsafe_current_a=10.0)
    server = CentralSystem(ServerConfig(host="127.0.0.1", port=0), chargers=[config])
    await server.async_start()
    await server.async_stop()
    with pytest.raises(RuntimeError):
        _ = server.port
    restored = CentralSystem(
        ServerConfig(host="127.0.0.1", port=0),
        chargers=[ChargerConfig.from_dict(config.as_dict())],
        sessions=sessions,
    )
    await restored.async_start()
    try:
        assert restored.sessions is sessions
        async with charger_session(restored, "CP1", RecordingChargePointV16) as charger:
            await boot_and_setup(charger, restored.backends["CP1"])
            failsafe = await charger.recorder.next("SetChargingProfile")
            period = failsafe["cs_charging_profiles"]["charging_schedule"][
                "charging_schedule_period"
            ][0]
            assert period["limit"] == 10.0
    finally:
        await restored.async_stop()


async def test_stop_closes_a_bare_connection() -> None:
    server = CentralSystem(ServerConfig(host="127.0.0.1", port=0))
    await server.async_start()
    url = f"ws://127.0.0.1:{server.port}/ocpp/CP1"
    async with connect(url, subprotocols=[Subprotocol("ocpp1.6")]) as websocket:
        await server.async_stop()
        async with asyncio.timeout(WAIT_S):
            await websocket.wait_closed()


def test_config_validation() -> None:
    with pytest.raises(ValueError, match="identity"):
        ChargerConfig(charger_id="bad id")
    with pytest.raises(ValueError, match="path"):
        ServerConfig(path="ocpp/")
    with pytest.raises(ValueError, match="number"):
        ChargerConfig.from_dict({"charger_id": "CP1", "phases": "three"})
    assert ChargerConfig.from_dict({"charger_id": "CP1", "future_field": 1}) == (
        ChargerConfig(charger_id="CP1")
    )
