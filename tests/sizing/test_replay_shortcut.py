"""The replay's shortcut (skipping rounds while nothing is read) gives the
figures of a loop that runs every 2 s tick, as Home Assistant's does.

Found when the two were first compared on 63A-workplace: the skipped rounds
were not all idle. The balancer's rules run on time too (a hold, a settling,
a credit window, a held baseline, a queue turn), so a loop that ran on every
tick cut and raised EVs that the shortcut never visited: 15 switches per EV
against 11, 2.6 points more energy, and commands 6 A above the fuse the
shortcut never saw. Now the balancer tells the loop when its answer may next
change by itself (Balancer.next_change_s), and the replay wakes then.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from custom_components.ev_load_balancer.balancer import Balancer, BalancerSettings
from evlb_sim.offline.inputs import build_inputs
from evlb_sim.offline.runner import StrategyRun, run_strategy
from evlb_sim.offline.scenario_loader import load_scenario

from ..balancer.one_ev import SITE, charging

CHARGERS = 16
# A tight fuse for 16 commuters: the queue, holds and settling all bind.
FUSE_A = 35.0


def _runs() -> tuple[StrategyRun, StrategyRun]:
    inputs = build_inputs(load_scenario("63A-workplace"), days=1.0)
    kept = {charger.charger_id for charger in inputs.chargers[:CHARGERS]}
    small = replace(
        inputs,
        site=replace(inputs.site, fuse_a=FUSE_A),
        chargers=tuple(c for c in inputs.chargers if c.charger_id in kept),
        sessions=tuple(s for s in inputs.sessions if s.charger_id in kept),
    )
    timing = small.scenario.timing
    runs = []
    for exact in (False, True):
        scenario = replace(small.scenario, timing=replace(timing, exact=exact))
        runs.append(run_strategy(replace(small, scenario=scenario), "ours"))
    return runs[0], runs[1]


def test_the_shortcut_gives_the_figures_of_every_tick() -> None:
    shortcut, every_tick = _runs()
    assert shortcut.rounds < every_tick.rounds / 4  # it still is a shortcut
    fast, exact = shortcut.metrics, every_tick.metrics
    assert fast.evs.switches_per_ev > 5  # the queue turns: a case that binds
    assert fast.evs.switches_per_ev == pytest.approx(
        exact.evs.switches_per_ev, rel=0.05
    )
    assert fast.evs.energy_delivered_kwh == pytest.approx(
        exact.evs.energy_delivered_kwh, rel=0.005
    )
    assert shortcut.commanded_excess_a is not None
    assert every_tick.commanded_excess_a is not None
    # The shortcut hid commands above the fuse (-2.8 A against +6 A). Equal is
    # not asked for: whether a building step falls in the seconds a 1-phase
    # EV's raise is unconfirmed (and hides under it, README's known
    # limitations) depends on the round a raise lands in.
    assert shortcut.commanded_excess_a >= every_tick.commanded_excess_a - 0.5
    assert fast.fuse is not None
    assert exact.fuse is not None
    assert fast.fuse.overload_s == pytest.approx(exact.fuse.overload_s, rel=0.15)


def test_the_balancer_names_the_end_of_its_settling_and_of_its_hold() -> None:
    settings = BalancerSettings()
    balancer = Balancer(settings)
    balancer.allocate(0.0, SITE, (40.0,) * 3, [charging(16.0, 0.0)])
    # The building rises by 26 A: the EV is cut to the 10 A left.
    cut = balancer.allocate(
        10.0, SITE, (66.0,) * 3, [charging(16.0, 9.0)], site_measured_at=10.0
    )
    assert cut.limits["cp"].current_a == 10.0
    # Nothing new is read: first the settling ends (increases may resume
    # elsewhere), then the EV's own hold.
    assert balancer.next_change_s(11.0) == pytest.approx(10.0 + settings.follow_s)
    assert balancer.next_change_s(10.0 + settings.follow_s) == pytest.approx(
        10.0 + settings.hold_s
    )
