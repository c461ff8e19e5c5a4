"""The hindsight minimum of the billed peak: a linear program solved by HiGHS.

Knowing every arrival, departure and the baseline ahead, on the tariff's
window grid: x[e,k], the mean current per phase of session e over window k.
Minimise the month's billed figure (the highest window, or the mean of the N
highest daily peaks: N t + sum u_d over N, u_d >= z_d - t, the convex sum of
the N largest) where z_d bounds every window average of day d, subject to

- energy: each session gets at least what fuse-only balancing delivered to it
  (so the comparison is at equal energy; a slack with a large penalty keeps
  the program solvable where slot means make it tighter);
- fuse: per phase and window, baseline mean + EVs <= fuse - margin;
- EV: 0 <= x <= fraction of the window present x min(EV max, charger max).

The 6 A minimum and the taper are relaxed and the baseline is a window
mean: the program is easier than reality, a floor no controller can beat.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy.optimize import linprog  # type: ignore[import-untyped]
from scipy.sparse import coo_matrix  # type: ignore[import-untyped]

from custom_components.ev_load_balancer.balancer import Site
from custom_components.ev_load_balancer.peak import Tariff
from custom_components.ev_load_balancer.sizing import (
    BaselineSeries,
    ChargerSpec,
    Session,
)
from custom_components.ev_load_balancer.sizing.tariff_metrics import month_of

from .optimum.windows import slot_cover

# kWh short of a session's energy costs this many kW of billed peak.
_SHORTFALL_PENALTY = 1000.0


@dataclass(frozen=True, slots=True)
class PeakOptimum:
    """The least billed figure, and the energy it delivers."""

    billed_kw: float
    delivered_kwh: float
    shortfall_kwh: float
    variables: int


def hindsight_peak_minimum(
    tariff: Tariff,
    site: Site,
    baseline: BaselineSeries,
    chargers: Sequence[ChargerSpec],
    sessions: Sequence[Session],
    *,
    required_kwh: Mapping[int, float],
) -> PeakOptimum:
    """The lowest billed figure of the period's first month.

    `required_kwh`: energy per session (keyed by its index in `sessions`).
    """
    slot_s = tariff.window_s
    start = baseline.start
    if start.minute * 60 % slot_s:
        raise ValueError("the period must start on a window boundary")
    by_id = {charger.charger_id: charger for charger in chargers}
    covers = [slot_cover(s, by_id[s.charger_id], slot_s) for s in sessions]
    slots = max((c.last_slot for c in covers), default=0) + 1
    month = month_of(tariff, baseline)
    wall0 = start.replace(tzinfo=tariff.zone).timestamp()
    volts = site.voltage_v
    base_a = [baseline.mean_a(k * slot_s, (k + 1) * slot_s) for k in range(slots)]
    cols: list[int] = []
    rows: list[int] = []
    vals: list[float] = []
    rhs: list[float] = []
    upper: list[float] = []
    # Per slot and phase: the columns (and weights) that load it; per slot the
    # kW per ampere of every column.
    on_phase: list[dict[int, list[tuple[int, float]]]] = [
        defaultdict(list) for _ in range(slots)
    ]
    power_cols: list[list[tuple[int, float]]] = [[] for _ in range(slots)]
    energy_rows: list[tuple[list[tuple[int, float]], float]] = []
    columns = 0
    for index, cover in enumerate(covers):
        kw_per_a = len(cover.phases) * volts / 1000.0
        entries: list[tuple[int, float]] = []
        for offset, fraction in enumerate(cover.fractions):
            slot = cover.first_slot + offset
            column = columns
            columns += 1
            upper.append(fraction * cover.max_a)
            entries.append((column, kw_per_a * slot_s / 3600.0))
            for phase in set(cover.phases):
                on_phase[slot][phase].append((column, float(cover.phases.count(phase))))
            power_cols[slot].append((column, kw_per_a))
        energy_rows.append((entries, required_kwh.get(index, 0.0)))
    shortfall_first = columns
    columns += len(covers)
    upper.extend(required_kwh.get(i, 0.0) for i in range(len(covers)))
    days: dict[date, int] = {}
    day_of_slot: list[int | None] = []
    for k in range(slots):
        wall = wall0 + k * slot_s
        if tariff.month(wall) != month:
            day_of_slot.append(None)
            continue
        day = tariff.day(wall)
        if day not in days:
            days[day] = len(days)
        day_of_slot.append(days[day])
    z_first = columns
    columns += len(days)
    t_column = columns
    columns += 1
    u_first = columns
    columns += len(days)
    big = site.phases * site.fuse_a * volts / 1000.0 * 10
    upper.extend([big] * (len(days) * 2 + 1))

    def row(entries: Sequence[tuple[int, float]], bound: float) -> None:
        number = len(rhs)
        for column, value in entries:
            rows.append(number)
            cols.append(column)
            vals.append(value)
        rhs.append(bound)

    # Energy: -(delivered + shortfall) <= -required; delivered <= wanted.
    for index, (entries, required) in enumerate(energy_rows):
        row(
            [(c, -v) for c, v in entries] + [(shortfall_first + index, -1.0)],
            -required,
        )
        row(entries, max(required, covers[index].session.energy_kwh))
    for k in range(slots):
        for phase, entries in on_phase[k].items():
            row(entries, max(0.0, site.usable_a - base_a[k][phase]))
        day_index = day_of_slot[k]
        if day_index is not None:
            # The window's billed average: its mean power times its hour's weight.
            weight = tariff.weight(wall0 + k * slot_s)
            base_kw = sum(base_a[k]) * volts / 1000.0
            row(
                [
                    *((c, v * weight) for c, v in power_cols[k]),
                    (z_first + day_index, -1.0),
                ],
                -base_kw * weight,
            )
    counted = min(tariff.peaks_counted, max(1, len(days)))
    for d in range(len(days)):
        row([(z_first + d, 1.0), (t_column, -1.0), (u_first + d, -1.0)], 0.0)
    objective = np.zeros(columns)
    objective[t_column] = 1.0
    objective[u_first : u_first + len(days)] = 1.0 / counted
    objective[shortfall_first : shortfall_first + len(covers)] = _SHORTFALL_PENALTY
    lower = np.zeros(columns)
    lower[t_column] = -big
    result = linprog(
        objective,
        A_ub=coo_matrix((vals, (rows, cols)), shape=(len(rhs), columns)),
        b_ub=np.asarray(rhs),
        bounds=np.column_stack((lower, np.asarray(upper))),
        method="highs",
    )
    if result.status != 0:
        raise RuntimeError(f"hindsight peak minimum: HiGHS failed ({result.message})")
    solution = result.x
    shortfall = float(solution[shortfall_first : shortfall_first + len(covers)].sum())
    delivered = sum(
        sum(solution[c] * v for c, v in entries) for entries, _ in energy_rows
    )
    z = solution[z_first : z_first + len(days)]
    top = sorted((float(v) for v in z), reverse=True)[:counted]
    return PeakOptimum(
        billed_kw=sum(top) / len(top) if top else 0.0,
        delivered_kwh=float(delivered),
        shortfall_kwh=shortfall,
        variables=columns,
    )
