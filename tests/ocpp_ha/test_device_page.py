"""What an OCPP charger's device page and idle entities show."""

from __future__ import annotations

from collections.abc import Iterable
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import device_registry as dr
from ocpp.v16 import call as call16
import pytest
from pytest_homeassistant_custom_component.common import (
    mock_restore_cache_with_extra_data,
)

from custom_components.ev_load_balancer.const import DOMAIN
from evlb_sim.live.ocpp_charge_points import RecordingChargePointV16
from tests.ocpp_cs.conftest import boot

from .conftest import SetUpSite
from .site import connected, ocpp_subentry, site_entry, state_becomes


def _device(hass: HomeAssistant, subentry_id: str) -> dr.DeviceEntry:
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, subentry_id)})
    assert device is not None
    return device


async def test_the_device_page_shows_what_the_charger_reported(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    entry = await setup_site(site_entry(ocpp_subentry("CP1", title="Bay 1")))
    [subentry_id] = [s for s in entry.subentries if s.startswith("sub_")]
    before = _device(hass, subentry_id)
    # Not connected yet: only what the integration knows.
    assert (before.manufacturer, before.model) == ("EV Load Balancer", "Charger")
    assert before.serial_number is None
    async with connected(entry, "CP1", RecordingChargePointV16) as charger:
        assert await boot(charger) == "Accepted"
        await state_becomes(hass, "binary_sensor.bay_1_connected", "on")
        await charger.call(
            call16.StatusNotification(
                connector_id=1, error_code="NoError", status="Available"
            )
        )
        await state_becomes(hass, "sensor.bay_1_state", "no_ev")
        device = _device(hass, subentry_id)
        assert (device.manufacturer, device.model, device.serial_number) == (
            "Acme",
            "Wallbox X",
            "SN-1",
        )
        assert device.name == "Bay 1"
        assert device.via_device_id == _device(hass, entry.entry_id).id
        # Nothing plugged in, no session: 0 kWh in this session, not "unknown".
        assert hass.states.get("sensor.bay_1_session_energy").state == "0.0"

    # After a reload the charger has not booted again: its device keeps the facts.
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    device = _device(hass, subentry_id)
    assert (device.manufacturer, device.model) == ("Acme", "Wallbox X")


async def test_the_energy_register_shows_its_last_value_until_the_charger_reports(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State("sensor.bay_1_energy", "1234.5"),
                {"native_value": 1234.5, "native_unit_of_measurement": "kWh"},
            )
        ],
    )
    await setup_site(site_entry(ocpp_subentry("CP1", title="Bay 1")))
    assert hass.states.get("sensor.bay_1_energy").state == "1234.5"


async def test_the_site_device_is_there_before_any_platform_names_it(
    hass: HomeAssistant, setup_site: SetUpSite, caplog: pytest.LogCaptureFixture
) -> None:
    # Platforms set up concurrently: a charger's device may come first and
    # name the site's as its via_device (HA warns, and will refuse).
    registry = dr.async_get(hass)
    forward = hass.config_entries.async_forward_entry_setups
    seen_at_forward: list[dr.DeviceEntry | None] = []

    async def checked_forward(entry: ConfigEntry, platforms: Iterable[str]) -> None:
        seen_at_forward.append(registry.async_get_device({(DOMAIN, entry.entry_id)}))
        await forward(entry, platforms)

    with patch.object(
        hass.config_entries, "async_forward_entry_setups", checked_forward
    ):
        entry = await setup_site(
            site_entry(ocpp_subentry("CP1", title="Bay 1"), profile_validity=90)
        )
    [site_device] = seen_at_forward
    assert site_device is not None
    assert site_device.name == entry.title
    [subentry_id] = [s for s in entry.subentries if s.startswith("sub_")]
    assert _device(hass, subentry_id).via_device_id == site_device.id
    assert "non existing `via_device`" not in caplog.text
