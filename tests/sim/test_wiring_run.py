"""Miswired chargers in the simulator, and the wiring detector run inside it."""

from __future__ import annotations

import pytest

from custom_components.ev_load_balancer.balancer import Site
from custom_components.ev_load_balancer.sizing import (
    ChargerSpec,
    Session,
    simulate,
)
from evlb_sim.offline.inputs import build_inputs
from evlb_sim.offline.miswiring import miswire
from evlb_sim.offline.scenario import GarageSpec, ScenarioError
from evlb_sim.offline.scenario_loader import load_scenario
from evlb_sim.offline.wiring_run import render_wiring, run_wiring

from ..sizing.helpers import flat_baseline
from .test_scenario_loading import parse, with_change


def _garage(count: int) -> list[ChargerSpec]:
    rotations = ((0, 1, 2), (1, 2, 0), (2, 0, 1))
    return [
        ChargerSpec(charger_id=f"cp{i}", wiring=rotations[i % 3]) for i in range(count)
    ]


def test_miswire_changes_exactly_the_picked_chargers() -> None:
    chargers = [*_garage(12), ChargerSpec(charger_id="one", wiring=(1,))]
    wired = miswire(chargers, 13, seed=4)
    assert all(c.installed_wiring != c.wiring for c in wired)
    assert next(c for c in wired if c.charger_id == "one").installed in ((0,), (2,))
    some = miswire(chargers, 5, seed=4)
    assert sum(c.installed is not None for c in some) == 5
    assert some == miswire(chargers, 5, seed=4)
    assert miswire(chargers, 0, seed=4) == tuple(chargers)


def test_a_garage_with_miswired_chargers_loads() -> None:
    scenario = parse(with_change("chargers.miswired", {"count": 1, "seed": 3}))
    assert isinstance(scenario.chargers, GarageSpec)  # type: ignore[attr-defined]
    assert scenario.chargers.miswired == 1  # type: ignore[attr-defined]
    with pytest.raises(ScenarioError, match="more miswired chargers"):
        parse(with_change("chargers.miswired", {"count": 3}))
    with pytest.raises(ScenarioError, match="seeds"):
        parse(with_change("chargers.miswired", {"count": 1, "seeds": 3}))


def test_a_listed_charger_can_be_installed_otherwise() -> None:
    scenario = parse(
        with_change(
            "chargers",
            {"list": [{"id": "a", "wiring": "L1L2L3", "installed": "L3L1L2"}]},
        )
    )
    (charger,) = scenario.chargers  # type: ignore[attr-defined]
    assert charger.wiring == (0, 1, 2)
    assert charger.installed_wiring == (2, 0, 1)
    with pytest.raises(ScenarioError, match="installed"):
        parse(
            with_change(
                "chargers",
                {"list": [{"id": "a", "wiring": "L1L2L3", "installed": [2]}]},
            )
        )


def test_the_ev_loads_the_installed_phase_not_the_configured_one() -> None:
    site = Site(phases=3, fuse_a=63.0)
    baseline = flat_baseline(10.0, hours=5.0)
    charger = ChargerSpec(charger_id="a", wiring=(0, 1, 2), installed=(2, 0, 1))
    session = Session(
        charger_id="a",
        arrival_s=60.0,
        departure_s=7200.0,
        energy_kwh=5.0,
        ev_phases=1,
        ev_max_a=16.0,
    )
    result = simulate(site, baseline, [charger], [session])
    trace = result.ev_trace
    peaks = [max(values[p] for values in trace.currents_a) for p in range(3)]
    assert peaks[2] >= 6.0
    assert peaks[0] == 0.0
    assert peaks[1] == 0.0


def test_the_detector_in_the_simulation_finds_miswired_chargers_only() -> None:
    inputs = build_inputs(load_scenario("miswired-20ch"), days=4.0)
    run = run_wiring(inputs)
    assert len(run.miswired()) == 10
    assert run.false_alarms() == 0
    flagged = [v for v in run.verdicts if v.flagged_at_s is not None]
    assert len(flagged) >= 3
    assert all(v.correct for v in flagged)
    assert run.correct_within(3) == len(flagged)
    table = render_wiring(run)
    assert "false alarms on 10 correctly wired chargers: 0" in table
