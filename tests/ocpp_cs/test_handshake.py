"""The HTTP upgrade: charger id, OCPP version and credentials are checked first."""

from __future__ import annotations

import logging

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Subprotocol

from custom_components.ev_load_balancer.ocpp_cs import ChargerConfig
from evlb_sim.live.ocpp_charge_points import RecordingChargePointV16

from .conftest import StartServer, boot
from .fake_chargers import basic_auth, charger_session

PASSWORD = "s3cret-passw0rd-16"


async def _refused_status(url: str, **options: object) -> int:
    with pytest.raises(InvalidStatus) as refused:
        async with connect(url, **options):
            pass
    return refused.value.response.status_code


@pytest.mark.parametrize(
    "tail",
    [
        "",  # empty id
        "x" * 49,  # longer than OCPP's 48
        "bad%20id",  # a space
        "cp%3Cscript%3E",  # odd characters
        "cp1/extra",  # an extra segment
        "cp1%2Fslash",  # an encoded slash is a segment too
        "caf%C3%A9",  # non-ASCII
    ],
)
async def test_bad_charger_ids_are_refused(
    start_server: StartServer, tail: str
) -> None:
    server = await start_server()
    url = f"ws://127.0.0.1:{server.port}/ocpp/{tail}"
    status = await _refused_status(url, subprotocols=[Subprotocol("ocpp1.6")])
    assert status == 404
    assert server.pending == ()


async def test_wrong_path_is_refused(start_server: StartServer) -> None:
    server = await start_server()
    url = f"ws://127.0.0.1:{server.port}/other/CP1"
    assert await _refused_status(url, subprotocols=[Subprotocol("ocpp1.6")]) == 404


async def test_longest_valid_id_is_accepted(start_server: StartServer) -> None:
    server = await start_server()
    charger_id = "A-b_c.d:e*f=g+h|i@" + "z" * 30
    assert len(charger_id) == 48
    async with charger_session(server, charger_id, RecordingChargePointV16) as charger:
        assert await boot(charger) == "Pending"
        assert server.pending[0].charger_id == charger_id


@pytest.mark.parametrize(
    ("offered", "chosen"),
    [
        (["ocpp1.6"], "ocpp1.6"),
        (["ocpp2.0.1"], "ocpp2.0.1"),
        (["ocpp2.0.1", "ocpp1.6"], "ocpp2.0.1"),
        (["ocpp1.6", "ocpp2.0.1"], "ocpp1.6"),  # the charger's preference
        (["ocpp2.1", "ocpp1.6"], "ocpp1.6"),
    ],
)
async def test_version_is_negotiated_by_subprotocol(
    start_server: StartServer, offered: list[str], chosen: str
) -> None:
    server = await start_server()
    url = f"ws://127.0.0.1:{server.port}/ocpp/CP1"
    async with connect(url, subprotocols=[Subprotocol(name) for name in offered]) as ws:
        assert ws.subprotocol == chosen


@pytest.mark.parametrize("offered", [None, ["ocpp2.1"], ["ocpp1.5", "wamp"]])
async def test_no_common_version_is_refused(
    start_server: StartServer, offered: list[str] | None
) -> None:
    server = await start_server()
    url = f"ws://127.0.0.1:{server.port}/ocpp/CP1"
    subprotocols = None if offered is None else [Subprotocol(name) for name in offered]
    assert await _refused_status(url, subprotocols=subprotocols) == 400


@pytest.mark.parametrize(
    "headers",
    [
        None,
        basic_auth("CP1", "wrong password"),
        basic_auth("CP2", PASSWORD),  # the user name must be the charger id
        {"Authorization": "Bearer abc"},
        {"Authorization": "Basic not-base64!"},
    ],
)
async def test_bad_credentials_are_refused_with_401(
    start_server: StartServer,
    caplog: pytest.LogCaptureFixture,
    headers: dict[str, str] | None,
) -> None:
    server = await start_server()
    await server.async_adopt(ChargerConfig(charger_id="CP1"), password=PASSWORD)
    url = f"ws://127.0.0.1:{server.port}/ocpp/CP1"
    with caplog.at_level(logging.DEBUG), pytest.raises(InvalidStatus) as refused:
        async with connect(
            url, subprotocols=[Subprotocol("ocpp1.6")], additional_headers=headers
        ):
            pass
    assert refused.value.response.status_code == 401
    assert refused.value.response.headers["WWW-Authenticate"].startswith("Basic")
    assert not server.backends["CP1"].available
    assert PASSWORD not in caplog.text
    assert "wrong password" not in caplog.text


async def test_good_credentials_are_accepted(
    start_server: StartServer, caplog: pytest.LogCaptureFixture
) -> None:
    server = await start_server()
    config = await server.async_adopt(
        ChargerConfig(charger_id="CP1"), password=PASSWORD
    )
    assert config.password_hash is not None
    assert PASSWORD not in config.password_hash
    with caplog.at_level(logging.DEBUG):
        async with charger_session(
            server, "CP1", RecordingChargePointV16, headers=basic_auth("CP1", PASSWORD)
        ) as charger:
            assert await boot(charger) == "Accepted"
            assert server.backends["CP1"].available
    assert PASSWORD not in caplog.text


async def test_restored_hash_still_authenticates(start_server: StartServer) -> None:
    first = await start_server()
    config = await first.async_adopt(ChargerConfig(charger_id="CP1"), password=PASSWORD)
    restored = ChargerConfig.from_dict(config.as_dict())
    server = await start_server(restored)
    async with charger_session(
        server, "CP1", RecordingChargePointV16, headers=basic_auth("CP1", PASSWORD)
    ) as charger:
        assert await boot(charger) == "Accepted"


async def test_pending_list_is_bounded(start_server: StartServer) -> None:
    server = await start_server(ChargerConfig(charger_id="MINE"), max_pending=2)
    async with (
        charger_session(server, "P1", RecordingChargePointV16),
        charger_session(server, "P2", RecordingChargePointV16),
    ):
        url = f"ws://127.0.0.1:{server.port}/ocpp/P3"
        assert await _refused_status(url, subprotocols=[Subprotocol("ocpp1.6")]) == 503
        # Adopted chargers still get in.
        async with charger_session(server, "MINE", RecordingChargePointV16) as charger:
            assert await boot(charger) == "Accepted"
