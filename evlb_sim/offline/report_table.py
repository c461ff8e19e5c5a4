"""The terminal report: one row per strategy."""

from __future__ import annotations

from .runner import LABELS, ScenarioRun, StrategyRun

_COLUMNS = (
    ("strategy", 26),
    ("energy %", 9),
    ("of opt %", 9),
    ("EVs full %", 10),
    ("over fuse s", 11),
    ("worst +A", 8),
    ("peak/fuse", 9),
    ("fuse stress %", 13),
    ("peak kWh/h", 10),
    ("Jain", 6),
    ("switch/EV", 9),
)


def render_table(scenario_run: ScenarioRun) -> str:
    """The scenario's headline and a fixed-width table of every strategy."""
    inputs = scenario_run.inputs
    scenario = inputs.scenario
    site = inputs.site
    wanted = sum(session.energy_kwh for session in inputs.sessions)
    lines = [
        f"Scenario {scenario.name}: {site.fuse_a:g} A fuse, "
        f"{site.margin_a:g} A margin, "
        f"{len(inputs.chargers)} chargers, {len(inputs.sessions)} sessions, "
        f"{wanted:.0f} kWh wanted, {scenario.days:g} days from "
        f"{scenario.start:%Y-%m-%d %H:%M}",
    ]
    lines.extend(f"  note: {note}" for note in inputs.notes)
    lines.append("")
    lines.append(" ".join(title.rjust(width) for title, width in _COLUMNS))
    optimum = scenario_run.run("optimum")
    best = optimum.metrics.evs.energy_delivered_kwh if optimum else None
    for run in scenario_run.runs:
        lines.append(_row(run, best))
    lines.append("")
    for run in scenario_run.runs:
        extra = f", {run.detail}" if run.detail else ""
        rounds = f", {run.rounds} rounds" if run.rounds else ""
        lines.append(
            f"  {LABELS.get(run.name, run.name)}: {run.wall_s:.1f} s{rounds}{extra}"
        )
    for run in scenario_run.runs:
        lines.extend(
            f"  {LABELS.get(run.name, run.name)}, circuit {cid} "
            f"({stats.rating_a:g} A): {stats.overload_s:.0f} s over its fuse, "
            f"peak {stats.peak_a:.1f} A"
            for cid, stats in run.circuits.items()
        )
    if optimum:
        lines.append(
            "  optimum: slot means, 6 A minimum relaxed; its fuse figures are "
            "slot averages"
        )
    return "\n".join(lines)


def _row(run: StrategyRun, best_kwh: float | None) -> str:
    evs = run.metrics.evs
    fuse = run.metrics.fuse
    of_optimum = (
        f"{100.0 * evs.energy_delivered_kwh / best_kwh:.1f}" if best_kwh else "-"
    )
    cells = [
        LABELS.get(run.name, run.name),
        f"{evs.energy_delivered_pct:.2f}",
        of_optimum,
        f"{evs.evs_full_pct:.1f}",
        f"{fuse.overload_s:.0f}" if fuse else "-",
        f"{fuse.worst_excess_a:.1f}" if fuse else "-",
        f"{fuse.peak_ratio:.3f}" if fuse else "-",
        f"{fuse.fuse_stress_pct:.2f}" if fuse else "-",
        f"{fuse.peak_hourly_kw:.1f}" if fuse else "-",
        f"{evs.jain_index:.3f}",
        "-" if evs.switches_per_ev is None else f"{evs.switches_per_ev:.2f}",
    ]
    return " ".join(
        cell.rjust(width) for cell, (_, width) in zip(cells, _COLUMNS, strict=True)
    )
