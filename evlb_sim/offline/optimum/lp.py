"""The hindsight optimum of one window: a linear program solved by HiGHS.

Variables, per session e and slot k it is present in: x[e,k], its mean current
per phase over the slot (A); with a taper, also y[e,k], the energy it got
before slot k (kWh). Maximise the energy delivered, subject to, for the same
site and EVs the strategies see:

- fuse: on every phase p and slot k, the sum of x over the EVs that load p is
  at most fuse - margin - (mean baseline of p over k);
- EV: 0 <= x[e,k] <= fraction of k present x min(EV max, charger max);
- energy: the energy over the stay is at most what the EV wants;
- taper: x[e,k] <= fraction x EV max x (taper_floor + (wanted - y[e,k]) /
  taper_kwh), the EV model's taper bounded from above by a straight line.

The 6 A minimum is relaxed: a mean current below 6 A over a slot is what an EV
gets by charging at 6 A or more for part of it (the queue's turns), so the
relaxation only drops the cost of switching. Every relaxation and slot mean
makes the program easier than reality: it is a ceiling no strategy can beat
(up to what EVs draw above their limits while they follow a cut).
A tiny reward for early energy picks, among equal optima, the one that charges
as soon as it can.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog  # type: ignore[import-untyped]
from scipy.sparse import coo_matrix  # type: ignore[import-untyped]

from custom_components.ev_load_balancer.sizing import EvModel

from .windows import SlotCover

# Relative reward for delivering a slot earlier (breaks ties only).
_EARLY_BONUS = 1e-4


@dataclass(frozen=True, slots=True)
class WindowSolution:
    """Mean current per session and slot, as solved."""

    currents_a: tuple[tuple[float, ...], ...]  # aligned with the covers' slots
    delivered_kwh: tuple[float, ...]
    variables: int


@dataclass(frozen=True, slots=True)
class SlotProblem:
    """What one window's program needs to know about the site."""

    slot_s: float
    voltage_v: float
    # Capacity for EVs per phase for slots first_slot.., A (not negative).
    first_slot: int
    capacity_a: tuple[tuple[float, ...], ...]
    ev_model: EvModel


class _Builder:
    """Sparse rows of the program, in coordinate form."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.rhs: list[float] = []

    def row(self, entries: Sequence[tuple[int, float]], rhs: float) -> None:
        index = len(self.rhs)
        for column, value in entries:
            self.rows.append(index)
            self.cols.append(column)
            self.vals.append(value)
        self.rhs.append(rhs)

    def matrix(self, columns: int) -> coo_matrix:
        return coo_matrix(
            (self.vals, (self.rows, self.cols)), shape=(len(self.rhs), columns)
        )


def solve_window(covers: Sequence[SlotCover], problem: SlotProblem) -> WindowSolution:
    """Maximise the energy of one window's sessions."""
    model = problem.ev_model
    taper = model.taper_kwh > 0
    x_index: list[list[int]] = []
    y_index: list[list[int]] = []
    upper: list[float] = []
    columns = 0
    for cover in covers:
        x_index.append(list(range(columns, columns + len(cover.fractions))))
        columns += len(cover.fractions)
        upper.extend(fraction * cover.max_a for fraction in cover.fractions)
    if taper:
        for cover in covers:
            # y for every slot but the first (nothing delivered before it).
            count = len(cover.fractions) - 1
            y_index.append(list(range(columns, columns + count)))
            columns += count
            upper.extend([cover.session.energy_kwh] * count)
    objective = np.zeros(columns)
    inequalities, equalities = _Builder(), _Builder()
    slots = len(problem.capacity_a)
    on_phase: list[list[list[tuple[int, float]]]] = [
        [[] for _ in range(slots)] for _ in range(len(problem.capacity_a[0]))
    ]
    span = max(1, slots)
    for e, cover in enumerate(covers):
        session = cover.session
        phases = cover.phases
        kwh_per_a = len(phases) * problem.voltage_v * problem.slot_s / 3.6e6
        energy_row: list[tuple[int, float]] = []
        for offset, column in enumerate(x_index[e]):
            slot = cover.first_slot + offset - problem.first_slot
            objective[column] = -kwh_per_a * (1 + _EARLY_BONUS * (span - slot) / span)
            energy_row.append((column, kwh_per_a))
            for phase in set(phases):
                on_phase[phase][slot].append((column, float(phases.count(phase))))
        inequalities.row(energy_row, session.energy_kwh)
        if not taper:
            continue
        ceiling = session.ev_max_a * (
            model.taper_floor + session.energy_kwh / model.taper_kwh
        )
        upper[x_index[e][0]] = min(upper[x_index[e][0]], cover.fractions[0] * ceiling)
        for offset in range(1, len(cover.fractions)):
            x_now, y_now = x_index[e][offset], y_index[e][offset - 1]
            x_before = x_index[e][offset - 1]
            before = [(y_index[e][offset - 2], -1.0)] if offset >= 2 else []
            equalities.row([(y_now, 1.0), (x_before, -kwh_per_a), *before], 0.0)
            fraction = cover.fractions[offset]
            slope = fraction * session.ev_max_a / model.taper_kwh
            inequalities.row([(x_now, 1.0), (y_now, slope)], fraction * ceiling)
    for phase, per_slot in enumerate(on_phase):
        for slot, entries in enumerate(per_slot):
            if entries:
                inequalities.row(entries, problem.capacity_a[slot][phase])
    bounds = np.column_stack((np.zeros(columns), np.asarray(upper)))
    result = linprog(
        objective,
        A_ub=inequalities.matrix(columns),
        b_ub=np.asarray(inequalities.rhs),
        A_eq=equalities.matrix(columns) if equalities.rhs else None,
        b_eq=np.asarray(equalities.rhs) if equalities.rhs else None,
        bounds=bounds,
        method="highs",
    )
    if result.status != 0:
        raise RuntimeError(f"hindsight optimum: HiGHS failed ({result.message})")
    solution = np.clip(result.x, 0.0, None)
    currents = tuple(
        tuple(float(solution[column]) for column in columns_of)
        for columns_of in x_index
    )
    delivered = tuple(
        sum(currents[e])
        * len(cover.phases)
        * problem.voltage_v
        * problem.slot_s
        / 3.6e6
        for e, cover in enumerate(covers)
    )
    return WindowSolution(currents, delivered, columns)
