"""Malformed input gets the right CALLERROR and the connection stays up."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from custom_components.ev_load_balancer.ocpp_cs import ChargerConfig
from evlb_sim.live.ocpp_charge_points import RecordingChargePointV16

from .conftest import StartServer, boot
from .fake_chargers import WAIT_S, charger_session, charger_url


async def _answer(websocket: ClientConnection, frame: str) -> list[Any]:
    """Send a raw frame; return the server's answer (skipping its own CALLs)."""
    await websocket.send(frame)
    async with asyncio.timeout(WAIT_S):
        while True:
            message = json.loads(await websocket.recv())
            if message[0] != 2:
                return message


async def _still_up(websocket: ClientConnection) -> None:
    answer = await _answer(websocket, '[2,"alive","Heartbeat",{}]')
    assert answer[:2] == [3, "alive"]
    assert "currentTime" in answer[2]


V16 = "ocpp1.6"
V201 = "ocpp2.0.1"


@pytest.mark.parametrize(
    ("version", "frame", "message_id", "code"),
    [
        (V16, '[2, "a1", "Heartbeat", {', "-1", "FormationViolation"),
        (V201, '[2, "a1", "Heartbeat", {', "-1", "RpcFrameworkError"),
        (V16, '{"not": "an array"}', "-1", "FormationViolation"),
        (V201, "[2]", "-1", "RpcFrameworkError"),
        (V201, '[2, 17, "Heartbeat", {}]', "-1", "RpcFrameworkError"),
        (V201, '[2, "n1", "Heartbeat", {"x": NaN}]', "-1", "RpcFrameworkError"),
        (V16, '[2, "a2", "FlyToTheMoon", {}]', "a2", "NotSupported"),
        (V201, '[2, "a2", "FlyToTheMoon", {}]', "a2", "NotSupported"),
        (
            V16,
            '[2, "a3", "BootNotification", {}]',
            "a3",
            "OccurenceConstraintViolation",
        ),
        (
            V201,
            '[2, "a3", "BootNotification", {"reason": "PowerUp"}]',
            "a3",
            "OccurrenceConstraintViolation",
        ),
        (
            V16,
            '[2, "a4", "BootNotification", '
            '{"chargePointVendor": 5, "chargePointModel": "M"}]',
            "a4",
            "TypeConstraintViolation",
        ),
        (V16, '[2, "a5", "Heartbeat", {"extra": 1}]', "a5", "FormationViolation"),
        (V201, '[2, "a5", "Heartbeat", {"extra": 1}]', "a5", "FormatViolation"),
        (
            V16,
            '[2, "a6", "BootNotification", '
            '{"chargePointVendor": "' + "v" * 21 + '", "chargePointModel": "M"}]',
            "a6",
            "PropertyConstraintViolation",
        ),
        (V16, '[2, "a7", "Heartbeat", []]', "a7", "FormationViolation"),
        (V16, '[7, "a8", {}]', "a8", "ProtocolError"),
        (V201, '[7, "a8", {}]', "a8", "MessageTypeNotSupported"),
        (V201, '[2, "' + "i" * 37 + '", "Heartbeat", {}]', "-1", "RpcFrameworkError"),
    ],
)
async def test_malformed_frames_get_a_callerror(
    start_server: StartServer, version: str, frame: str, message_id: str, code: str
) -> None:
    server = await start_server()
    async with connect(
        charger_url(server, "RAW1"), subprotocols=[Subprotocol(version)]
    ) as websocket:
        answer = await _answer(websocket, frame)
        assert answer[0] == 4
        assert answer[1] == message_id
        assert answer[2] == code
        assert isinstance(answer[3], str)
        assert answer[4] == {}
        await _still_up(websocket)


async def test_known_action_without_handler_is_not_implemented(
    start_server: StartServer,
) -> None:
    server = await start_server(ChargerConfig(charger_id="RAW1"))
    async with connect(
        charger_url(server, "RAW1"), subprotocols=[Subprotocol(V16)]
    ) as websocket:
        answer = await _answer(websocket, '[2, "s1", "SignCertificate", {"csr": "x"}]')
        assert answer[:3] == [4, "s1", "NotImplemented"]
        await _still_up(websocket)


async def test_stray_answers_and_binary_frames_are_tolerated(
    start_server: StartServer,
) -> None:
    server = await start_server()
    async with connect(
        charger_url(server, "RAW1"), subprotocols=[Subprotocol(V16)]
    ) as websocket:
        await websocket.send('[3, "nobody-asked", {}]')
        await websocket.send('[4, "nobody-asked", "GenericError", "x", {}]')
        await websocket.send(b'[2, "b1", "Heartbeat", {}]')
        answer = json.loads(await websocket.recv())
        assert answer[:2] == [3, "b1"]
        await _still_up(websocket)


async def test_oversized_frame_is_refused(start_server: StartServer) -> None:
    server = await start_server(max_frame_bytes=2048)
    async with connect(
        charger_url(server, "RAW1"), subprotocols=[Subprotocol(V16)]
    ) as websocket:
        await _still_up(websocket)
        big = json.dumps(
            [2, "big", "DataTransfer", {"vendorId": "x", "data": "a" * 4096}]
        )
        await websocket.send(big)
        with pytest.raises(ConnectionClosed) as closed:
            async with asyncio.timeout(WAIT_S):
                await websocket.recv()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1009  # message too big
    assert server.pending == ()


async def test_pending_charger_reconnect_is_listed_once(
    start_server: StartServer,
) -> None:
    server = await start_server()
    async with charger_session(server, "CP9", RecordingChargePointV16) as old:
        assert await boot(old) == "Pending"
        async with charger_session(server, "CP9", RecordingChargePointV16) as new:
            async with asyncio.timeout(WAIT_S):
                await old._connection.wait_closed()
            assert await boot(new) == "Pending"
            assert [pending.charger_id for pending in server.pending] == ["CP9"]
