"""A 35 A sub-board under a 63 A main fuse in the simulator, with a quiet meter."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from custom_components.ev_load_balancer.sizing import circuit_stats
from evlb_sim.offline.inputs import build_inputs
from evlb_sim.offline.runner import (
    ScenarioRun,
    make_controller,
    replay,
    run_scenario,
)
from evlb_sim.offline.scenario import ScenarioError
from evlb_sim.offline.scenario_loader import load_scenario, parse_scenario

NAME = "63A-35A-subboard"
# Monday and Tuesday of the second week: the sub-board's meter is out on
# Tuesday 18:00-20:00, which is hours 42-44 of this window.
WINDOW = datetime.fromisoformat("2020-01-13T00:00")
OUTAGE_S = (42 * 3600.0, 44 * 3600.0)


@pytest.fixture(scope="module")
def scenario_run() -> ScenarioRun:
    inputs = build_inputs(load_scenario(NAME), start=WINDOW, days=2.0)
    return run_scenario(inputs, ["no_control", "ours"])


def test_the_scenario_puts_ten_chargers_on_the_board() -> None:
    inputs = build_inputs(load_scenario(NAME), start=WINDOW, days=2.0)
    on_board = [c.charger_id for c in inputs.chargers if c.circuit_id == "board"]
    assert on_board == [f"cp{i:03}" for i in range(1, 11)]
    (board,) = inputs.circuits
    assert board.circuit.rating_a == 35.0
    assert board.meter_outages_s == (OUTAGE_S,)


def test_without_control_the_board_is_overloaded(scenario_run: ScenarioRun) -> None:
    run = scenario_run.run("no_control")
    assert run is not None
    assert run.circuits["board"].overload_s > 3600.0


def test_ours_keeps_the_board_within_its_fuse(scenario_run: ScenarioRun) -> None:
    run = scenario_run.run("ours")
    assert run is not None
    board = run.circuits["board"]
    # Only until the meter has seen, and the EVs followed, a jump of the
    # building's own load on the board (10 s meter, 5 s lag, EV delays).
    assert board.overload_s < 120.0
    assert board.peak_a < 35.0 * 1.05


def test_a_quiet_board_meter_keeps_the_board_safe_and_the_rest_charging() -> None:
    inputs = build_inputs(load_scenario(NAME), start=WINDOW, days=2.0)
    controller, _ = make_controller(inputs, "ours")
    result = replay(inputs, controller, inputs.scenario.timing)
    during = circuit_stats(
        inputs.circuits,
        phases=inputs.site.phases,
        baseline=inputs.baseline,
        traces=result.circuit_traces,
        start_s=OUTAGE_S[0],
        end_s=OUTAGE_S[1],
    )["board"]
    assert during.overload_s == 0.0
    # The chargers off the board kept charging on the main meter meanwhile.
    site_ev = _energy_ah(result.ev_trace, *OUTAGE_S)
    board_ev = _energy_ah(result.circuit_traces["board"], *OUTAGE_S)
    assert board_ev > 0.0, "nobody charged on the board: the window tests nothing"
    assert site_ev - board_ev > 0.0


def _energy_ah(trace, start_s: float, end_s: float) -> float:  # type: ignore[no-untyped-def]
    total = 0.0
    times = (*trace.times_s, trace.end_s)
    for index, current in enumerate(trace.currents_a):
        a, b = max(times[index], start_s), min(times[index + 1], end_s)
        if b > a:
            total += sum(current) * (b - a) / 3600.0
    return total


def test_a_circuit_needs_a_known_parent(tmp_path: Path) -> None:
    data = {
        "name": "x",
        "period": {"start": "2020-01-06T00:00", "days": 1},
        "site": {"fuse_a": 63},
        "circuits": [{"id": "row", "parent": "board", "rating_a": 16}],
        "chargers": {"count": 2},
        "sessions": {"source": "synthetic"},
        "baseline": {"source": "constant", "amps": [1, 1, 1]},
    }
    with pytest.raises(ScenarioError, match="parent"):
        parse_scenario(data, source="x.yaml", base_dir=tmp_path)
