"""Peak shaving on the recorder's statistics, its services, and set_site_limit.

The forecast is made from the long-term statistics (hourly means) of the
site's baseline current sensors, imported into the real recorder as it
would have compiled them. With a forecast, three EVs plugged in and
nothing known of them, the planned level (a flat 60 kWh over the default
8 hours on a 6.9 kW building) caps the site near 20 A per phase.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.models import StatisticMeanType
from homeassistant.components.recorder.models.statistics import StatisticMetaData
from homeassistant.components.recorder.statistics import async_import_statistics
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.ev_load_balancer.const import DOMAIN

from .conftest import FUSE_A, MARGIN_A
from .loop_helpers import assert_within_fuse, drain, settle
from .peak_helpers import attributes, round_at, site_state, tariff_options, value
from .simulated_site import METER, SimulatedSite

HOURS = 30


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """The recorder must start before Home Assistant does."""


@pytest.fixture
def site_options() -> dict[str, Any]:
    return tariff_options(window_minutes="60")


def _import_baseline(hass: HomeAssistant, amps: float) -> None:
    """HOURS hours of hourly means of every baseline sensor, up to this hour."""
    registry = er.async_get(hass)
    top = dt_util.utcnow().replace(minute=0, second=0, microsecond=0)
    for key in ("l1", "l2", "l3"):
        entity_id = registry.async_get_entity_id(
            "sensor", DOMAIN, f"{METER[0]}_site_baseline_current_{key}"
        )
        assert entity_id is not None
        metadata: dict[str, Any] = {
            "mean_type": StatisticMeanType.ARITHMETIC,
            "has_sum": False,
            "name": None,
            "source": "recorder",
            "statistic_id": entity_id,
            "unit_of_measurement": "A",
        }
        if "unit_class" in StatisticMetaData.__annotations__:
            metadata["unit_class"] = "electric_current"
        rows = [
            {"start": top - timedelta(hours=h), "mean": amps, "min": amps, "max": amps}
            for h in range(HOURS, 0, -1)
        ]
        async_import_statistics(hass, metadata, rows)  # type: ignore[arg-type]


def _next_refresh(now: datetime) -> datetime:
    local = dt_util.as_local(now)
    moment = local.replace(hour=0, minute=20, second=0, microsecond=0)
    return moment if moment > local else moment + timedelta(days=1)


async def _warm(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    site: SimulatedSite,
    entry: MockConfigEntry,
) -> None:
    """Statistics in the recorder, then a restart makes the forecast from them.

    The restart is at the top of the hour: the open window's allowed mean is
    then the target (less the guard) and caps the site at target / 0.69 A.
    """
    _import_baseline(hass, 10.0)
    await async_wait_recording_done(hass)
    # At the start of a tariff window: the whole hour is still to come.
    top = dt_util.utcnow().replace(minute=0, second=0, microsecond=0)
    freezer.move_to(top + timedelta(hours=1))
    site.publish()
    assert await hass.config_entries.async_reload(entry.entry_id)
    await drain(hass)
    await settle(hass, freezer, site, seconds=5, rounds=6)


def _usable(hass: HomeAssistant) -> float:
    usable = value(hass, "usable_current")
    assert usable is not None
    return usable


async def _call(hass: HomeAssistant, service: str, data: dict[str, Any]) -> None:
    await hass.services.async_call(DOMAIN, service, data, blocking=True)


async def test_the_forecast_comes_from_the_statistics_and_caps_the_site(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    site: SimulatedSite,
    init_integration: MockConfigEntry,
) -> None:
    await settle(hass, freezer, site, seconds=5, rounds=6)
    mode = site_state(hass, "peak_mode")
    assert mode is not None
    assert mode.state == "learning"
    assert _usable(hass) == FUSE_A - MARGIN_A  # cold: the fuse alone
    await _warm(hass, freezer, site, init_integration)
    assert site_state(hass, "peak_mode").state == "shaving"  # type: ignore[union-attr]
    assert attributes(hass, "peak_mode")["forecast_source"] == "recorder"
    assert attributes(hass, "peak_mode")["forecast_hours"] == HOURS
    target = value(hass, "peak_target")
    assert target == pytest.approx(6.9 + 60 / 8, abs=0.3)
    # 3 x 230 V x cap = the target (less a 3 % guard), 10 A of it the building.
    assert _usable(hass) == pytest.approx(target * 0.97 / 0.69, abs=0.6)
    assert _usable(hass) < FUSE_A - MARGIN_A - 10
    assert_within_fuse(site)


async def test_the_forecast_is_made_again_every_night(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    site: SimulatedSite,
    init_integration: MockConfigEntry,
) -> None:
    for charger in site.chargers:
        charger.plugged = False
    await settle(hass, freezer, site, seconds=5, rounds=6)
    assert attributes(hass, "peak_mode")["forecast_source"] is None
    _import_baseline(hass, 10.0)
    await async_wait_recording_done(hass)
    await round_at(hass, freezer, site, _next_refresh(dt_util.utcnow()))
    await hass.async_block_till_done(wait_background_tasks=True)
    await settle(hass, freezer, site)
    assert attributes(hass, "peak_mode")["forecast_source"] == "recorder"
    assert attributes(hass, "peak_mode")["forecast_hours"] == HOURS
    assert site_state(hass, "peak_mode").state == "shaving"  # type: ignore[union-attr]


async def test_set_site_limit_and_peak_shaving_merge_and_the_fuse_wins(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    site: SimulatedSite,
    init_integration: MockConfigEntry,
) -> None:
    entry_id = init_integration.entry_id
    await settle(hass, freezer, site, seconds=5, rounds=6)
    # Above the fuse: the fuse wins.
    await _call(hass, "set_site_limit", {"site": entry_id, "current": 100})
    await settle(hass, freezer, site)
    assert _usable(hass) == FUSE_A - MARGIN_A
    await _call(hass, "clear_site_limit", {"site": entry_id})
    await _warm(hass, freezer, site, init_integration)
    peak_usable = _usable(hass)
    assert peak_usable < 25.0
    # The user's limit above peak shaving's cap: the cap stays.
    await _call(hass, "set_site_limit", {"site": entry_id, "current": 30})
    await settle(hass, freezer, site)
    assert _usable(hass) == pytest.approx(peak_usable, abs=1.5)
    assert_within_fuse(site)
    # Below it: the user's limit wins, and peak shaving does not overwrite it.
    await _call(hass, "set_site_limit", {"site": entry_id, "current": 15})
    await settle(hass, freezer, site, seconds=30, rounds=6)
    assert _usable(hass) == 15 - MARGIN_A
    assert all(current <= 15 - MARGIN_A + 1e-6 for current in site.site_current())
    # Cleared: peak shaving's own cap is still there.
    await _call(hass, "clear_site_limit", {"site": entry_id})
    await settle(hass, freezer, site)
    assert _usable(hass) == pytest.approx(peak_usable, abs=1.5)
    assert_within_fuse(site)


async def test_manual_target_service(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    site: SimulatedSite,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    entry_id = init_integration.entry_id
    await settle(hass, freezer, site, seconds=5, rounds=6)
    await _warm(hass, freezer, site, init_integration)
    for target, key in (
        ("abc", "invalid_peak_target"),
        (0, "invalid_peak_target"),
        (float("nan"), "invalid_peak_target"),
        (500, "peak_target_above_fuse"),
    ):
        with pytest.raises(ServiceValidationError) as raised:
            await _call(hass, "set_peak_target", {"site": entry_id, "target": target})
        assert raised.value.translation_key == key
    with pytest.raises(ServiceValidationError) as raised:
        await _call(hass, "set_peak_target", {"site": "nope", "target": 5})
    assert raised.value.translation_key == "unknown_site"
    assert raised.value.translation_placeholders == {"site": "nope"}

    await _call(hass, "set_peak_target", {"site": entry_id, "target": 20})
    await settle(hass, freezer, site)
    assert site_state(hass, "peak_mode").state == "manual"  # type: ignore[union-attr]
    assert value(hass, "peak_target") == 20.0
    assert _usable(hass) == pytest.approx(20 * 0.97 / 0.69, abs=0.6)
    # The manual target survives a restart.
    runtime = init_integration.runtime_data.coordinator.runtime
    assert runtime.charger("sub_cp1").estimated_departure is not None
    assert await hass.config_entries.async_reload(entry_id)
    await drain(hass)
    # Peak shaving's departure estimates are not stored as the user's.
    stored = hass_storage[f"{DOMAIN}.{entry_id}"]["data"]["chargers"]["sub_cp1"]
    assert stored["departure"] is None
    assert "estimated_departure" not in stored
    await settle(hass, freezer, site)
    assert value(hass, "peak_target") == 20.0
    await _call(hass, "clear_peak_target", {"site": entry_id})
    await settle(hass, freezer, site)
    assert site_state(hass, "peak_mode").state == "shaving"  # type: ignore[union-attr]
    assert value(hass, "peak_target") != 20.0
