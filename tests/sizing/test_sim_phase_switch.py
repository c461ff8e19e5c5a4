"""1p/3p switching in the simulator: the loop's own hook drives simulated go-e
chargers, and what flows stays inside the fuse through every switch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from itertools import pairwise

import pytest

from custom_components.ev_load_balancer.balancer import Rotation, Site
from custom_components.ev_load_balancer.chargers.phase_sequence import SETTLE_S
from custom_components.ev_load_balancer.sizing import (
    BalancerController,
    BaselineSeries,
    ChargerSpec,
    ControlTiming,
    Session,
    simulate,
)
from custom_components.ev_load_balancer.sizing.replay import SimulationResult
from custom_components.ev_load_balancer.sizing.trace import site_pieces
from evlb_sim.offline.inputs import build_inputs
from evlb_sim.offline.runner import run_strategy
from evlb_sim.offline.scenario_loader import load_scenario

from .helpers import HOUR, START

SITE = Site(phases=3, fuse_a=35.0, margin_a=2.0)
DWELL_S = 300.0
# An hour where L2 and L3 leave 4 A (three phases cannot have 6 A), then
# two hours where every phase has room.
TIGHT = (12.0, 29.0, 29.0)
QUIET = (8.0, 8.0, 8.0)
BASELINE = BaselineSeries(START, 60.0, (TIGHT,) * 60 + (QUIET,) * 120)


def _go_e(charger_id: str = "goe", wiring: tuple[int, ...] = (0, 1, 2)) -> ChargerSpec:
    return ChargerSpec(
        charger_id=charger_id,
        wiring=wiring,
        max_a=16.0,
        step_a=1.0,
        phase_switching=True,
        phase_dwell_s=DWELL_S,
    )


def _run(
    chargers: Sequence[ChargerSpec],
    sessions: Sequence[Session],
    *,
    switches: bool = True,
    baseline: BaselineSeries = BASELINE,
    exact: bool = True,
) -> SimulationResult:
    return simulate(
        SITE,
        baseline,
        chargers,
        sessions,
        controller=BalancerController(switches_phases=switches),
        timing=ControlTiming(exact=exact),
    )


def _worst_over_usable_a(result: SimulationResult) -> float:
    """Highest (baseline + EV current - usable current) on any phase, A."""
    usable = result.site.usable_a
    return max(
        max(b + e for b, e in zip(piece.baseline_a, piece.ev_a, strict=True)) - usable
        for piece in site_pieces(
            result.baseline, result.ev_trace, result.start_s, result.end_s
        )
    )


def _over_usable(result: SimulationResult) -> list[tuple[float, float]]:
    """The stretches of time where more than the usable current flowed."""
    usable = result.site.usable_a
    stretches: list[tuple[float, float]] = []
    for piece in site_pieces(
        result.baseline, result.ev_trace, result.start_s, result.end_s
    ):
        flowing = (b + e for b, e in zip(piece.baseline_a, piece.ev_a, strict=True))
        if max(flowing) <= usable + 1e-9:
            continue
        if stretches and stretches[-1][1] == piece.start_s:
            stretches[-1] = (stretches[-1][0], piece.end_s)
        else:
            stretches.append((piece.start_s, piece.end_s))
    return stretches


def test_a_go_e_runs_on_one_phase_on_the_tight_hour_and_back_later() -> None:
    session = Session(
        charger_id="goe", arrival_s=100.0, departure_s=3 * HOUR, energy_kwh=60.0
    )
    switching = _run([_go_e()], [session])
    fixed = _run([_go_e()], [session], switches=False)

    # One phase at once (its L1 has 21 A of room), three after the building
    # quietened, and nothing else.
    assert [(charger, phases) for _, charger, phases in switching.phase_log] == [
        ("goe", 1),
        ("goe", 3),
    ]
    to_one, to_three = (time_s for time_s, _, _ in switching.phase_log)
    assert to_one < 100.0 + 120.0
    assert HOUR < to_three < HOUR + 60.0
    # On three phases all along, it waits for the building instead.
    assert fixed.phase_switches == 0
    gained = switching.outcomes[0].delivered_kwh - fixed.outcomes[0].delivered_kwh
    # About an hour at 16 A on one phase (3.7 kW), less the switches' pauses.
    assert 3.0 < gained < 3.7
    for result in (switching, fixed):
        assert _worst_over_usable_a(result) <= 1e-9
        assert result.commanded_excess_a <= -SITE.margin_a + 1e-9


def test_the_dwell_time_stands_between_switches() -> None:
    # The building swings every two minutes between tight and quiet: without
    # a dwell time the charger would switch every two minutes.
    swinging = BaselineSeries(START, 60.0, ((TIGHT,) * 2 + (QUIET,) * 2) * 45)
    session = Session(
        charger_id="goe", arrival_s=60.0, departure_s=3 * HOUR, energy_kwh=60.0
    )
    result = _run([_go_e()], [session], baseline=swinging)
    times = [time_s for time_s, _, _ in result.phase_log]
    assert len(times) >= 4
    for before, after in pairwise(times):
        assert after - before >= DWELL_S
    # Each switch right as the dwell time ends doubles the next one
    # (hysteresis): 5, 10, 20, 40 minutes.
    gaps = [after - before for before, after in pairwise(times)]
    assert gaps[-1] >= 2 * DWELL_S
    # The building jumps by 21 A: only until the loop has seen it (a meter
    # reading, 10 s, 1 s late) and the EV followed the cut (2 s) is more
    # than the usable current flowing, switch or no switch.
    for start_s, end_s in _over_usable(result):
        assert swinging.at(start_s) == TIGHT
        assert end_s - start_s <= 13.0
    assert result.commanded_excess_a <= 1e-9


@pytest.mark.parametrize("seed", range(2))
def test_the_fuse_holds_through_switches_of_several_chargers(seed: int) -> None:
    rotations = list(Rotation)
    chargers = [_go_e(f"goe{i}", rotations[i % 3].wiring) for i in range(6)]
    sessions = [
        Session(
            charger_id=charger.charger_id,
            arrival_s=60.0 + 400.0 * ((i + seed) % 6),
            departure_s=3 * HOUR - 100.0 * i,
            energy_kwh=12.0 + 2.0 * ((i * 7 + seed) % 5),
        )
        for i, charger in enumerate(chargers)
    ]
    result = _run(chargers, sessions)
    fixed = _run(chargers, sessions, switches=False)
    assert result.phase_switches > 0
    # One switch at a time on the site: each begins once the one before has
    # resumed (its phases switched at least SETTLE_S before).
    times = [time_s for time_s, _, _ in result.phase_log]
    assert all(after - before >= SETTLE_S for before, after in pairwise(times))
    # What really flowed, EVs following late, switches under way: inside.
    assert _worst_over_usable_a(result) <= 1e-9
    assert result.commanded_excess_a <= 1e-9
    delivered = sum(o.delivered_kwh for o in result.outcomes)
    assert delivered > sum(o.delivered_kwh for o in fixed.outcomes)


def test_a_one_phase_ev_seen_drawing_is_not_switched() -> None:
    """Once a one-phase EV was seen drawing on L1 alone, one phase gains
    nothing: a tight hour leaves the charger as it is."""
    quiet_then_tight = BaselineSeries(START, 60.0, (QUIET,) * 30 + (TIGHT,) * 90)
    session = Session(
        charger_id="goe",
        arrival_s=100.0,
        departure_s=2 * HOUR,
        energy_kwh=30.0,
        ev_phases=1,
    )
    result = _run([_go_e()], [session], baseline=quiet_then_tight)
    assert result.phase_switches == 0
    # 16 A on L1 all along: the tight hour leaves L1 21 A.
    assert result.outcomes[0].delivered_kwh == pytest.approx(
        16 * 230 * (2 * HOUR - 100.0) / 3.6e6, rel=0.02
    )


def test_the_meter_has_a_fresh_reading_when_an_ev_arrives_after_a_quiet_spell() -> None:
    """The meter reads all the time, not only while EVs are plugged in: the
    first round after hours without an EV is not a failsafe round."""
    charger = ChargerSpec(charger_id="cp", wiring=(0, 1, 2), max_a=16.0)
    first = Session(charger_id="cp", arrival_s=100.0, departure_s=900.0, energy_kwh=1)
    later = Session(charger_id="cp", arrival_s=7203.0, departure_s=9000.0, energy_kwh=1)
    result = simulate(
        SITE,
        BaselineSeries(START, 60.0, (QUIET,) * 180),
        [charger],
        [first, later],
        record=True,
    )
    arrival_round = next(r for r in result.round_log if r.time_s == later.arrival_s)
    assert arrival_round.meter is not None
    assert later.arrival_s - arrival_round.meter.received_at < 10.0


def test_the_shipped_scenario_gains_energy_by_switching() -> None:
    """tight-evening-switching, cut to three houses and the evening."""
    scenario = load_scenario("tight-evening-switching")
    inputs = build_inputs(scenario)
    kept = {"house1", "house2", "house4"}
    evening_end = (
        datetime.fromisoformat("2024-01-15T22:00") - scenario.start
    ).total_seconds()
    sessions = tuple(
        replace(session, departure_s=evening_end)
        for session in inputs.sessions
        if session.charger_id in kept
    )
    short = replace(
        inputs,
        chargers=tuple(c for c in inputs.chargers if c.charger_id in kept),
        sessions=sessions,
        scenario=replace(scenario, timing=replace(scenario.timing, exact=False)),
    )
    ours = run_strategy(short, "ours")
    fixed = run_strategy(short, "ours_fixed_phases")
    assert ours.phase_switches > 0
    assert fixed.phase_switches == 0
    assert fixed.detail == "no 1p/3p switching"
    gained = (
        ours.metrics.evs.energy_delivered_kwh - fixed.metrics.evs.energy_delivered_kwh
    )
    # L2 and L3 leave under 6 A from 17:00 to 21:30: on three phases nobody
    # charges then; on one phase L1's 20 A and L2's 6 A are used.
    assert gained > 10.0
    for run in (ours, fixed):
        assert run.metrics.fuse is not None
        assert run.metrics.fuse.overload_s == 0
