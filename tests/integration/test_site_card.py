"""The site card's data (websocket commands) and the card's own file, served."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.ev_load_balancer.const import DOMAIN
from custom_components.ev_load_balancer.frontend import CARD_FILE, CARD_URL

from .conftest import FUSE_A, MARGIN_A
from .loop_helpers import settle
from .simulated_site import SimulatedSite


async def test_sites_lists_every_site(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": f"{DOMAIN}/sites"})
    answer = await client.receive_json()
    assert answer["success"]
    assert answer["result"] == [
        {"entry_id": init_integration.entry_id, "name": "Garage", "loaded": True}
    ]


async def test_a_subscription_draws_each_phase_with_every_charger(
    hass: HomeAssistant,
    site: SimulatedSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    device_registry: dr.DeviceRegistry,
) -> None:
    await settle(hass, freezer, site, seconds=5, rounds=12)
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": f"{DOMAIN}/subscribe_site", "entry_id": init_integration.entry_id}
    )
    assert (await client.receive_json())["success"]
    view = (await client.receive_json())["event"]

    assert view["name"] == "Garage"
    assert (view["phases"], view["fuse_a"], view["margin_a"]) == (3, FUSE_A, MARGIN_A)
    assert view["usable_a"] == FUSE_A - MARGIN_A
    assert view["cap_a"] is None
    assert not view["failsafe"]
    assert not view["overload"]
    assert [c["name"] for c in view["chargers"]] == ["CP1", "CP2", "CP3"]
    by_name = {c["name"]: c for c in view["chargers"]}
    # cp2 is wired L2-L3-L1 with a single-phase EV: it loads site L2 only.
    assert by_name["CP2"]["wiring"] == [1, 2, 0]
    cp2 = site.charger("cp2")
    assert by_name["CP2"]["phase_current_a"] == pytest.approx([0.0, cp2.draw()[0], 0.0])
    # Per phase: the building plus every charger's share is what the meter sees.
    for phase in range(3):
        total = view["baseline_a"][phase] + sum(
            c["phase_current_a"][phase] for c in view["chargers"]
        )
        assert total == pytest.approx(site.site_current()[phase], abs=0.05)
    for charger in view["chargers"]:
        assert charger["state"] == "charging"
        assert charger["limit_a"] >= 6
        assert charger["reason"]
        device = device_registry.async_get(charger["device_id"])
        assert device is not None
        assert device.name == charger["name"]


async def _subscribed(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator, entry_id: str
) -> Any:
    """A client subscribed to the site, its first picture read."""
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": f"{DOMAIN}/subscribe_site", "entry_id": entry_id}
    )
    assert (await client.receive_json())["success"]
    assert (await client.receive_json())["event"]["entry_id"] == entry_id
    return client


async def _next_view(client: Any, wanted: Callable[[dict[str, Any]], bool]) -> Any:
    """The first picture (of the next few rounds) that shows what is wanted."""
    view: dict[str, Any] = (await client.receive_json())["event"]
    for _ in range(20):
        if wanted(view):
            break
        view = (await client.receive_json())["event"]
    return view


async def test_a_temporary_cap_and_new_rounds_reach_the_card(
    hass: HomeAssistant,
    site: SimulatedSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    await settle(hass, freezer, site)
    client = await _subscribed(hass, hass_ws_client, init_integration.entry_id)
    await hass.services.async_call(
        DOMAIN,
        "set_site_limit",
        {"site": init_integration.entry_id, "current": 30},
        blocking=True,
    )
    await settle(hass, freezer, site)
    view = await _next_view(client, lambda view: view["cap_a"] is not None)
    assert view["cap_a"] == 30
    assert view["usable_a"] == 30 - MARGIN_A


async def test_a_subscription_follows_its_site_through_a_reload(
    hass: HomeAssistant,
    site: SimulatedSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    await settle(hass, freezer, site)
    client = await _subscribed(hass, hass_ws_client, init_integration.entry_id)
    hass.config_entries.async_update_entry(
        init_integration, options={**init_integration.options, "safety_margin": 5}
    )
    await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.LOADED
    await settle(hass, freezer, site)
    # The rounds since the change come first; the new loop's last.
    view = await _next_view(client, lambda view: view["usable_a"] == FUSE_A - 5)
    assert (view["margin_a"], view["usable_a"]) == (5, FUSE_A - 5)


async def test_an_unknown_or_stopped_site_is_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": f"{DOMAIN}/subscribe_site", "entry_id": "no-such-entry"}
    )
    answer = await client.receive_json()
    assert not answer["success"]
    assert answer["error"]["code"] == "site_not_loaded"
    await hass.config_entries.async_unload(init_integration.entry_id)
    await client.send_json_auto_id(
        {"type": f"{DOMAIN}/subscribe_site", "entry_id": init_integration.entry_id}
    )
    answer = await client.receive_json()
    assert not answer["success"]
    assert answer["error"]["code"] == "site_not_loaded"
    await client.send_json_auto_id({"type": f"{DOMAIN}/subscribe_site"})
    answer = await client.receive_json()
    assert answer["error"]["code"] == "invalid_format"


async def test_the_card_is_served_and_loaded_on_every_page(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    # What a real Home Assistant has: a web server and the frontend's page
    # list, before the integration sets up (its after_dependencies).
    assert await async_setup_component(hass, "http", {})
    hass.config.components.add("frontend")
    extra_modules: set[str] = set()
    hass.data[DATA_EXTRA_MODULE_URL] = extra_modules
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    [url] = [url for url in extra_modules if url.startswith(CARD_URL)]
    assert "?v=" in url
    client = await hass_client()
    response = await client.get(url)
    assert response.status == 200
    body = await response.read()
    assert body == CARD_FILE.read_bytes()
    assert b'customElements.define("ev-load-balancer-card"' in body


async def test_rounds_that_change_nothing_send_the_card_nothing(
    hass: HomeAssistant,
    site: SimulatedSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    await settle(hass, freezer, site, seconds=5, rounds=12)
    client = await _subscribed(hass, hass_ws_client, init_integration.entry_id)
    await settle(hass, freezer, site, rounds=6)  # the same picture, six times
    await hass.services.async_call(
        DOMAIN,
        "set_site_limit",
        {"site": init_integration.entry_id, "current": 30},
        blocking=True,
    )
    await settle(hass, freezer, site)
    # The next message is the first that shows something new.
    assert (await client.receive_json())["event"]["cap_a"] == 30
