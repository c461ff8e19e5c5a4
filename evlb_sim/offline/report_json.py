"""The machine-readable report (`--json`)."""

from __future__ import annotations

from dataclasses import asdict
import json
from typing import Any

from .runner import ScenarioRun


def report_dict(scenario_run: ScenarioRun) -> dict[str, Any]:
    """Scenario summary and every strategy's metrics, as plain data."""
    inputs = scenario_run.inputs
    scenario = inputs.scenario
    site = inputs.site
    return {
        "scenario": {
            "name": scenario.name,
            "start": scenario.start.isoformat(),
            "days": scenario.days,
            "fuse_a": site.fuse_a,
            "margin_a": site.margin_a,
            "voltage_v": site.voltage_v,
            "phases": site.phases,
            "chargers": len(inputs.chargers),
            "sessions": len(inputs.sessions),
            "energy_wanted_kwh": round(sum(s.energy_kwh for s in inputs.sessions), 3),
            "notes": list(inputs.notes),
        },
        "strategies": {
            run.name: {
                "evs": asdict(run.metrics.evs),
                "fuse": None if run.metrics.fuse is None else asdict(run.metrics.fuse),
                "commanded_excess_a": run.commanded_excess_a,
                "rounds": run.rounds,
                "wall_s": round(run.wall_s, 3),
                "detail": run.detail,
                "phase_switches": run.phase_switches,
            }
            for run in scenario_run.runs
        },
    }


def render_json(scenario_run: ScenarioRun) -> str:
    """The report as indented JSON."""
    return json.dumps(report_dict(scenario_run), indent=2, sort_keys=False)
