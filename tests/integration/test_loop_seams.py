"""Where the shared loop meets Home Assistant: one clock, departures, reading ages,
options saved while the loop runs, restarts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.ev_load_balancer.const import (
    DOMAIN,
    EVENT_DEPARTURE_PASSED,
)

from .loop_helpers import assert_within_fuse, flush, limits, settle
from .simulated_site import SimulatedSite

pytestmark = pytest.mark.usefixtures("machine_clocks", "init_integration")


def _device(hass: HomeAssistant, charger: str) -> str:
    device = dr.async_get(hass).async_get_device({(DOMAIN, f"sub_{charger}")})
    assert device is not None
    return device.id


async def _set_departure(
    hass: HomeAssistant, charger: str, in_hours: float, energy_kwh: float
) -> None:
    await hass.services.async_call(
        DOMAIN,
        "set_departure",
        {
            "charger": _device(hass, charger),
            "departure": dt_util.now() + timedelta(hours=in_hours),
            "energy": energy_kwh,
        },
        blocking=True,
    )


async def _departure_strategy(hass: HomeAssistant) -> None:
    await hass.services.async_call(
        "select",
        "select_option",
        {"entity_id": "select.garage_strategy", "option": "departure"},
        blocking=True,
    )


def _number(hass: HomeAssistant, entity_id: str) -> float:
    state = hass.states.get(entity_id)
    assert state is not None
    return float(state.state)


async def test_an_ev_with_a_relaxed_departure_gets_its_fair_share(
    hass: HomeAssistant, site: SimulatedSite, freezer: FrozenDateTimeFactory
) -> None:
    """5 kWh in 8 h needs less than the minimum: no reason to favour it.

    With the wall clock for allocation and the monotonic clock for departures
    mixed, the EV looked due decades ago and took its maximum (16 A).
    """
    await _departure_strategy(hass)
    await _set_departure(hass, "cp1", in_hours=8, energy_kwh=5)
    await settle(hass, freezer, site, seconds=5, rounds=12)
    current = limits(hass, site)
    assert current == {"cp1": 9.0, "cp2": 9.0, "cp3": 9.0}
    assert hass.states.get("sensor.cp1_reason").state == "fair_share"
    assert_within_fuse(site)


async def test_an_ev_that_needs_it_gets_more_to_leave_full(
    hass: HomeAssistant, site: SimulatedSite, freezer: FrozenDateTimeFactory
) -> None:
    """The same service with a tight departure: the loop's clock makes it urgent."""
    await _departure_strategy(hass)
    # 7 kWh in an hour on three phases: 7000 / 690 = 10.1 A, more than a third.
    await _set_departure(hass, "cp1", in_hours=1, energy_kwh=7)
    await settle(hass, freezer, site, seconds=5, rounds=12)
    current = limits(hass, site)
    assert current["cp1"] > current["cp3"]
    assert hass.states.get("sensor.cp1_reason").state == "departure"
    assert_within_fuse(site)


async def test_energy_still_needed_counts_down_as_the_ev_charges(
    hass: HomeAssistant, site: SimulatedSite, freezer: FrozenDateTimeFactory
) -> None:
    await settle(hass, freezer, site, seconds=5, rounds=6)
    await _set_departure(hass, "cp1", in_hours=8, energy_kwh=10)
    await flush(hass, freezer)
    assert _number(hass, "sensor.cp1_energy_still_needed") == pytest.approx(10.0)
    # 9 A on three phases of 230 V for ten minutes: 9 * 690 / 6 = 1.035 kWh.
    await settle(hass, freezer, site, seconds=5, rounds=120)
    assert limits(hass, site)["cp1"] == 9.0
    still = _number(hass, "sensor.cp1_energy_still_needed")
    assert still == pytest.approx(10.0 - 1.035, abs=0.05)
    departure = hass.states.get("sensor.cp1_departure")
    assert departure is not None
    assert dt_util.parse_datetime(departure.state) is not None


async def test_a_departure_that_passed_is_dropped_with_an_event(
    hass: HomeAssistant, site: SimulatedSite, freezer: FrozenDateTimeFactory
) -> None:
    passed = async_capture_events(hass, EVENT_DEPARTURE_PASSED)
    await _set_departure(hass, "cp2", in_hours=0.01, energy_kwh=20)
    await settle(hass, freezer, site, seconds=10, rounds=6)
    assert len(passed) == 1
    assert passed[0].data["charger"] == "CP2"
    assert passed[0].data["energy_still_needed"] > 19
    assert hass.states.get("sensor.cp2_energy_still_needed").state == "unknown"
    assert hass.states.get("sensor.cp2_departure").state == "unknown"


async def test_departure_and_energy_survive_a_restart(
    hass: HomeAssistant,
    site: SimulatedSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    await _set_departure(hass, "cp3", in_hours=6, energy_kwh=12)
    await settle(hass, freezer, site, seconds=5, rounds=60)
    before = _number(hass, "sensor.cp3_energy_still_needed")
    assert before < 12
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await settle(hass, freezer, site, seconds=1, rounds=2)
    after = _number(hass, "sensor.cp3_energy_still_needed")
    assert before - 0.1 < after <= before
    assert hass.states.get("sensor.cp3_departure").state != "unknown"


async def test_a_queue_restored_across_a_restart_keeps_its_waits(
    hass: HomeAssistant,
    site: SimulatedSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """A wait saved as a duration reads back as that duration, restart after
    restart (mixed clocks turned 60 s into 1.8e9 s, growing each time)."""
    entry_id = init_integration.entry_id
    await settle(hass, freezer, site, seconds=5, rounds=6)
    site.baseline_a = [22.0, 22.0, 22.0]  # room for two EVs at 6 A, not three
    await settle(hass, freezer, site, seconds=5, rounds=12)
    waiting = next(key for key, value in limits(hass, site).items() if value == 0)
    # Lowest priority: it keeps waiting whoever the restarts favour.
    await hass.services.async_call(
        DOMAIN,
        "set_priority",
        {"charger": _device(hass, waiting), "priority": 1},
        blocking=True,
    )
    for restart in range(3):
        assert await hass.config_entries.async_unload(entry_id)
        stored = hass_storage[f"{DOMAIN}.{entry_id}"]["data"]["queue"]
        # Waiting since the step: 12 rounds 5 s apart, and 5 s after each restart.
        assert stored[f"sub_{waiting}"]["waited_s"] == pytest.approx(
            55 + 5 * restart, abs=6
        )
        assert await hass.config_entries.async_setup(entry_id)
        await hass.async_block_till_done()
        freezer.tick(5)


async def test_a_reading_older_than_a_raise_is_not_taken_for_the_new_draw(
    hass: HomeAssistant, site: SimulatedSite, freezer: FrozenDateTimeFactory
) -> None:
    """A charger whose sensors lag: right after its raise the loop credits it
    with its new limit, so the rest of the building is not overestimated."""
    await settle(hass, freezer, site, seconds=5, rounds=12)
    assert limits(hass, site)["cp1"] == 9.0
    site.silent.add("cp1")  # its sensors keep showing 9 A from now on
    site.charger("cp3").plugged = False  # frees current for cp1 and cp2
    await settle(hass, freezer, site, seconds=1, rounds=3)
    assert limits(hass, site)["cp1"] > 9.0  # raised: its EV draws the new limit
    await flush(hass, freezer)
    # The meter sees the raise at once; cp1's own reading does not yet.
    baseline = _number(hass, "sensor.garage_non_ev_current_l1")
    assert baseline == pytest.approx(10.0, abs=0.5)
    assert_within_fuse(site)


async def test_saving_options_keeps_the_held_baseline(
    hass: HomeAssistant,
    site: SimulatedSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    """A short rise of the building stays held for a few seconds, options or not."""
    await settle(hass, freezer, site, seconds=5, rounds=12)
    site.baseline_a = [25.0, 10.0, 10.0]
    site.publish()
    await flush(hass, freezer)
    site.baseline_a = [10.0, 10.0, 10.0]
    site.publish()
    await flush(hass, freezer)
    held = _number(hass, "sensor.garage_available_current_l1")
    assert held == pytest.approx(38.0 - 25.0, abs=0.5)
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**init_integration.options, "rotation_period": 20}
    )
    await flush(hass, freezer)
    assert _number(hass, "sensor.garage_available_current_l1") == pytest.approx(
        held, abs=0.5
    )


async def test_a_round_that_keeps_failing_raises_an_issue_and_keeps_the_fuse(
    hass: HomeAssistant,
    site: SimulatedSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from homeassistant.helpers import issue_registry as ir

    from custom_components.ev_load_balancer.balancer.engine import Balancer

    await settle(hass, freezer, site, seconds=5, rounds=6)
    working = Balancer.allocate

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("non-finite value: 'inf'")

    monkeypatch.setattr(Balancer, "allocate", broken)
    await settle(hass, freezer, site, seconds=2, rounds=5)
    issue_id = f"round_failing_{init_integration.entry_id}"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None
    assert hass.states.get("binary_sensor.garage_failsafe").state == "on"
    assert_within_fuse(site)
    monkeypatch.setattr(Balancer, "allocate", working)
    await settle(hass, freezer, site, seconds=2, rounds=3)
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    assert hass.states.get("binary_sensor.garage_failsafe").state == "off"


@pytest.mark.parametrize(("budget", "stay_paused"), [(2, True), (10, False)])
async def test_the_switch_budget_from_the_options_keeps_a_paused_ev_paused(
    hass: HomeAssistant,
    site: SimulatedSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    budget: int,
    stay_paused: bool,
) -> None:
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {**init_integration.options, "max_switches_per_hour": budget},
    )
    assert init_integration.options["max_switches_per_hour"] == budget
    await settle(hass, freezer, site, seconds=5, rounds=12)
    assert all(limit >= 6.0 for limit in limits(hass, site).values())
    # Room for two EVs, then for three, twice: a pause, a resume, a pause.
    for baseline in (25.0, 10.0, 25.0, 10.0):
        site.baseline_a = [baseline] * 3
        await settle(hass, freezer, site, seconds=5, rounds=12)
        assert_within_fuse(site)
    paused = [key for key, limit in limits(hass, site).items() if limit == 0]
    # Three switches in the hour: past a budget of two the EV is not resumed.
    assert bool(paused) is stay_paused
