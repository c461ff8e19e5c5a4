"""Where the server listens is an option; changing it restarts the server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
import socket
import ssl
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
import pytest
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from custom_components.ev_load_balancer.const import DOMAIN
from custom_components.ev_load_balancer.diagnostics import (
    async_get_config_entry_diagnostics,
)
from custom_components.ev_load_balancer.ocpp_cs import hash_password
from tests.ocpp_cs.test_tls import _self_signed

from .conftest import SetUpSite
from .site import advance, ocpp_server, ocpp_subentry, site_entry

TUNABLES = {
    "safety_margin": 2.0,
    "hold_time": 0,
    "rotation_period": 15,
    "strategy": "fair",
    "failsafe_mode": "static_share",
    "failsafe_reserve": 20,
    "stale_after": 10,
}
BOOT = '[2,"b1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]'


@pytest.fixture
def listening_socket() -> Iterator[socket.socket]:
    """A port somebody else holds (as another OCPP integration would)."""
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    yield holder
    holder.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _options(
    hass: HomeAssistant, entry_id: str, server: dict[str, Any] | None
) -> dict[str, Any]:
    result = await hass.config_entries.options.async_init(entry_id)
    assert "ocpp_server" in result["data_schema"].schema
    user_input = dict(TUNABLES)
    if server is not None:
        # As the frontend sends it: empty optional fields are left out.
        user_input["ocpp_server"] = {k: v for k, v in server.items() if v is not None}
    return await hass.config_entries.options.async_configure(
        result["flow_id"], user_input
    )


async def test_turning_the_server_on_with_tls(
    hass: HomeAssistant, setup_site: SetUpSite, tmp_path: Path
) -> None:
    entry = await setup_site(site_entry(server={"enabled": False}))
    assert entry.runtime_data.ocpp.port is None  # off: nothing listens
    cert, key = _self_signed(tmp_path)
    port = _free_port()
    wanted = ocpp_server(port=port, path="chargers/", tls_certificate=str(cert))
    for server, error in (
        ({**wanted, "tls_key": None, "path": "/a b"}, "ocpp_path_invalid"),
        (wanted, "ocpp_tls_pair"),
        ({**wanted, "tls_key": str(tmp_path / "missing.pem")}, "ocpp_tls_invalid"),
        ({**wanted, "tls_key": str(cert)}, "ocpp_tls_invalid"),  # not a key
    ):
        result = await _options(hass, entry.entry_id, server)
        assert result["errors"] == {"base": error}
    result = await _options(hass, entry.entry_id, {**wanted, "tls_key": str(key)})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options["ocpp_server"]["path"] == "/chargers"
    await hass.async_block_till_done()  # reloaded: the server restarts

    runtime = entry.runtime_data.ocpp
    assert (runtime.port, runtime.settings.tls) == (port, True)
    trust = ssl.create_default_context(cafile=str(cert))
    async with connect(
        f"wss://127.0.0.1:{port}/chargers/CP9",
        subprotocols=[Subprotocol("ocpp1.6")],
        ssl=trust,
    ) as websocket:
        await websocket.send(BOOT)
        assert '"Pending"' in str(await websocket.recv())

    # Tunables alone apply live: the server is not restarted.
    result = await _options(hass, entry.entry_id, None)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.runtime_data.ocpp is runtime


async def test_a_taken_port_is_reported_and_tried_again(
    hass: HomeAssistant,
    setup_site: SetUpSite,
    freezer: FrozenDateTimeFactory,
    listening_socket: socket.socket,
) -> None:
    port = int(listening_socket.getsockname()[1])
    entry = await setup_site(site_entry(server=ocpp_server(port=port)))
    issue_id = f"ocpp_server_failed_{entry.entry_id}"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders["site"] == "Garage"
    assert entry.runtime_data.ocpp.port is None

    listening_socket.close()  # the other program goes away
    await advance(hass, freezer, 61)
    assert entry.runtime_data.ocpp.port == port
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_diagnostics_show_the_server_and_hide_secrets(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    password_hash = await hass.async_add_executor_job(hash_password, "pw")
    entry = await setup_site(
        site_entry(ocpp_subentry("CP1", title="Bay 1", password_hash=password_hash))
    )
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    ocpp = diagnostics["ocpp"]
    assert ocpp["running"] is True
    assert ocpp["bound_port"] == entry.runtime_data.ocpp.port
    charger = ocpp["chargers"]["sub_CP1"]
    assert charger["charge_point_id"] == "CP1"
    assert charger["password_set"] is True
    assert charger["info"]["connected"] is False
    assert password_hash not in repr(diagnostics)
    (subentry,) = diagnostics["entry"]["subentries"]
    assert subentry["data"]["password_hash"] == "**REDACTED**"
