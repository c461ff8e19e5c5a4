"""Replaying sessions through a controller, event by event."""

from __future__ import annotations

import pytest

from custom_components.ev_load_balancer.balancer import Site, single_phase_wiring
from custom_components.ev_load_balancer.sizing import (
    BalancerController,
    BaselineSeries,
    ChargerSpec,
    ControlTiming,
    EvModel,
    Session,
    evaluate,
    simulate,
)

from .helpers import (
    HOUR,
    START,
    ScriptedController,
    evening_sessions,
    flat_baseline,
    noisy_baseline,
    rotated_chargers,
)

SITE = Site(phases=3, fuse_a=63.0, margin_a=3.0)
NO_TAPER = EvModel(taper_kwh=0.0)


def test_an_ev_alone_gets_its_energy_and_is_full_on_time() -> None:
    charger = rotated_chargers(1)
    session = Session(
        charger_id="cp0", arrival_s=HOUR, departure_s=5 * HOUR, energy_kwh=11.04
    )
    result = simulate(SITE, flat_baseline(10, 6), charger, [session], ev_model=NO_TAPER)
    (outcome,) = result.outcomes
    assert outcome.full
    assert outcome.delivered_kwh == pytest.approx(11.04)
    # 5 s to follow the first limit, then one hour at 3 x 16 A.
    assert outcome.full_at_s == pytest.approx(2 * HOUR + 5.0)
    assert outcome.switches == 0


def test_energy_in_the_trace_equals_the_evs_energy() -> None:
    chargers = rotated_chargers(12)
    sessions = evening_sessions(chargers, seed=1)
    result = simulate(SITE, noisy_baseline(20, 6, 40, seed=2), chargers, sessions)
    metrics = evaluate(result)
    assert metrics.fuse is not None
    delivered = sum(outcome.delivered_kwh for outcome in result.outcomes)
    assert metrics.fuse.ev_energy_kwh == pytest.approx(delivered, rel=1e-9)
    for outcome in result.outcomes:
        assert outcome.delivered_kwh <= outcome.session.energy_kwh + 1e-9


def test_ours_shares_a_binding_fuse_and_never_commands_above_it() -> None:
    chargers = rotated_chargers(2)
    sessions = [
        Session(charger_id=c.charger_id, arrival_s=0.0, departure_s=HOUR, energy_kwh=50)
        for c in chargers
    ]
    result = simulate(SITE, flat_baseline(40, 2), chargers, sessions, ev_model=NO_TAPER)
    # 63 - 3 - 40 = 20 A for two three-phase EVs: 10 A each for an hour
    # (less the 5 s it takes each EV to start).
    for outcome in result.outcomes:
        assert outcome.delivered_kwh == pytest.approx(
            3 * 10 * 230 * (HOUR - 5) / 3.6e6, rel=1e-3
        )
    assert result.commanded_excess_a <= -3.0 + 1e-6
    assert evaluate(result).fuse.overload_s == 0  # type: ignore[union-attr]


def test_commanded_excess_counts_only_phases_that_carry_a_command() -> None:
    # The building alone is above the fuse on L1 for the whole hour (no EV
    # there); a single-phase charger on L2 is free to charge. What the loop
    # asked for is measured on L2, not blamed for L1.
    baseline = BaselineSeries(START, 60.0, ((70.0, 20.0, 20.0),) * 60)
    charger = ChargerSpec(charger_id="cp", wiring=(1,))
    session = Session(charger_id="cp", arrival_s=0.0, departure_s=HOUR, energy_kwh=50)
    result = simulate(SITE, baseline, [charger], [session], ev_model=NO_TAPER)
    assert result.outcomes[0].delivered_kwh > 0
    # 16 A on L2's 20 A: 27 A below the fuse.
    assert result.commanded_excess_a == pytest.approx(20.0 + 16.0 - 63.0)


def test_a_single_phase_ev_loads_only_its_chargers_first_conductor() -> None:
    charger = ChargerSpec(charger_id="cp", wiring=(1, 2, 0))
    session = Session(
        charger_id="cp",
        arrival_s=0.0,
        departure_s=HOUR,
        energy_kwh=100.0,
        ev_phases=1,
        ev_max_a=32.0,
    )
    result = simulate(
        SITE, flat_baseline(0, 2), [charger], [session], ev_model=NO_TAPER
    )
    loads = {currents for currents in result.ev_trace.currents_a if any(currents)}
    assert loads == {(0.0, 32.0, 0.0)}


def test_only_chargers_with_an_ev_are_put_to_the_strategy() -> None:
    chargers = [*rotated_chargers(2), ChargerSpec(charger_id="x", wiring=(0,))]
    sessions = [
        Session(charger_id="cp0", arrival_s=0.0, departure_s=HOUR, energy_kwh=1),
        Session(charger_id="x", arrival_s=0.5 * HOUR, departure_s=HOUR, energy_kwh=1),
    ]
    controller = ScriptedController(lambda now: 16.0)
    simulate(SITE, flat_baseline(0, 2), chargers, sessions, controller=controller)
    assert {ids for _, ids in controller.seen} == {("cp0",), ("cp0", "x")}


def test_pauses_and_resumes_are_counted_after_the_first_start() -> None:
    def limit_at(now: float) -> float:
        return 0.0 if now < 600 or 1200 <= now < 1800 else 16.0

    controller = ScriptedController(limit_at)
    session = Session(charger_id="cp0", arrival_s=0.0, departure_s=HOUR, energy_kwh=50)
    timing = ControlTiming(max_round_interval_s=60.0)
    result = simulate(
        SITE, flat_baseline(0, 2), rotated_chargers(1), [session],
        controller=controller, timing=timing,
    )  # fmt: skip
    # Waiting until 600 s is not a switch; the pause at 1200 s and the
    # resume at 1800 s are.
    assert result.outcomes[0].switches == 2


def test_skipping_quiet_readings_changes_next_to_nothing() -> None:
    """Rounds on every meter reading against the replay's shortcut."""
    chargers = rotated_chargers(10)
    sessions = evening_sessions(chargers, seed=5)
    baseline = noisy_baseline(25, 5, 40, seed=6)
    every = ControlTiming(meter_interval_s=10.0, max_round_interval_s=10.0)
    quick = ControlTiming(meter_interval_s=10.0)
    slow = simulate(SITE, baseline, chargers, sessions, timing=every)
    fast = simulate(SITE, baseline, chargers, sessions, timing=quick)
    assert fast.rounds < slow.rounds / 2
    slow_kwh = sum(o.delivered_kwh for o in slow.outcomes)
    fast_kwh = sum(o.delivered_kwh for o in fast.outcomes)
    assert fast_kwh == pytest.approx(slow_kwh, rel=0.005)


@pytest.mark.parametrize(
    ("sessions", "message"),
    [
        (
            [
                Session(charger_id="cp0", arrival_s=0, departure_s=100, energy_kwh=1),
                Session(charger_id="cp0", arrival_s=50, departure_s=200, energy_kwh=1),
            ],
            "overlap",
        ),
        (
            [Session(charger_id="nope", arrival_s=0, departure_s=100, energy_kwh=1)],
            "unknown charger",
        ),
    ],
)
def test_bad_sessions_are_refused(sessions: list[Session], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        simulate(SITE, flat_baseline(0, 1), rotated_chargers(1), sessions)


def test_a_baseline_of_the_wrong_phase_count_is_refused() -> None:
    with pytest.raises(ValueError, match="same number of phases"):
        simulate(SITE, flat_baseline(0, 1, phases=1), rotated_chargers(1), [])


def test_wiring_outside_the_site_is_refused() -> None:
    single = Site(phases=1, fuse_a=40.0)
    charger = ChargerSpec(charger_id="cp", wiring=single_phase_wiring(2))
    with pytest.raises(ValueError, match="wiring outside"):
        simulate(single, flat_baseline(0, 1, phases=1), [charger], [])


def test_the_balancer_controller_can_be_given_settings() -> None:
    from custom_components.ev_load_balancer.balancer import BalancerSettings

    controller = BalancerController(BalancerSettings(hold_s=5.0))
    assert controller.settings.hold_s == 5.0
