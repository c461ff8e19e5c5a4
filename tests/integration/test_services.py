"""Services for automations: priorities, boost, departures, a temporary site cap."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from custom_components.ev_load_balancer.const import DOMAIN

from .loop_helpers import assert_within_fuse, limits, settle
from .simulated_site import SimulatedSite

pytestmark = pytest.mark.usefixtures("init_integration")


def _device(hass: HomeAssistant, charger: str) -> str:
    device = dr.async_get(hass).async_get_device({(DOMAIN, f"sub_{charger}")})
    assert device is not None
    return device.id


async def _call(hass: HomeAssistant, service: str, data: dict[str, Any]) -> None:
    await hass.services.async_call(DOMAIN, service, data, blocking=True)


async def test_priority_decides_who_waits(
    hass: HomeAssistant, site: SimulatedSite, freezer: FrozenDateTimeFactory
) -> None:
    await settle(hass, freezer, site, seconds=5, rounds=12)
    # A heat pump leaves room for two EVs at their minimum, not three.
    site.baseline_a = [22.0, 22.0, 22.0]
    await settle(hass, freezer, site, seconds=5, rounds=12)
    waiting = next(key for key, value in limits(hass, site).items() if value == 0)
    await _call(
        hass, "set_priority", {"charger": _device(hass, waiting), "priority": 9}
    )
    await settle(hass, freezer, site, seconds=5, rounds=12)
    current = limits(hass, site)
    assert current[waiting] > 0
    assert sorted(current.values())[0] == 0
    assert hass.states.get(f"number.{waiting}_priority").state == "9"
    paused = next(key for key, value in current.items() if value == 0)
    assert hass.states.get(f"sensor.{paused}_reason").state == "paused_priority"
    assert_within_fuse(site)


async def test_boost_serves_one_ev_first_until_it_leaves(
    hass: HomeAssistant, site: SimulatedSite, freezer: FrozenDateTimeFactory
) -> None:
    await settle(hass, freezer, site, seconds=5, rounds=12)
    site.baseline_a = [22.0, 22.0, 22.0]
    await settle(hass, freezer, site, seconds=5, rounds=12)
    waiting = next(key for key, value in limits(hass, site).items() if value == 0)
    await hass.services.async_call(
        "button", "press", {"entity_id": f"button.{waiting}_boost"}, blocking=True
    )
    await settle(hass, freezer, site, seconds=5, rounds=12)
    assert limits(hass, site)[waiting] > 0
    coordinator = hass.config_entries.async_entries(DOMAIN)[0].runtime_data.coordinator
    assert coordinator.data.chargers[f"sub_{waiting}"].boosted

    site.charger(waiting).plugged = False
    await settle(hass, freezer, site)
    assert not coordinator.data.chargers[f"sub_{waiting}"].boosted


async def test_boost_with_a_duration_ends_by_itself(
    hass: HomeAssistant, site: SimulatedSite, freezer: FrozenDateTimeFactory
) -> None:
    await settle(hass, freezer, site)
    await _call(
        hass, "boost", {"charger": _device(hass, "cp1"), "duration": {"minutes": 1}}
    )
    coordinator = hass.config_entries.async_entries(DOMAIN)[0].runtime_data.coordinator
    await settle(hass, freezer, site)
    assert coordinator.data.chargers["sub_cp1"].boosted
    await settle(hass, freezer, site, seconds=20, rounds=4)
    assert not coordinator.data.chargers["sub_cp1"].boosted


async def test_boost_needs_an_ev(
    hass: HomeAssistant, site: SimulatedSite, freezer: FrozenDateTimeFactory
) -> None:
    site.charger("cp1").plugged = False
    await settle(hass, freezer, site)
    with pytest.raises(ServiceValidationError) as raised:
        await _call(hass, "boost", {"charger": _device(hass, "cp1")})
    assert raised.value.translation_key == "boost_needs_ev"
    assert raised.value.translation_placeholders == {"charger": "CP1"}


async def test_site_limit_caps_the_fuse_for_a_while(
    hass: HomeAssistant,
    site: SimulatedSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    await settle(hass, freezer, site, seconds=5, rounds=12)
    await _call(
        hass,
        "set_site_limit",
        {"site": init_integration.entry_id, "current": 25, "duration": {"minutes": 10}},
    )
    await settle(hass, freezer, site)
    assert (
        hass.states.get("sensor.garage_usable_current").state == "23.0"
    )  # 25 - margin
    for phase in range(3):
        assert site.site_current()[phase] <= 23.0
    await settle(hass, freezer, site, seconds=60, rounds=11)  # the cap runs out
    assert hass.states.get("sensor.garage_usable_current").state == "38.0"

    await _call(
        hass, "set_site_limit", {"site": init_integration.entry_id, "current": 20}
    )
    await settle(hass, freezer, site)
    assert hass.states.get("sensor.garage_usable_current").state == "18.0"
    await _call(hass, "clear_site_limit", {"site": init_integration.entry_id})
    await settle(hass, freezer, site)
    assert hass.states.get("sensor.garage_usable_current").state == "38.0"


async def test_departure_must_be_in_the_future(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    device = _device(hass, "cp2")
    soon = dt_util.now() + timedelta(hours=2)
    await _call(
        hass, "set_departure", {"charger": device, "departure": soon, "energy": 20}
    )
    runtime = init_integration.runtime_data.coordinator.runtime.charger("sub_cp2")
    assert runtime.energy_wanted_kwh == 20
    assert runtime.departure == pytest.approx(soon.timestamp())
    with pytest.raises(ServiceValidationError) as raised:
        await _call(
            hass,
            "set_departure",
            {
                "charger": device,
                "departure": dt_util.now() - timedelta(hours=1),
                "energy": 5,
            },
        )
    assert raised.value.translation_key == "departure_in_past"


@pytest.mark.parametrize(
    ("service", "data", "error"),
    [
        ("set_priority", {"charger": "nope", "priority": 3}, "unknown_charger"),
        ("boost", {"charger": "nope"}, "unknown_charger"),
        ("set_site_limit", {"site": "nope", "current": 20}, "unknown_site"),
        ("clear_site_limit", {"site": "nope"}, "unknown_site"),
    ],
)
async def test_unknown_targets_are_refused_clearly(
    hass: HomeAssistant, service: str, data: dict[str, Any], error: str
) -> None:
    with pytest.raises(ServiceValidationError) as raised:
        await _call(hass, service, data)
    assert raised.value.translation_key == error


@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("set_priority", {"priority": 11}),
        ("set_priority", {"priority": "high"}),
        ("set_site_limit", {"current": -1}),
        ("set_departure", {"departure": "tomorrow", "energy": 5}),
        ("set_departure", {"departure": "2030-01-01 07:00", "energy": 0}),
    ],
)
async def test_wrong_fields_are_refused_and_nothing_changes(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    service: str,
    data: dict[str, Any],
) -> None:
    target = (
        {"site": init_integration.entry_id}
        if "site" in service
        else {"charger": _device(hass, "cp1")}
    )
    runtime = init_integration.runtime_data.coordinator.runtime
    before = (runtime.site_limit_a, runtime.charger("sub_cp1").priority)
    with pytest.raises(vol.Invalid):
        await _call(hass, service, {**target, **data})
    assert (runtime.site_limit_a, runtime.charger("sub_cp1").priority) == before


async def test_services_of_an_unloaded_site_say_so(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    with pytest.raises(ServiceValidationError) as raised:
        await _call(hass, "clear_site_limit", {"site": init_integration.entry_id})
    assert raised.value.translation_key == "site_not_loaded"


async def test_audit_needs_the_recorder(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as raised:
        await hass.services.async_call(
            DOMAIN,
            "capacity_audit",
            {"site": init_integration.entry_id},
            blocking=True,
            return_response=True,
        )
    assert raised.value.translation_key == "recorder_needed"
