"""The PNG report: per-phase current against the fuse over one evening, and the
energy every strategy delivered."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: files only

from matplotlib.axes import Axes
import matplotlib.dates as mdates
import matplotlib.pyplot as plt

from custom_components.ev_load_balancer.sizing.trace import site_pieces

from .runner import LABELS, ScenarioRun, StrategyRun

EVENING_FROM_H = 14
EVENING_HOURS = 20
_PHASE_COLOURS = ("#8c564b", "#1f77b4", "#7f7f7f")
_STRATEGY_COLOURS = {
    "no_control": "#d62728",
    "static": "#9467bd",
    "fcfs": "#ff7f0e",
    "ours": "#2ca02c",
    "departure": "#bcbd22",
    "optimum": "#17becf",
}


def busiest_evening(scenario_run: ScenarioRun) -> datetime:
    """The afternoon (14:00) of the day when most EVs plugged in after 14:00."""
    inputs = scenario_run.inputs
    start = inputs.scenario.start
    days: Counter[datetime] = Counter()
    for session in inputs.sessions:
        arrival = start + timedelta(seconds=session.arrival_s)
        if arrival.hour >= EVENING_FROM_H:
            days[arrival.replace(hour=0, minute=0, second=0, microsecond=0)] += 1
    if not days:
        return start.replace(hour=EVENING_FROM_H, minute=0, second=0, microsecond=0)
    day = max(sorted(days), key=lambda d: days[d])
    return day.replace(hour=EVENING_FROM_H)


def write_png(scenario_run: ScenarioRun, path: Path) -> datetime:
    """Draw the report into `path`; returns the evening shown."""
    inputs = scenario_run.inputs
    scenario = inputs.scenario
    evening = scenario.evening or busiest_evening(scenario_run)
    evening = evening.replace(hour=EVENING_FROM_H, minute=0, second=0, microsecond=0)
    figure, (top, middle, bottom) = plt.subplots(
        3, 1, figsize=(12, 13), gridspec_kw={"height_ratios": [3, 3, 2]}
    )
    fuse = inputs.site.fuse_a
    featured = scenario_run.run("ours") or scenario_run.runs[0]
    for phase in range(inputs.site.phases):
        times, currents = _phase_series(scenario_run, featured, evening, phase)
        top.step(
            times, currents, where="post", color=_PHASE_COLOURS[phase],
            label=f"L{phase + 1}", linewidth=1.0,
        )  # fmt: skip
    _fuse_lines(top, fuse, inputs.site.usable_a)
    top.set_title(
        f"{scenario.name}: {LABELS.get(featured.name, featured.name)}, site current "
        f"per phase, evening of {evening:%a %d %b %Y}"
    )
    for run in scenario_run.runs:
        times, currents = _phase_series(scenario_run, run, evening, None)
        middle.step(
            times, currents, where="post", label=LABELS.get(run.name, run.name),
            color=_STRATEGY_COLOURS.get(run.name), linewidth=1.0,
        )  # fmt: skip
    _fuse_lines(middle, fuse, inputs.site.usable_a)
    middle.set_title("Busiest phase, every strategy (optimum: 15-minute means)")
    for axis in (top, middle):
        axis.set_ylabel("A")
        axis.xaxis.set_major_formatter(
            mdates.DateFormatter("%H:%M")  # type: ignore[no-untyped-call]
        )
        axis.grid(alpha=0.3)
        axis.legend(loc="upper right", fontsize=8)
    _energy_bars(bottom, scenario_run)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return evening


def _phase_series(
    scenario_run: ScenarioRun, run: StrategyRun, evening: datetime, phase: int | None
) -> tuple[list[datetime], list[float]]:
    """Site current (baseline + EVs) on one phase, or the busiest, over the evening."""
    start = scenario_run.inputs.scenario.start
    begin_s = (evening - start).total_seconds()
    end_s = begin_s + EVENING_HOURS * 3600.0
    times: list[datetime] = []
    currents: list[float] = []
    for piece in site_pieces(run.baseline, run.ev_trace, begin_s, end_s):
        totals = [b + e for b, e in zip(piece.baseline_a, piece.ev_a, strict=True)]
        times.append(start + timedelta(seconds=piece.start_s))
        currents.append(max(totals) if phase is None else totals[phase])
    if times:
        times.append(start + timedelta(seconds=end_s))
        currents.append(currents[-1])
    return times, currents


def _fuse_lines(axis: Axes, fuse_a: float, usable_a: float) -> None:
    axis.axhline(fuse_a, color="red", linewidth=1.5, label=f"fuse {fuse_a:g} A")
    if usable_a < fuse_a:
        axis.axhline(
            usable_a, color="red", linewidth=0.8, linestyle="--",
            label=f"fuse - margin {usable_a:g} A",
        )  # fmt: skip


def _energy_bars(axis: Axes, scenario_run: ScenarioRun) -> None:
    wanted = sum(s.energy_kwh for s in scenario_run.inputs.sessions)
    names = [LABELS.get(run.name, run.name) for run in scenario_run.runs]
    delivered = [run.metrics.evs.energy_delivered_kwh for run in scenario_run.runs]
    colours = [_STRATEGY_COLOURS.get(run.name, "grey") for run in scenario_run.runs]
    bars = axis.bar(names, delivered, color=colours)
    axis.axhline(wanted, color="black", linewidth=1.0, linestyle=":", label="wanted")
    for bar, value in zip(bars, delivered, strict=True):
        axis.annotate(
            f"{value:.0f} kWh\n{100 * value / wanted:.1f} %" if wanted else "",
            (bar.get_x() + bar.get_width() / 2, value),
            ha="center", va="bottom", fontsize=8,
        )  # fmt: skip
    axis.set_ylabel("kWh")
    axis.set_ylim(0, max([wanted, *delivered]) * 1.25 or 1.0)
    axis.set_title("Energy delivered per strategy (dotted: wanted)")
    axis.legend(loc="upper right", fontsize=8)
