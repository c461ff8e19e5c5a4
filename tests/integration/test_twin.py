"""One scenario, two hosts of the loop: the simulator and Home Assistant.

The simulator replays an evening (three phases in rotation, a one-phase EV, a
charger that reports late, a meter that goes silent, a restart) and records
every round: what its meter and chargers reported and the limits the loop
decided. Home Assistant is then fed the very same readings through real
entities (sensor states, input_number chargers) at the same moments, and its
coordinator must decide the same limits, round for round. Where they differ,
a seam between HA and the loop (units, status words, reading ages, clocks,
restarts) is wrong.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT, UnitOfElectricCurrent
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_load_balancer.balancer import ChargerState, Rotation, Site
from custom_components.ev_load_balancer.const import DOMAIN
from custom_components.ev_load_balancer.sizing import (
    BaselineEvent,
    BaselineSeries,
    ChargerSpec,
    ControlTiming,
    EvModel,
    RoundRecord,
    Session,
    simulate,
)

START = datetime(2026, 1, 14, 17, 0, tzinfo=UTC)
AMPS = {ATTR_UNIT_OF_MEASUREMENT: UnitOfElectricCurrent.AMPERE}
METER = ("sensor.twin_l1", "sensor.twin_l2", "sensor.twin_l3")
SITE = Site(phases=3, fuse_a=40.0, margin_a=2.0)
RESTART_S = 700.0
OUTAGE = (500.0, 45.0)
END_S = 900.0
WORDS = {
    ChargerState.NO_EV: "disconnected",
    ChargerState.CONNECTED: "connected",
    ChargerState.CHARGING: "charging",
    ChargerState.EV_FULL: "completed",
}
# (id, rotation, reports every s, EV phases, EV max A, arrives s)
CHARGERS = (
    ("cp1", Rotation.L1L2L3, 2.0, 3, 16.0, 10.0),
    ("cp2", Rotation.L2L3L1, 2.0, 1, 16.0, 20.0),
    ("cp3", Rotation.L3L1L2, 6.0, 3, 16.0, 30.0),  # reports late
)


def _replay() -> tuple[RoundRecord, ...]:
    baseline = BaselineSeries(
        START.replace(tzinfo=None),
        60.0,
        ((10.0, 10.0, 10.0),) * 20,
        # A sauna on L1 for two minutes, then a kettle on L2.
        events=(
            BaselineEvent(300.0, 420.0, (14.0, 0.0, 0.0)),
            BaselineEvent(450.0, 630.0, (0.0, 9.0, 0.0)),
        ),
    )
    chargers = [
        ChargerSpec(
            charger_id=key,
            wiring=rotation.wiring,
            max_a=16.0,
            step_a=1.0,
            report_lag_s=every,
            report_offset_s=0.0,
        )
        for key, rotation, every, *_ in CHARGERS
    ]
    sessions = [
        Session(
            charger_id=key,
            arrival_s=arrives,
            departure_s=END_S if key != "cp1" else 800.0,
            energy_kwh=30.0,
            ev_phases=phases,
            ev_max_a=ev_max,
        )
        for key, _, _, phases, ev_max, arrives in CHARGERS
    ]
    result = simulate(
        SITE,
        baseline,
        chargers,
        sessions,
        ev_model=EvModel(decrease_delay_s=2.0, increase_delay_s=4.0, taper_kwh=0.0),
        timing=ControlTiming(
            meter_interval_s=1.0,
            meter_lag_s=0.0,
            tick_s=1.0,
            exact=True,
            meter_outages=(OUTAGE,),
            restarts_s=(RESTART_S,),
        ),
        record=True,
    )
    return result.round_log


def _subentry(key: str, rotation: Rotation) -> ConfigSubentryData:
    return ConfigSubentryData(
        data={
            "connection": f"three_phase_{rotation.value.lower()}",
            "min_current": 6,
            "max_current": 16,
            "priority": 5,
            "control": "number",
            "current_entity": f"input_number.{key}_limit",
            "current_sensors": [f"sensor.{key}_current_l{i}" for i in (1, 2, 3)],
            "power_sensor": None,
            "status_entity": f"sensor.{key}_status",
            "switch_entity": None,
            "min_change_interval": 0,
        },
        subentry_id=f"sub_{key}",
        subentry_type="charger",
        title=key.upper(),
        unique_id=f"input_number.{key}_limit",
    )


class _World:
    """Writes what the simulator's meter and chargers reported, as HA states."""

    def __init__(self, hass: HomeAssistant) -> None:
        self.hass = hass
        self.words: dict[str, str] = {}
        self.sampled: dict[str, float | None] = {}
        self.meter_at: float | None = None

    def write(self, record: RoundRecord) -> None:
        states = self.hass.states
        now = record.time_s
        for key, report in record.reports.items():
            status = report.status
            if status.updated_at != self.sampled.get(key):
                # A new report: written when the charger took it (now).
                self.sampled[key] = status.updated_at
                for conductor, value in enumerate(status.current_a or (0.0,) * 3):
                    states.async_set(
                        f"sensor.{key}_current_l{conductor + 1}", str(value), AMPS
                    )
            assert status.state is not None
            word = WORDS[status.state]
            # Every round also answers a status write: HA's round of that moment.
            states.async_set(f"sensor.{key}_status", word, force_update=True)
            self.words[key] = word
        meter = record.meter
        if meter is not None and meter.received_at != self.meter_at:
            self.meter_at = meter.received_at
            assert meter.received_at == now
            for entity_id, value in zip(METER, meter.current_a, strict=True):
                states.async_set(entity_id, f"{value:.4f}", AMPS, force_update=True)


async def _settle(hass: HomeAssistant) -> None:
    for _ in range(4):
        await hass.async_block_till_done()


@pytest.mark.usefixtures("machine_clocks")
async def test_the_simulator_and_home_assistant_decide_alike(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    log = _replay()
    assert len(log) > 800  # a round every second
    freezer.move_to(START)
    await async_setup_component(
        hass,
        "input_number",
        {
            "input_number": {
                f"{key}_limit": {"min": 0, "max": 16, "step": 1, "initial": 0}
                for key, *_ in CHARGERS
            }
        },
    )
    world = _World(hass)
    world.write(log[0])
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Twin",
        unique_id=METER[0],
        data={
            "name": "Twin",
            "phases": 3,
            "fuse_current": SITE.fuse_a,
            "nominal_voltage": 230,
            "meter_type": "sensors",
            "meter_entities": list(METER),
            "voltage_entities": [],
        },
        options={"safety_margin": SITE.margin_a, "stale_after": 30},
        subentries_data=[_subentry(key, rotation) for key, rotation, *_ in CHARGERS],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await _settle(hass)

    compared: dict[str, Any] = {"rounds": 0, "failsafe": 0, "paused": 0}
    for record in log:
        freezer.move_to(START + timedelta(seconds=record.time_s))
        world.write(record)
        if record.time_s == RESTART_S:
            assert await hass.config_entries.async_reload(entry.entry_id)
        await _settle(hass)
        ha = {
            key: hass.states.get(f"sensor.{key}_allocated_limit")
            for key, *_ in CHARGERS
        }
        decided = {
            key: None
            if state is None or state.state == "unknown"
            else float(state.state)
            for key, state in ha.items()
        }
        assert decided == record.limits, f"at {record.time_s:.0f} s"
        compared["rounds"] += 1
        failsafe = hass.states.get("binary_sensor.twin_failsafe")
        compared["failsafe"] += failsafe is not None and failsafe.state == "on"
        compared["paused"] += any(value == 0 for value in decided.values())
    # The evening went through what it was built for.
    assert compared["failsafe"] >= 10  # the silent meter
    assert compared["paused"] >= 10
