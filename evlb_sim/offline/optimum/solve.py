"""Solve the hindsight optimum window by window and present it like a replay."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from custom_components.ev_load_balancer.balancer import Site
from custom_components.ev_load_balancer.sizing import (
    BaselineSeries,
    ChargerSpec,
    EvModel,
    PhaseTrace,
    Session,
    SessionOutcome,
)

from .lp import SlotProblem, solve_window
from .windows import SlotCover, independent_windows, slot_cover


@dataclass(frozen=True, slots=True)
class OptimumResult:
    """The optimum's sessions and EV current, on the slot grid."""

    outcomes: tuple[SessionOutcome, ...]
    ev_trace: PhaseTrace
    # The baseline the program saw: its mean over each slot.
    slot_baseline: BaselineSeries
    start_s: float
    end_s: float
    windows: int
    variables: int


def hindsight_optimum(
    site: Site,
    baseline: BaselineSeries,
    chargers: Sequence[ChargerSpec],
    sessions: Sequence[Session],
    *,
    ev_model: EvModel,
    slot_s: float = 900.0,
) -> OptimumResult:
    """The most energy any controller could deliver, knowing everything ahead."""
    if slot_s <= 0:
        raise ValueError("slot length must be positive")
    by_id = {charger.charger_id: charger for charger in chargers}
    covers = [slot_cover(s, by_id[s.charger_id], slot_s) for s in sessions]
    slots = max((c.last_slot for c in covers), default=0) + 1
    end_s = slots * slot_s
    slot_means = tuple(
        baseline.mean_a(k * slot_s, (k + 1) * slot_s) for k in range(slots)
    )
    capacity = tuple(
        tuple(max(0.0, site.usable_a - value) for value in means)
        for means in slot_means
    )
    delivered: dict[int, float] = {}
    totals = [[0.0] * site.phases for _ in range(slots)]
    windows = independent_windows(covers)
    variables = 0
    for window in windows:
        first = min(cover.first_slot for cover in window)
        last = max(cover.last_slot for cover in window)
        problem = SlotProblem(
            slot_s=slot_s,
            voltage_v=site.voltage_v,
            first_slot=first,
            capacity_a=capacity[first : last + 1],
            ev_model=ev_model,
        )
        solution = solve_window(window, problem)
        variables += solution.variables
        for cover, currents, energy in zip(
            window, solution.currents_a, solution.delivered_kwh, strict=True
        ):
            delivered[id(cover.session)] = energy
            _add_currents(totals, cover, currents)
    outcomes = tuple(
        SessionOutcome(
            session,
            min(session.energy_kwh, delivered.get(id(session), 0.0)),
            None,
            0,
        )
        for session in sorted(sessions, key=lambda s: (s.arrival_s, s.charger_id))
    )
    # From the start of the first slot: slot means spread over whole slots.
    start_s = min((c.first_slot * slot_s for c in covers), default=0.0)
    return OptimumResult(
        outcomes=outcomes,
        ev_trace=PhaseTrace(
            tuple(k * slot_s for k in range(slots)),
            tuple(tuple(row) for row in totals),
            end_s,
        ),
        slot_baseline=BaselineSeries(baseline.start, slot_s, slot_means),
        start_s=start_s,
        end_s=end_s,
        windows=len(windows),
        variables=variables,
    )


def _add_currents(
    totals: list[list[float]], cover: SlotCover, currents: Sequence[float]
) -> None:
    for offset, current in enumerate(currents):
        for phase in cover.phases:
            totals[cover.first_slot + offset][phase] += current
