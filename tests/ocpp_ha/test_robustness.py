"""Malformed input is refused without harming the site or what it shows."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Subprotocol

from tests.ocpp_cs.fake_chargers import WAIT_S

from .conftest import SetUpSite
from .site import ocpp_subentry, server_port, site_entry, state_becomes

BOOT = '[2,"b1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]'


async def _answer(websocket: ClientConnection, frame: str) -> list[Any]:
    """Send a raw frame; the server's answer to it (its own CALLs are answered)."""
    await websocket.send(frame)
    async with asyncio.timeout(WAIT_S):
        while True:
            message = json.loads(await websocket.recv())
            if message[0] != 2:
                return message
            reply: dict[str, Any] = {"status": "Accepted"}
            if message[2] == "GetConfiguration":
                reply = {"configurationKey": []}
            await websocket.send(json.dumps([3, message[1], reply]))


def _meter_values(message_id: str, current: Any) -> str:
    sampled = {"value": current, "measurand": "Current.Import", "phase": "L1"}
    payload = {
        "connectorId": 1,
        "meterValue": [
            {"timestamp": "2025-01-01T00:00:00Z", "sampledValue": [sampled]}
        ],
    }
    return json.dumps([2, message_id, "MeterValues", payload])


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_malformed_messages_are_refused_and_the_site_goes_on(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    entry = await setup_site(
        site_entry(ocpp_subentry("CP1", title="Bay 1", connection="single_phase_l1"))
    )
    url = f"ws://127.0.0.1:{server_port(entry)}/ocpp/CP1"
    async with connect(url, subprotocols=[Subprotocol("ocpp1.6")]) as websocket:
        assert (await _answer(websocket, BOOT))[2]["status"] == "Accepted"
        assert (await _answer(websocket, _meter_values("m1", "7.5")))[0] == 3
        await state_becomes(hass, "sensor.bay_1_current_l1", "7.5")

        for frame, code in (
            ("this is not json", "FormationViolation"),
            ('[2, "x1", "Heartbeat", {', "FormationViolation"),
            ('[2, "x2", "FlyToTheMoon", {}]', "NotSupported"),
            (_meter_values("x3", 7), "TypeConstraintViolation"),  # 1.6: a string
            ('[2, "x4", "StartTransaction", {"connectorId": 1}]', None),
        ):
            answer = await _answer(websocket, frame)
            assert answer[0] == 4, frame
            if code is not None:
                assert answer[2] == code
        # Values that pass the schema but are no number are ignored.
        assert (await _answer(websocket, _meter_values("m2", "lots")))[0] == 3
        assert (await _answer(websocket, _meter_values("m3", "NaN")))[0] == 3
        assert (await _answer(websocket, '[2,"h1","Heartbeat",{}]'))[0] == 3

        assert entry.state is ConfigEntryState.LOADED
        assert hass.states.get("sensor.bay_1_current_l1").state == "7.5"
        # The connection is still good for real data.
        assert (await _answer(websocket, _meter_values("m4", "9.25")))[0] == 3
        await state_becomes(hass, "sensor.bay_1_current_l1", "9.2")


@pytest.mark.parametrize(
    ("path", "protocols", "status"),
    [
        ("/ocpp/bad%20id", ["ocpp1.6"], 404),
        ("/ocpp/" + "x" * 49, ["ocpp1.6"], 404),
        ("/ocpp/a/b", ["ocpp1.6"], 404),
        ("/elsewhere/CP1", ["ocpp1.6"], 404),
        ("/ocpp/CP1", ["ocpp1.5"], 400),
    ],
)
async def test_bad_handshakes_are_refused(
    hass: HomeAssistant,
    setup_site: SetUpSite,
    path: str,
    protocols: list[str],
    status: int,
) -> None:
    entry = await setup_site(site_entry())
    url = f"ws://127.0.0.1:{server_port(entry)}{path}"
    with pytest.raises(InvalidStatus) as refused:
        async with connect(url, subprotocols=[Subprotocol(p) for p in protocols]):
            pass
    assert refused.value.response.status_code == status
    assert entry.runtime_data.ocpp.pending == ()
