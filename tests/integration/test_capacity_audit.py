"""The capacity audit on the recorder's history of the site's building load."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.ev_load_balancer.const import DOMAIN

from .loop_helpers import drain, settle
from .peak_helpers import tariff_options
from .simulated_site import SimulatedSite


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """The recorder must start before Home Assistant does."""


# An apartment block's day on the garage feed, A per phase, hour by hour.
DAY = [6, 5, 5, 5, 5, 6, 9, 12, 10, 8, 8, 8, 9, 8, 8, 9, 12, 16, 18, 17, 15, 12, 9, 7]


async def _record_a_day(
    hass: HomeAssistant, site: SimulatedSite, freezer: FrozenDateTimeFactory
) -> None:
    for chargers in site.chargers:
        chargers.plugged = False  # an empty garage: the baseline is the building
    await settle(hass, freezer, site)
    for hour in range(26):
        for half in range(2):
            load = DAY[hour % 24] + half
            site.baseline_a = [load, load + 2.0, load - 1.0]
            freezer.tick(1800)
            site.publish()
            async_fire_time_changed(hass)
            await drain(hass)
    await async_wait_recording_done(hass)


async def test_audit_answers_how_many_chargers_fit(
    hass: HomeAssistant,
    site: SimulatedSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    await _record_a_day(hass, site, freezer)
    response = await hass.services.async_call(
        DOMAIN,
        "capacity_audit",
        {
            "site": init_integration.entry_id,
            "days": 1,
            "charger_current": 16,
            "max_chargers": 12,
        },
        blocking=True,
        return_response=True,
    )
    assert response is not None
    fit = response["chargers_that_fit"]
    points = {point["chargers"]: point for point in response["points"]}
    assert response["period_days"] == pytest.approx(1.0)
    assert response["charger"] == {"current": 16.0, "phases": 3}
    # 38 A usable, at most 19 A of building: a few 16 A chargers fit, not twelve.
    assert 1 <= fit < 12
    assert points[fit]["unmet_energy_pct"] < response["target_unmet_pct"]
    assert points[fit + 1]["unmet_energy_pct"] >= response["target_unmet_pct"]
    assert all(point["overload_s"] == 0 for point in points.values())
    # No tariff set: the billed peak under the default rules, both ways.
    peak = response["peak"]
    assert (peak["window_minutes"], peak["peaks_counted"]) == (60, 1)
    # Fuse-only may bill more than uncontrolled: spreading the charging can
    # carry it into the building's evening hour. Both are real figures.
    assert peak["fuse_only_kw"] > 0
    assert peak["uncontrolled_kw"] > 0
    assert peak["peak_shaving_kw"] > 0
    assert 0 < peak["energy_pct_of_fuse_only"] <= 100.5


@pytest.mark.parametrize(
    "site_options", [tariff_options(window_minutes="15", peaks_counted=2)]
)
async def test_audit_peaks_follow_the_site_tariff(
    hass: HomeAssistant,
    site: SimulatedSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    await _record_a_day(hass, site, freezer)
    response = await hass.services.async_call(
        DOMAIN,
        "capacity_audit",
        {"site": init_integration.entry_id, "days": 1, "max_chargers": 6},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    peak = response["peak"]
    assert (peak["window_minutes"], peak["peaks_counted"]) == (15, 2)
    assert peak["fuse_only_kw"] > 0


async def test_audit_needs_a_day_of_history(
    hass: HomeAssistant,
    site: SimulatedSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    await settle(hass, freezer, site)
    await async_wait_recording_done(hass)
    with pytest.raises(ServiceValidationError) as raised:
        await hass.services.async_call(
            DOMAIN,
            "capacity_audit",
            {"site": init_integration.entry_id, "days": 3},
            blocking=True,
            return_response=True,
        )
    assert raised.value.translation_key == "not_enough_history"
