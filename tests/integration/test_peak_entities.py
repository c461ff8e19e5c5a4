"""Capacity tariff entities in the HA harness: rounds, events, restarts, months.

The garage is empty, so the site's power is the building's alone: 10 A per
phase is 6.9 kW, 20 A is 13.8 kW, 5 A is 3.45 kW (230 V). The tariff bills
the month's highest 15-minute window, at 10 per kW, in Oslo's local time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.ev_load_balancer.const import DOMAIN, EVENT_NEW_MONTHLY_PEAK

from .loop_helpers import drain
from .peak_helpers import (
    attributes,
    round_at,
    site_state,
    tariff_options,
    unplug_all,
    value,
)
from .simulated_site import SimulatedSite

OSLO = ZoneInfo("Europe/Oslo")


def oslo(*args: int) -> datetime:
    return datetime(*args, tzinfo=OSLO)


@pytest.fixture
def site_options() -> dict[str, Any]:
    return tariff_options()


async def _setup_at(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    when: datetime,
) -> None:
    await hass.config.async_update(time_zone="Europe/Oslo")
    freezer.move_to(when)
    if hass.config_entries.async_get_entry(entry.entry_id) is None:
        entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await drain(hass)


async def test_window_peak_event_restart_and_month_boundary(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    site: SimulatedSite,
    mock_config_entry: MockConfigEntry,
) -> None:
    unplug_all(site)
    await _setup_at(hass, freezer, mock_config_entry, oslo(2026, 1, 31, 23, 0))
    events = async_capture_events(hass, EVENT_NEW_MONTHLY_PEAK)
    # A cold start says so: no forecast, only the fuse limits.
    assert site_state(hass, "peak_mode").state == "learning"  # type: ignore[union-attr]
    assert attributes(hass, "peak_mode")["forecast_hours"] == 0
    assert value(hass, "peak_target") is None

    site.baseline_a = [20.0] * 3
    await round_at(hass, freezer, site, oslo(2026, 1, 31, 23, 5))
    assert value(hass, "peak_window_average") == pytest.approx(6.9)
    # 5 minutes at 6.9 kW, 10 more at 13.8 kW if it holds.
    assert value(hass, "peak_window_projection") == pytest.approx(11.5)
    await round_at(hass, freezer, site, oslo(2026, 1, 31, 23, 10))
    assert value(hass, "peak_window_average") == pytest.approx(10.35)
    assert value(hass, "peak_month") == 0.0
    assert not events

    await round_at(hass, freezer, site, oslo(2026, 1, 31, 23, 15))
    assert value(hass, "peak_month") == pytest.approx(11.5)
    assert attributes(hass, "peak_month")["counted_peaks"] == [
        {"date": "2026-01-31", "kw": 11.5}
    ]
    assert value(hass, "peak_cost") == pytest.approx(115.0)
    assert len(events) == 1
    assert events[0].data["billed_kw"] == pytest.approx(11.5)
    assert events[0].data["window_start"] == "2026-01-31T22:00:00+00:00"

    # A restart keeps the month's peaks.
    freezer.move_to(oslo(2026, 1, 31, 23, 20))
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await drain(hass)
    assert value(hass, "peak_month") == pytest.approx(11.5)
    # The 10 minutes after the restart, over the whole window: no new peak.
    await round_at(hass, freezer, site, oslo(2026, 1, 31, 23, 30))
    assert value(hass, "peak_month") == pytest.approx(11.5)
    assert len(events) == 1

    site.baseline_a = [5.0] * 3
    await round_at(hass, freezer, site, oslo(2026, 1, 31, 23, 45))
    assert value(hass, "peak_month") == pytest.approx(13.8)
    assert len(events) == 2
    # Local midnight: February starts with no peak at all.
    await round_at(hass, freezer, site, oslo(2026, 2, 1, 0, 0))
    assert value(hass, "peak_month") == 0.0
    assert attributes(hass, "peak_month")["counted_peaks"] == []
    await round_at(hass, freezer, site, oslo(2026, 2, 1, 0, 15))
    assert value(hass, "peak_month") == pytest.approx(3.45)
    assert events[-1].data["billed_kw"] == pytest.approx(3.45)
    assert len(events) == 3


async def test_the_dst_change_gives_two_windows_at_two_oclock(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    site: SimulatedSite,
    mock_config_entry: MockConfigEntry,
) -> None:
    """25 October 2026: 03:00 summer time is 02:00 winter time again."""
    unplug_all(site)
    site.baseline_a = [20.0] * 3
    site.publish()
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, options=tariff_options(window_minutes="60")
    )
    start = datetime.fromisoformat("2026-10-25T02:00:00+02:00")
    await _setup_at(hass, freezer, mock_config_entry, start)
    events = async_capture_events(hass, EVENT_NEW_MONTHLY_PEAK)
    for minutes in (15, 30, 45):
        await round_at(hass, freezer, site, _after(start, minutes))
    site.baseline_a = [10.0] * 3
    await round_at(hass, freezer, site, _after(start, 60))
    # 02:00 summer time to 02:00 winter time: one hourly window at 13.8 kW.
    assert value(hass, "peak_month") == pytest.approx(13.8)
    assert [event.data["window_start"] for event in events] == [
        "2026-10-25T00:00:00+00:00"
    ]
    for minutes in (75, 90):
        await round_at(hass, freezer, site, _after(start, minutes))
    # The second 02:00 hour is a window of its own: 6.9 kW, nothing mixed in.
    assert value(hass, "peak_window_average") == pytest.approx(6.9)
    assert value(hass, "peak_month") == pytest.approx(13.8)
    assert attributes(hass, "peak_month")["counted_peaks"] == [
        {"date": "2026-10-25", "kw": 13.8}
    ]


def _after(start: datetime, minutes: int) -> datetime:
    return datetime.fromtimestamp(start.timestamp() + minutes * 60, OSLO)


async def test_options_round_trip_turns_the_tariff_on_and_off(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, options={"safety_margin": 2.0, "hold_time": 0}
    )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await drain(hass)
    assert site_state(hass, "peak_month") is None  # off by default
    with pytest.raises(ServiceValidationError) as raised:
        await hass.services.async_call(
            DOMAIN,
            "set_peak_target",
            {"site": mock_config_entry.entry_id, "target": 10},
            blocking=True,
        )
    assert raised.value.translation_key == "peak_shaving_off"
    assert raised.value.translation_placeholders == {"site": "Garage"}
    base = {"safety_margin": 2.0, "hold_time": 0, "failsafe_reserve": 20}
    tariff = tariff_options(window_minutes="60", peaks_counted=3, night_weight=0.5)
    section = {**tariff["capacity_tariff"], "day_start_hour": 22, "day_end_hour": 6}

    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**base, "capacity_tariff": section}
    )
    assert result["errors"] == {"base": "peak_day_hours"}
    section = {**section, "day_start_hour": 6, "day_end_hour": 22}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {**base, "capacity_tariff": {**section, "day_weight": 0, "night_weight": 0}},
    )
    assert result["errors"] == {"base": "peak_no_hours_count"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**base, "capacity_tariff": section}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await drain(hass)
    stored = mock_config_entry.options["capacity_tariff"]
    assert stored == {**section, "price_per_kw": 10.0}
    # The site reloaded with its tariff: the entities are there.
    assert site_state(hass, "peak_mode").state == "learning"  # type: ignore[union-attr]
    assert value(hass, "peak_cost") == 0.0

    # Shown again as stored, and saved unchanged.
    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    schema = result["data_schema"].schema
    tariff_key = next(key for key in schema if key == "capacity_tariff")
    fields = schema[tariff_key].schema.schema
    defaults = {str(key): key.default() for key in fields if callable(key.default)}
    assert defaults["window_minutes"] == "60"
    assert defaults["peaks_counted"] == 3
    assert defaults["night_weight"] == 0.5
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**base, "capacity_tariff": {**stored, "enabled": False}}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await drain(hass)
    assert mock_config_entry.options["capacity_tariff"]["peaks_counted"] == 3
    state = site_state(hass, "peak_mode")
    assert state is None or state.state == "unavailable"


async def test_diagnostics_show_the_tariff_and_the_last_decision(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    site: SimulatedSite,
    init_integration: MockConfigEntry,
) -> None:
    # No frozen clock: HA's diagnostics view imports modules lazily.
    await drain(hass)
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, init_integration
    )
    peak = diagnostics["peak"]
    assert peak["tariff"]["window_minutes"] == 15
    assert peak["tariff"]["price_per_kw"] == 10.0
    assert peak["decision"]["mode"] == "learning"
    assert peak["view"]["mode"] == "learning"
    assert diagnostics["snapshot"]["peak_cap_a"] is None


async def test_a_broken_tariff_leaves_the_fuse_alone_in_charge(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Options edited by hand past the flow's checks: logged, fuse-only."""
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry,
        options=tariff_options(day_start_hour=22, day_end_hour=6),
    )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await drain(hass)
    assert "Capacity tariff of Garage ignored" in caplog.text
    assert site_state(hass, "peak_mode") is None
    assert value(hass, "usable_current") == 38.0
