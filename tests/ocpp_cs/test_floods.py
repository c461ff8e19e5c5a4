"""Floods from the network (issue #12, defects 5 to 7).

5. Wrong-password handshakes each ran a 16 MB scrypt, as many at once as
   came in: 400 of them took Home Assistant from 287 MB to 1.1 GB.
6. There was no handshake timeout: half-sent requests stayed open.
7. The pending list could be filled from one address, and every refusal
   logged a warning.
(The memory itself is measured by `make bench`: BENCH auth_flood.)
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
import logging
import re

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Subprotocol

from custom_components.ev_load_balancer.ocpp_cs import CentralSystem, ChargerConfig
from evlb_sim.live.ocpp_charge_points import RecordingChargePointV16

from .conftest import StartServer, boot
from .fake_chargers import WAIT_S, basic_auth, charger_session, charger_url

PASSWORD = "0123456789abcdefABCD"


async def _status(
    server: CentralSystem, charger_id: str, headers: dict[str, str] | None = None
) -> int:
    """The HTTP status of a handshake (101 when it became a websocket)."""
    try:
        async with connect(
            charger_url(server, charger_id),
            subprotocols=[Subprotocol("ocpp1.6")],
            additional_headers=headers,
        ):
            return 101
    except InvalidStatus as refused:
        return refused.response.status_code


async def test_wrong_passwords_are_checked_a_few_at_a_time(
    start_server: StartServer,
) -> None:
    server = await start_server()  # two checks at once by default
    await server.async_adopt(ChargerConfig(charger_id="CP1"), password=PASSWORD)
    wrong = basic_auth("CP1", "not the password at all")
    statuses = await asyncio.gather(*(_status(server, "CP1", wrong) for _ in range(30)))
    # Two were checked (and failed); the others were refused without scrypt.
    assert statuses.count(401) <= 2
    assert set(statuses) <= {401, 429}
    assert statuses.count(429) >= 28


async def test_a_charger_that_logged_in_is_not_locked_out_by_a_flood(
    start_server: StartServer,
) -> None:
    server = await start_server()
    await server.async_adopt(ChargerConfig(charger_id="CP1"), password=PASSWORD)
    right = basic_auth("CP1", PASSWORD)
    assert await _status(server, "CP1", right) == 101
    wrong = basic_auth("CP1", "guess")
    assert await _status(server, "CP1", wrong) == 401
    assert await _status(server, "CP1", wrong) == 429  # backing off
    async with charger_session(
        server, "CP1", RecordingChargePointV16, headers=right
    ) as charger:
        assert await boot(charger) == "Accepted"


async def test_asking_without_credentials_first_is_not_a_failure(
    start_server: StartServer,
) -> None:
    """Clients may send credentials only once a 401 asked for them."""
    server = await start_server()
    await server.async_adopt(ChargerConfig(charger_id="CP1"), password=PASSWORD)
    assert await _status(server, "CP1") == 401
    assert await _status(server, "CP1", basic_auth("CP1", PASSWORD)) == 101


type Stream = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def _half_sent(server: CentralSystem, streams: list[Stream]) -> Stream:
    """A handshake that never finishes its request headers (kept open by the
    list: a writer that is garbage collected closes its connection)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(b"GET /ocpp/CP1 HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    await writer.drain()
    streams.append((reader, writer))
    return reader, writer


@pytest.fixture
async def streams() -> AsyncIterator[list[Stream]]:
    opened: list[Stream] = []
    yield opened
    for _, writer in opened:
        writer.close()


async def test_a_half_sent_handshake_is_closed(
    start_server: StartServer, streams: list[Stream]
) -> None:
    server = await start_server(handshake_timeout_s=0.2)
    reader, _ = await _half_sent(server, streams)
    async with asyncio.timeout(WAIT_S):
        assert await reader.read() == b""  # closed by the server


@pytest.mark.parametrize(
    ("cap", "reason"),
    [
        ("max_handshakes_per_address", "too many handshakes from one address"),
        ("max_handshakes", "too many handshakes at once"),
    ],
)
async def test_handshakes_waiting_are_capped(
    start_server: StartServer,
    streams: list[Stream],
    caplog: pytest.LogCaptureFixture,
    cap: str,
    reason: str,
) -> None:
    server = await start_server(**{cap: 3})
    for _ in range(3):
        await _half_sent(server, streams)
    with caplog.at_level(logging.WARNING):
        one_more, _ = await _half_sent(server, streams)
        async with asyncio.timeout(WAIT_S):
            assert await one_more.read() == b""  # refused at once
    assert [r for r in caplog.records if reason in r.getMessage()]
    # The first three still wait (a complete request would still be answered).
    _, writer = streams[0]
    writer.write(b"\r\n")
    reader = streams[0][0]
    async with asyncio.timeout(WAIT_S):
        status_line = await reader.readline()
    assert status_line.startswith(b"HTTP/1.1 ")


async def test_one_address_cannot_fill_the_pending_list(
    start_server: StartServer, caplog: pytest.LogCaptureFixture
) -> None:
    server = await start_server()  # 32 may wait, 8 from one address
    async with AsyncExitStack() as stack:
        for index in range(8):
            await stack.enter_async_context(
                charger_session(server, f"P{index}", RecordingChargePointV16)
            )
        with caplog.at_level(logging.WARNING):
            statuses = [await _status(server, f"X{index}") for index in range(10)]
        assert statuses == [503] * 10
        assert len(server.pending) == 8
        refusals = [r for r in caplog.records if "refused" in r.getMessage()]
        assert len(refusals) == 1  # the first at once, the others counted
        await server.async_stop()
    summary = [
        r.getMessage() for r in caplog.records if "refused 9 more" in r.getMessage()
    ]
    assert len(summary) == 1
    assert "9 too many chargers from one address wait for adoption" in summary[0]


class _Summaries(logging.Handler):
    """Collects the refusal log's sums; `done` is set once they add up to
    `expected` refusals."""

    def __init__(self, expected: int) -> None:
        super().__init__(logging.WARNING)
        self.expected = expected
        self.done = asyncio.Event()
        self.counts: list[int] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        found = re.search(r"refused (\d+) more connections: \1 invalid", message)
        if found and "in the last" in message:
            self.counts.append(int(found[1]))
            if sum(self.counts) >= self.expected:
                self.done.set()


async def test_refusals_are_summed_up_once_an_interval(
    start_server: StartServer, caplog: pytest.LogCaptureFixture
) -> None:
    server = await start_server(refusal_log_interval_s=0.5)
    summaries = _Summaries(expected=4)
    refusals = logging.getLogger("custom_components.ev_load_balancer.ocpp_cs.refusals")
    refusals.addHandler(summaries)
    try:
        with caplog.at_level(logging.WARNING):
            statuses = await asyncio.gather(
                *(_status(server, "x" * 49) for _ in range(5))
            )
            async with asyncio.timeout(WAIT_S):
                await summaries.done.wait()
    finally:
        refusals.removeHandler(summaries)
    assert statuses == [404] * 5
    warnings = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    # The first at once with its reason; the other four summed up when their
    # interval ended (one line per interval, not one per refusal).
    assert "refused a connection: invalid charge point id" in warnings[0]
    assert len(warnings) == 1 + len(summaries.counts)
    assert sum(summaries.counts) == 4
