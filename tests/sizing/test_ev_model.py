"""The simulated EV: delays, supersession, taper, full, late readings."""

from __future__ import annotations

import math

import pytest

from custom_components.ev_load_balancer.sizing import EvModel, Session
from custom_components.ev_load_balancer.sizing.ev import SimulatedEv

VOLTS = 230.0


def make_ev(
    *, energy_kwh: float = 10.0, phases: int = 3, model: EvModel | None = None
) -> SimulatedEv:
    session = Session(
        charger_id="cp1",
        arrival_s=0.0,
        departure_s=36000.0,
        energy_kwh=energy_kwh,
        ev_phases=phases,
        ev_max_a=16.0,
    )
    return SimulatedEv(
        session,
        phase_count=phases,
        model=model or EvModel(taper_kwh=0.0),
        voltage_v=VOLTS,
        min_a=6.0,
    )


def test_follows_an_increase_after_its_delay() -> None:
    ev = make_ev(model=EvModel(increase_delay_s=5.0, taper_kwh=0.0))
    ev.command(100.0, 16.0)
    assert ev.next_event_s() == 105.0
    ev.advance(104.9)
    assert ev.draw_a == 0.0
    assert ev.advance(105.0)
    assert ev.draw_a == 16.0


def test_follows_a_decrease_sooner_than_an_increase() -> None:
    ev = make_ev(model=EvModel(decrease_delay_s=2.0, increase_delay_s=5.0, taper_kwh=0))
    ev.command(0.0, 16.0)
    ev.advance(5.0)
    ev.command(10.0, 8.0)
    ev.advance(11.9)
    assert ev.draw_a == 16.0
    ev.advance(12.0)
    assert ev.draw_a == 8.0


def test_a_newer_command_supersedes_one_not_yet_applied() -> None:
    ev = make_ev(model=EvModel(decrease_delay_s=2.0, increase_delay_s=5.0, taper_kwh=0))
    ev.command(0.0, 16.0)  # would apply at 5
    ev.command(1.0, 0.0)  # applies at 3 and cancels the increase
    ev.advance(10.0)
    assert ev.draw_a == 0.0
    assert ev.delivered_kwh == 0.0


def test_below_the_minimum_the_ev_does_not_charge() -> None:
    ev = make_ev(model=EvModel(increase_delay_s=0.0, taper_kwh=0.0))
    ev.command(0.0, 5.0)
    ev.advance(0.0)
    assert ev.draw_a == 0.0


def test_becomes_full_exactly_when_the_energy_is_in() -> None:
    ev = make_ev(energy_kwh=11.04, model=EvModel(increase_delay_s=0.0, taper_kwh=0.0))
    ev.command(0.0, 16.0)
    ev.advance(0.0)
    full_at = ev.next_event_s()
    # 3 x 16 A x 230 V = 11.04 kW: one hour.
    assert full_at == pytest.approx(3600.0)
    ev.advance(full_at)
    assert ev.full_at == pytest.approx(3600.0)
    assert ev.delivered_kwh == 11.04
    assert ev.draw_a == 0.0
    assert ev.next_event_s() == math.inf


def test_taper_lowers_what_the_ev_accepts_near_full() -> None:
    model = EvModel(increase_delay_s=0.0, taper_kwh=2.0, taper_floor=0.25)
    ev = make_ev(energy_kwh=1.0, model=model)
    # 1 kWh left of a 2 kWh taper: half the maximum.
    assert ev.acceptance_a() == pytest.approx(8.0)
    ev.command(0.0, 16.0)
    ev.advance(0.0)
    assert ev.draw_a == pytest.approx(8.0)
    nearly_full = make_ev(energy_kwh=0.1, model=model)
    assert nearly_full.acceptance_a() == pytest.approx(4.0)  # the floor


def test_readings_are_reported_every_lag_seconds() -> None:
    """The charger samples every 5 s: a change waits for the next sample."""
    ev = make_ev(
        model=EvModel(increase_delay_s=0.0, measurement_lag_s=5.0, taper_kwh=0)
    )
    ev.command(11.0, 16.0)
    ev.advance(11.0)
    assert ev.measured_a(14.9) == (0.0, 10.0)
    assert not ev.measurement_settled(14.9)
    assert ev.next_report_s(14.9) == 15.0
    assert ev.measured_a(15.0) == (16.0, 15.0)
    assert ev.measurement_settled(15.0)


def test_energy_is_integrated_while_drawing_and_stops_at_unplug() -> None:
    ev = make_ev(energy_kwh=100.0, model=EvModel(increase_delay_s=0.0, taper_kwh=0))
    ev.command(0.0, 10.0)
    ev.advance(0.0)
    ev.unplug(1800.0)
    assert ev.delivered_kwh == pytest.approx(3 * 10 * VOLTS * 0.5 / 1000)
    assert ev.draw_a == 0.0


def test_a_single_phase_ev_counts_one_phase_of_energy() -> None:
    ev = make_ev(
        phases=1, energy_kwh=100.0, model=EvModel(increase_delay_s=0, taper_kwh=0)
    )
    ev.command(0.0, 16.0)
    ev.advance(0.0)
    ev.advance(3600.0)
    assert ev.delivered_kwh == pytest.approx(16 * VOLTS / 1000)
