"""The peak host: from the loop's inputs to peak shaving's own cap."""

from __future__ import annotations

import pytest

from custom_components.ev_load_balancer.balancer import ChargerState
from custom_components.ev_load_balancer.chargers.base import ChargerStatus
from custom_components.ev_load_balancer.loop import (
    ChargerReport,
    LoopCharger,
    LoopConfig,
    RoundTime,
    SiteRuntime,
)
from custom_components.ev_load_balancer.loop.charger_input import build_input
from custom_components.ev_load_balancer.meter.base import MeterReading
from custom_components.ev_load_balancer.peak import PeakController, PeakHost, Tariff
from custom_components.ev_load_balancer.peak.sessions import DEFAULT_ENERGY_KWH

CONFIG = LoopConfig(
    name="site",
    phases=3,
    fuse_a=63.0,
    margin_a=3.0,
    voltage_v=230.0,
    chargers=tuple(
        LoopCharger(
            charger_id=f"cp{i}",
            name=f"cp{i}",
            wiring=(0, 1, 2),
            min_a=6,
            max_a=16,
            priority=0,
        )
        for i in range(2)
    ),
)
DAY = 86400.0
STATUS = ChargerStatus(state=ChargerState.CHARGING, current_a=(16.0,) * 3)


def report(state: ChargerState, amps: float, kwh: float) -> ChargerReport:
    return ChargerReport(
        status=ChargerStatus(state=state, current_a=(amps,) * 3, energy_kwh=kwh)
    )


def host() -> PeakHost:
    controller = PeakController(Tariff(), phases=3, voltage_v=230.0, fuse_a=60.0)
    for minute in range(0, 25 * 60, 10):
        controller.forecast.add(minute * 60.0, 6.9)  # 10 A per phase
    return PeakHost(controller, CONFIG)


def round_at(
    peak: PeakHost, wall: float, runtime: SiteRuntime, amps: float, kwh: float
) -> None:
    reading = MeterReading(current_a=(10.0 + 2 * amps,) * 3, received_at=wall)
    reports = {
        "cp0": report(ChargerState.CHARGING, amps, kwh),
        "cp1": report(ChargerState.CHARGING, amps, kwh),
    }
    peak.before_round(RoundTime(now=wall, wall=wall), reading, reports, runtime)


def test_cap_goes_into_the_site_limit_and_departures_are_told() -> None:
    peak = host()
    runtime = SiteRuntime()
    runtime.charger("cp1").departure = 2 * DAY  # the user's own departure
    start = DAY + 18 * 3600.0
    round_at(peak, start, runtime, 16.0, 0.0)
    round_at(peak, start + 60.0, runtime, 16.0, 0.2)
    decision = peak.controller.last
    assert decision is not None
    assert decision.target_kw is not None
    assert decision.cap_a is not None
    # The cap lands in peak shaving's own field, margin added, expiring; the
    # user's limit is left alone.
    assert runtime.peak_cap_a == pytest.approx(decision.cap_a + 3.0)
    assert runtime.peak_cap_until == pytest.approx(start + 60.0 + 300.0)
    assert runtime.site_limit_a is None
    assert runtime.active_site_limit(start + 60.0) is not None
    assert runtime.active_site_limit(start + 3600.0) is None  # lapses by itself
    # The learnt departure (a cold default) is told as an estimate; the
    # user's own fields are left alone, and the user's departure wins.
    cp0, cp1 = runtime.charger("cp0"), runtime.charger("cp1")
    assert cp0.estimated_departure == pytest.approx(start + 8 * 3600.0)
    assert cp0.departure is None
    assert cp1.departure == 2 * DAY
    assert cp1.estimated_departure is not None
    time = RoundTime(now=start, wall=start)
    assert build_input(
        CONFIG.chargers[0],
        STATUS,
        ChargerState.CHARGING,
        cp0,
        time,
        controllable=True,
        step_a=1.0,
    ).departure == pytest.approx(start + 8 * 3600.0)
    assert (
        build_input(
            CONFIG.chargers[1],
            STATUS,
            ChargerState.CHARGING,
            cp1,
            time,
            controllable=True,
            step_a=1.0,
        ).departure
        == 2 * DAY
    )
    cp0.end_session()
    assert cp0.estimated_departure is None


def test_a_stale_meter_decides_nothing() -> None:
    peak = host()
    runtime = SiteRuntime()
    wall = DAY + 18 * 3600.0
    assert peak.before_round(RoundTime(now=wall, wall=wall), None, {}, runtime) is None
    assert runtime.peak_cap_a is None


def test_a_finished_session_is_learnt() -> None:
    peak = host()
    runtime = SiteRuntime()
    start = DAY + 18 * 3600.0
    round_at(peak, start, runtime, 16.0, 0.0)
    round_at(peak, start + 3600.0, runtime, 16.0, 7.0)
    full = {
        "cp0": report(ChargerState.EV_FULL, 0.0, 7.0),
        "cp1": report(ChargerState.EV_FULL, 0.0, 7.0),
    }
    wall = start + 3700.0
    reading = MeterReading(current_a=(10.0,) * 3, received_at=wall)
    peak.before_round(RoundTime(now=wall, wall=wall), reading, full, runtime)
    gone = {
        "cp0": report(ChargerState.NO_EV, 0.0, 7.0),
        "cp1": report(ChargerState.NO_EV, 0.0, 7.0),
    }
    wall = start + 7200.0
    reading = MeterReading(current_a=(10.0,) * 3, received_at=wall)
    peak.before_round(RoundTime(now=wall, wall=wall), reading, gone, runtime)
    kept = peak.controller.sessions.history["cp0"]
    assert len(kept) == 1
    assert kept[0].stay_s == pytest.approx(7200.0)
    assert kept[0].energy_kwh == pytest.approx(7.0)


def test_a_session_that_leaves_not_full_is_learnt_as_wanting_its_plan() -> None:
    # Capped sessions must not teach smaller needs: what it took is censored.
    peak = host()
    runtime = SiteRuntime()
    start = DAY + 18 * 3600.0
    round_at(peak, start, runtime, 16.0, 0.0)
    round_at(peak, start + 3600.0, runtime, 16.0, 7.0)
    gone = {
        "cp0": report(ChargerState.NO_EV, 0.0, 7.0),
        "cp1": report(ChargerState.NO_EV, 0.0, 7.0),
    }
    wall = start + 7200.0
    reading = MeterReading(current_a=(10.0,) * 3, received_at=wall)
    peak.before_round(RoundTime(now=wall, wall=wall), reading, gone, runtime)
    (kept,) = peak.controller.sessions.history["cp0"]
    assert kept.energy_kwh == pytest.approx(DEFAULT_ENERGY_KWH)


def test_a_long_gap_adds_no_energy() -> None:
    peak = host()
    runtime = SiteRuntime()
    start = DAY + 18 * 3600.0
    status = ChargerStatus(
        state=ChargerState.CHARGING, current_a=(16.0,) * 3, power_w=11000.0
    )
    reading = MeterReading(current_a=(42.0,) * 3, received_at=start)
    for wall in (start, start + 60.0, start + 10 * 3600.0):
        peak.before_round(
            RoundTime(now=wall, wall=wall),
            reading,
            {"cp0": ChargerReport(status=status)},
            runtime,
        )
    # A minute at 11 kW counts; the ten hours the host was not called do not.
    assert peak._plugged["cp0"].delivered_kwh == pytest.approx(11.0 / 60.0)
