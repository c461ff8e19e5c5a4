"""Command line: `python -m evlb_sim simulate SCENARIO`, `audit`, `wiring`, `list`."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import datetime
import math
from pathlib import Path
import sys

from custom_components.ev_load_balancer.sizing import (
    AuditPoint,
    ChargerSize,
    audit_capacity,
)

from .offline.inputs import build_inputs
from .offline.report_json import render_json
from .offline.report_png import write_png
from .offline.report_table import render_table
from .offline.runner import LABELS, StrategyRun, run_scenario
from .offline.scenario import STRATEGIES, ScenarioError
from .offline.scenario_loader import SCENARIO_DIR, load_scenario
from .offline.wiring_run import render_totals, render_wiring, reseeded, run_wiring


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "simulate":
            return _simulate(args)
        if args.command == "audit":
            return _audit(args)
        if args.command == "wiring":
            return _wiring(args)
        return _list()
    except ScenarioError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m evlb_sim",
        description="Capacity audit and evening simulator for ev_load_balancer.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    simulate = commands.add_parser(
        "simulate", help="replay a scenario through every strategy"
    )
    _scenario_arguments(simulate)
    simulate.add_argument("--json", action="store_true", help="print JSON, not a table")
    simulate.add_argument("--report", type=Path, help="write a PNG report here")
    simulate.add_argument(
        "--strategies",
        help=f"comma-separated subset of {','.join(STRATEGIES)}",
    )
    audit = commands.add_parser(
        "audit", help="how many chargers fit on the scenario's site and baseline"
    )
    _scenario_arguments(audit)
    audit.add_argument("--charger-a", type=float, default=16.0, help="A per phase")
    audit.add_argument("--charger-phases", type=int, choices=(1, 3), default=3)
    audit.add_argument("--target", type=float, default=1.0, help="unmet energy %%")
    audit.add_argument("--max-chargers", type=int, default=150)
    audit.add_argument(
        "--per-day", type=float, default=0.6, help="sessions/charger/day"
    )
    wiring = commands.add_parser(
        "wiring", help="run the wiring detector on a scenario's chargers"
    )
    _scenario_arguments(wiring)
    wiring.add_argument(
        "--seeds", type=int, default=1, help="runs with other miswiring and sessions"
    )
    commands.add_parser("list", help="list the shipped scenarios")
    return parser


def _scenario_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="a scenario file, or a shipped name")
    parser.add_argument("--start", type=datetime.fromisoformat, help="narrow: start")
    parser.add_argument("--days", type=float, help="narrow: number of days")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def _simulate(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    strategies = scenario.strategies
    if args.strategies:
        strategies = tuple(name.strip() for name in args.strategies.split(","))
        unknown = [name for name in strategies if name not in STRATEGIES]
        if unknown:
            raise ScenarioError(f"unknown strategy {unknown[0]!r}")
    inputs = build_inputs(scenario, start=args.start, days=args.days)

    def progress(run: StrategyRun) -> None:
        if not args.quiet:
            label = LABELS.get(run.name, run.name)
            print(f"  {label}: done in {run.wall_s:.1f} s", file=sys.stderr)

    scenario_run = run_scenario(inputs, strategies, progress=progress)
    print(render_json(scenario_run) if args.json else render_table(scenario_run))
    if args.report:
        evening = write_png(scenario_run, args.report)
        if not args.quiet:
            print(
                f"  report: {args.report} (evening of {evening:%Y-%m-%d})",
                file=sys.stderr,
            )
    return 0


def _wiring(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    runs = []
    for offset in range(max(1, args.seeds)):
        inputs = build_inputs(
            reseeded(scenario, offset), start=args.start, days=args.days
        )
        runs.append(run_wiring(inputs))
        print(render_wiring(runs[-1]), end="\n\n", flush=True)
    print(render_totals(runs))
    return 0


def _audit(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    inputs = build_inputs(scenario, start=args.start, days=args.days or 7.0)
    size = ChargerSize(max_a=args.charger_a, phases=args.charger_phases)

    def progress(point: AuditPoint) -> None:
        if not args.quiet:
            print(
                f"  {point.chargers:4d} chargers: {point.unmet_energy_pct:6.2f} % "
                f"unmet, {point.evs_full_pct:5.1f} % EVs full",
                file=sys.stderr,
            )

    result = audit_capacity(
        inputs.site,
        inputs.baseline,
        size,
        target_unmet_pct=args.target,
        max_chargers=args.max_chargers,
        sessions_per_day=args.per_day,
        settings=scenario.balancer,
        ev_model=scenario.ev_model,
        timing=scenario.timing,
        progress=progress,
    )
    budget = min(inputs.site.usable_a - peak for peak in inputs.baseline.peak_a())
    per_phase = 1 if args.charger_phases == 3 else inputs.site.phases
    static_fit = max(0, math.floor(budget / size.min_a)) * per_phase
    more = "+" if result.reached_max else ""
    print(
        f"{scenario.name}: {result.chargers_that_fit}{more} chargers of "
        f"{size.phases} x {size.max_a:g} A fit with {result.unmet_energy_pct:.2f} % "
        f"unmet energy (target < {result.target_unmet_pct:g} %, "
        f"{result.period_days:.1f} days of baseline); static shares of at least "
        f"{size.min_a:g} A fit {static_fit}"
    )
    return 0


def _list() -> int:
    for path in sorted(SCENARIO_DIR.glob("*.yaml")):
        try:
            scenario = load_scenario(path)
        except ScenarioError as err:
            print(f"{path.stem}: broken ({err})")
            continue
        summary = scenario.description.splitlines()[0] if scenario.description else ""
        print(f"{path.stem:28s} {summary}")
    return 0
