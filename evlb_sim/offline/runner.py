"""Run every strategy of a scenario on the same inputs, side by side."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
import time

from custom_components.ev_load_balancer.balancer import Strategy
from custom_components.ev_load_balancer.sizing import (
    BalancerController,
    BaselineSeries,
    CircuitStats,
    Controller,
    ControlTiming,
    Metrics,
    PhaseTrace,
    SimulationResult,
    circuit_stats,
    evaluate,
    session_stats,
    simulate,
    site_stats,
)

from .inputs import ScenarioInputs
from .optimum import hindsight_optimum
from .strategies import FirstComeFirstServed, NoControl, StaticShares, static_plan

LABELS = {
    "no_control": "no control",
    "static": "static shares",
    "fcfs": "first come first served",
    "ours": "ours (balancer)",
    "departure": "ours, departures known",
    "ours_fixed_phases": "ours, fixed phases",
    "optimum": "hindsight optimum",
}


@dataclass(frozen=True, slots=True)
class StrategyRun:
    """One strategy's figures, and its EV current for the report's plot."""

    name: str
    metrics: Metrics
    ev_trace: PhaseTrace
    # The baseline the strategy faced (slot means for the optimum).
    baseline: BaselineSeries
    wall_s: float
    rounds: int
    # Worst (baseline + commanded limits - fuse), A; None for the optimum.
    commanded_excess_a: float | None
    detail: str = ""
    # Commands the loop sent to chargers (0 for the optimum).
    commands: int = 0
    # 1p/3p switches the chargers carried out.
    phase_switches: int = 0
    # Each circuit's fuse figures, by circuit id (none for the optimum).
    circuits: Mapping[str, CircuitStats] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ScenarioRun:
    """A scenario's inputs and every strategy's run."""

    inputs: ScenarioInputs
    runs: tuple[StrategyRun, ...]

    def run(self, name: str) -> StrategyRun | None:
        """The run of one strategy, if it was run."""
        return next((run for run in self.runs if run.name == name), None)


def run_scenario(
    inputs: ScenarioInputs,
    strategies: Sequence[str] | None = None,
    *,
    progress: Callable[[StrategyRun], None] | None = None,
) -> ScenarioRun:
    """Every strategy on the same site, baseline and sessions."""
    runs: list[StrategyRun] = []
    for name in strategies or inputs.scenario.strategies:
        run = run_strategy(inputs, name)
        if progress is not None:
            progress(run)
        runs.append(run)
    return ScenarioRun(inputs, tuple(runs))


def run_strategy(inputs: ScenarioInputs, name: str) -> StrategyRun:
    """One strategy on the scenario's inputs."""
    if name == "optimum":
        return _run_optimum(inputs)
    controller, detail = make_controller(inputs, name)
    scenario = inputs.scenario
    timing = scenario.timing
    if name == "departure":
        timing = replace(timing, departure_known=True)
    started = time.perf_counter()
    result = replay(inputs, controller, timing)
    metrics = evaluate(result)
    return StrategyRun(
        name=name,
        metrics=metrics,
        ev_trace=result.ev_trace,
        baseline=inputs.baseline,
        wall_s=time.perf_counter() - started,
        rounds=result.rounds,
        commanded_excess_a=result.commanded_excess_a,
        detail=_with_switches(detail, result.phase_switches),
        commands=result.commands,
        phase_switches=result.phase_switches,
        circuits=circuit_stats(
            inputs.circuits,
            phases=inputs.site.phases,
            baseline=inputs.baseline,
            traces=result.circuit_traces,
            start_s=result.start_s,
            end_s=result.end_s,
        ),
    )


def replay(
    inputs: ScenarioInputs,
    controller: BalancerController | Controller,
    timing: ControlTiming,
) -> SimulationResult:
    """The scenario's sessions on its site through the loop, with `controller`."""
    return simulate(
        inputs.site,
        inputs.baseline,
        inputs.chargers,
        inputs.sessions,
        controller=controller,
        ev_model=inputs.scenario.ev_model,
        timing=timing,
        circuits=inputs.circuits,
    )


def make_controller(
    inputs: ScenarioInputs, name: str
) -> tuple[BalancerController | Controller, str]:
    """The controller for a strategy name, and a note on how it was set up."""
    if name == "ours":
        return BalancerController(inputs.scenario.balancer), ""
    if name == "departure":
        settings = replace(inputs.scenario.balancer, strategy=Strategy.DEPARTURE)
        return BalancerController(settings), "departures and energy told"
    if name == "ours_fixed_phases":
        controller = BalancerController(
            inputs.scenario.balancer, switches_phases=False, name=name
        )
        return controller, "no 1p/3p switching"
    if name == "fcfs":
        return FirstComeFirstServed(), ""
    if name == "no_control":
        return NoControl(), ""
    if name == "static":
        budget = inputs.scenario.static_budget_a or tuple(
            inputs.site.usable_a - peak for peak in inputs.baseline.peak_a()
        )
        plan = static_plan(inputs.chargers, budget)
        return StaticShares(plan), plan.note
    raise ValueError(f"unknown strategy {name!r}")


def _with_switches(detail: str, switches: int) -> str:
    if not switches:
        return detail
    note = f"{switches} phase switch{'es' if switches != 1 else ''}"
    return f"{detail}, {note}" if detail else note


def _run_optimum(inputs: ScenarioInputs) -> StrategyRun:
    scenario = inputs.scenario
    started = time.perf_counter()
    optimum = hindsight_optimum(
        inputs.site,
        inputs.baseline,
        inputs.chargers,
        inputs.sessions,
        ev_model=scenario.ev_model,
        slot_s=scenario.slot_minutes * 60.0,
    )
    metrics = Metrics(
        strategy="optimum",
        evs=session_stats(optimum.outcomes, count_switches=False),
        fuse=site_stats(
            inputs.site,
            optimum.slot_baseline,
            optimum.ev_trace,
            optimum.start_s,
            optimum.end_s,
        ),
    )
    return StrategyRun(
        name="optimum",
        metrics=metrics,
        ev_trace=optimum.ev_trace,
        baseline=optimum.slot_baseline,
        wall_s=time.perf_counter() - started,
        rounds=0,
        commanded_excess_a=None,
        detail=f"{optimum.windows} window(s), {optimum.variables} variables",
    )
