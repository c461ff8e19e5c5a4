"""The non-EV load of each circuit, per circuit phase.

A circuit with a trusted meter: its reading minus what its chargers (those
below it, at any depth) are credited with, as for the site. Without a meter:
the reserve the user gave for its own loads, plus whatever the chargers on it
draw beyond their credit (a charger that is not controlled, or overshoots its
limit, is building load there as at the site), plus the non-EV load of each
circuit under it. With a meter that cannot be trusted: the reserve, and the
circuit's chargers get failsafe limits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .baseline import estimate_baseline
from .circuit import CircuitReading
from .circuit_tree import CircuitTree
from .model import ChargerInput


@dataclass(frozen=True, slots=True)
class CircuitBaseline:
    """One circuit's non-EV current this round (not held yet)."""

    current_a: tuple[float, ...]
    # Its own meter cannot be trusted (its subtree goes to failsafe).
    meter_failed: bool


def circuit_baselines(
    tree: CircuitTree,
    *,
    nodes: Sequence[int],
    chargers: Sequence[ChargerInput],
    credits: Sequence[tuple[tuple[int, ...], tuple[float, ...]]],
    readings: Mapping[str, CircuitReading],
    now: float,
    noise_a: float,
) -> dict[int, CircuitBaseline]:
    """Baseline of every circuit (not the site), by node index.

    `nodes[i]` is the node of `chargers[i]`, `credits[i]` its wiring and
    credited draw per conductor (see credit.py).
    """
    tree_nodes = tree.nodes
    credited = {n.index: [0.0] * n.phases for n in tree_nodes[1:]}
    # What chargers hanging directly on an unmetered circuit draw beyond
    # their credit.
    excess = {n.index: [0.0] * n.phases for n in tree_nodes[1:]}
    for charger, at, (wiring, draws) in zip(chargers, nodes, credits, strict=True):
        measured = charger.measured_a
        if at == 0 or (not measured and not any(draws)):
            continue  # on the main fuse only, or nothing drawn nor credited
        node = tree_nodes[at]
        unmetered = node.circuit is not None and not node.circuit.metered
        for conductor, metered in enumerate(tree.conductor_phases(at, wiring)):
            draw = draws[conductor]
            if draw > 0:
                for index, phase in metered:
                    credited[index][phase] += draw
            over = (measured[conductor] if measured else 0.0) - draw
            if over > 0 and unmetered:
                excess[at][node.node_phase_of[wiring[conductor]]] += over
    result: dict[int, CircuitBaseline] = {}
    # Children before parents: an unmetered circuit adds its children's load.
    for node in reversed(tree_nodes[1:]):
        circuit = node.circuit
        assert circuit is not None
        reserve = circuit.reserve_a
        if not circuit.metered:
            values = [reserve + value for value in excess[node.index]]
            for child in tree.children[node.index]:
                feeds = tree_nodes[child].circuit
                assert feeds is not None
                for phase, value in enumerate(result[child].current_a):
                    values[feeds.parent_phases[phase]] += value
            result[node.index] = CircuitBaseline(tuple(values), False)
            continue
        reading = readings.get(circuit.circuit_id)
        if reading is None or not reading.trusted(circuit, now):
            result[node.index] = CircuitBaseline((reserve,) * node.phases, True)
            continue
        own = estimate_baseline(
            tuple(float(value) for value in reading.current_a),
            [(tuple(range(node.phases)), tuple(credited[node.index]))],
            noise_a,
        )
        result[node.index] = CircuitBaseline(own.current_a, False)
    return result
