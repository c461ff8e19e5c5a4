"""Circuits in a replay: each sub-board's own load, its meter, its fuse figures.

A circuit carries a share of the building's load (per phase, on the site
phases it is fed from) plus what the EVs below it draw. Its meter reads that
on the site meter's schedule and lag, except during its own outages (a sub-
meter that goes quiet: its chargers go to failsafe, the rest keeps balancing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..balancer import Circuit
from ..balancer.circuit_tree import CircuitTree
from ..loop import MeterInput
from ..meter.base import MeterReading
from .baseline_series import BaselineSeries
from .model import ChargerSpec, ControlTiming
from .sim_charger import SimulatedCharger
from .trace import PhaseTrace, TraceRecorder, site_pieces

# A phase counts as above its fuse beyond float noise (A).
_OVER_EPSILON_A = 1e-6


@dataclass(frozen=True, slots=True, kw_only=True)
class SimCircuit:
    """A circuit as the simulator builds it."""

    circuit: Circuit
    # Share of the building's (non-EV) load on each phase it carries.
    baseline_share: float = 0.0
    # (start, end) seconds of the replay's clock when its meter says nothing.
    meter_outages_s: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True, slots=True)
class CircuitStats:
    """How one circuit's fuse fared."""

    overload_s: float
    peak_a: float
    rating_a: float


class SimulatedCircuits:
    """Every circuit's EV draw as it happens, and its meter's readings."""

    def __init__(
        self,
        phases: int,
        circuits: Sequence[SimCircuit],
        chargers: Sequence[ChargerSpec],
        baseline: BaselineSeries,
        timing: ControlTiming,
    ) -> None:
        self.circuits = tuple(circuits)
        self._tree = CircuitTree(phases, [c.circuit for c in circuits])
        self._baseline = baseline
        self._timing = timing
        self.traces = {c.circuit.circuit_id: TraceRecorder() for c in circuits}
        self.meters: dict[str, MeterInput] = {}
        # Per charger id: (circuit id, node phase per site phase) above it.
        self._above: dict[str, tuple[tuple[str, tuple[int, ...]], ...]] = {}
        nodes = self._tree.nodes
        for spec in chargers:
            if spec.circuit_id is None:
                continue
            path = nodes[self._tree.index_of(spec.circuit_id)].path[1:]
            self._above[spec.charger_id] = tuple(
                (_circuit_id(nodes[i].circuit), nodes[i].node_phase_of) for i in path
            )

    def record(self, now: float, active: Sequence[SimulatedCharger]) -> None:
        """What the EVs below each circuit draw from `now` on."""
        if not self.circuits:
            return
        totals = {cid: [0.0] * len(self._site_phases(cid)) for cid in self.traces}
        for charger in active:
            draw = charger.ev.draw_a if charger.ev is not None else 0.0
            above = self._above.get(charger.spec.charger_id)
            if not draw or above is None:
                continue
            for phase in charger.load_phases:
                for cid, node_phase_of in above:
                    totals[cid][node_phase_of[phase]] += draw
        for cid, values in totals.items():
            self.traces[cid].record(now, tuple(values))

    def read(self, now: float) -> None:
        """Each metered circuit's reading due at `now` (none in an outage)."""
        seen_at = now - self._timing.meter_lag_s
        for spec in self.circuits:
            circuit = spec.circuit
            if not circuit.metered:
                continue
            cid = circuit.circuit_id
            if any(start <= now < end for start, end in spec.meter_outages_s):
                continue  # it keeps its last reading, which ages
            base = self._baseline.at(seen_at)
            site_phases = self._site_phases(cid)
            evs = self.traces[cid].at(seen_at, len(site_phases))
            current = tuple(
                spec.baseline_share * base[p] + ev
                for p, ev in zip(site_phases, evs, strict=True)
            )
            self.meters[cid] = MeterInput(
                reading=MeterReading(current_a=current, received_at=now)
            )

    def finish(self, end_s: float) -> dict[str, PhaseTrace]:
        """Each circuit's EV trace."""
        return {cid: trace.finish(end_s) for cid, trace in self.traces.items()}

    def _site_phases(self, circuit_id: str) -> tuple[int, ...]:
        return self._tree.nodes[self._tree.index_of(circuit_id)].site_phase_of


def circuit_stats(
    circuits: Sequence[SimCircuit],
    *,
    phases: int,
    baseline: BaselineSeries,
    traces: Mapping[str, PhaseTrace],
    start_s: float,
    end_s: float,
) -> dict[str, CircuitStats]:
    """Seconds above each circuit's fuse and its highest phase current."""
    tree = CircuitTree(phases, [c.circuit for c in circuits])
    result: dict[str, CircuitStats] = {}
    for spec in circuits:
        circuit = spec.circuit
        site_of = tree.nodes[tree.index_of(circuit.circuit_id)].site_phase_of
        overload = peak = 0.0
        trace = traces[circuit.circuit_id]
        for piece in site_pieces(baseline, trace, start_s, end_s):
            ev = piece.ev_a
            highest = max(
                spec.baseline_share * piece.baseline_a[p]
                + (ev[q] if q < len(ev) else 0.0)
                for q, p in enumerate(site_of)
            )
            peak = max(peak, highest)
            if highest > circuit.rating_a + _OVER_EPSILON_A:
                overload += piece.duration_s
        result[circuit.circuit_id] = CircuitStats(overload, peak, circuit.rating_a)
    return result


def _circuit_id(circuit: Circuit | None) -> str:
    assert circuit is not None
    return circuit.circuit_id
