"""A run's capacity-tariff figures: the billed power of each month.

The site's power (baseline plus what the EVs really drew, all phases) is
averaged over the tariff's clock windows; each month's billed figure comes
from its days' highest windows, as the tariff makes it (peak/tariff.py).
Simulation time 0 is the baseline's start, read as the tariff's local time.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date

from ..peak import Tariff
from .baseline_series import BaselineSeries
from .replay_result import SimulationResult
from .trace import PhaseTrace, site_pieces


def window_averages_kw(
    tariff: Tariff,
    baseline: BaselineSeries,
    trace: PhaseTrace,
    *,
    start_s: float,
    end_s: float,
    volts: float,
) -> dict[float, float]:
    """Billed mean site power per window, keyed by its start (wall clock)."""
    offset = _wall_offset(baseline, tariff)
    window = tariff.window_s
    energy: dict[float, float] = defaultdict(float)
    for piece in site_pieces(baseline, trace, start_s, end_s):
        power_kw = (sum(piece.baseline_a) + sum(piece.ev_a)) * volts / 1000.0
        time_s = piece.start_s + offset
        until_s = piece.end_s + offset
        while time_s < until_s:
            begin = tariff.window_start(time_s)
            stop = min(until_s, begin + window)
            energy[begin] += power_kw * (stop - time_s)
            time_s = stop
    # Billed averages: each window's mean power weighted by its hour.
    return {
        begin: joules / window * tariff.weight(begin)
        for begin, joules in energy.items()
    }


def billed_by_month_kw(
    tariff: Tariff, averages_kw: dict[float, float]
) -> dict[tuple[int, int], float]:
    """Each month's billed figure from its window averages."""
    daily: dict[tuple[int, int], dict[date, float]] = defaultdict(dict)
    for begin, average in averages_kw.items():
        peaks = daily[tariff.month(begin)]
        day = tariff.day(begin)
        peaks[day] = max(peaks.get(day, 0.0), average)
    return {month: tariff.billed_kw(peaks) for month, peaks in sorted(daily.items())}


def highest_billed_kw(tariff: Tariff, result: SimulationResult) -> float:
    """The highest month's billed figure of a replay (baseline plus EVs)."""
    averages = window_averages_kw(
        tariff,
        result.baseline,
        result.ev_trace,
        start_s=result.start_s,
        end_s=result.end_s,
        volts=result.site.voltage_v,
    )
    return max(billed_by_month_kw(tariff, averages).values(), default=0.0)


def month_of(tariff: Tariff, baseline: BaselineSeries) -> tuple[int, int]:
    """The month the baseline (the period) starts in."""
    return tariff.month(_wall_offset(baseline, tariff))


def _wall_offset(baseline: BaselineSeries, tariff: Tariff) -> float:
    """Wall clock of simulation time 0: the start as local time of the tariff."""
    start = baseline.start
    if start.tzinfo is None:
        start = start.replace(tzinfo=tariff.zone)
    return start.astimezone(UTC).timestamp()
