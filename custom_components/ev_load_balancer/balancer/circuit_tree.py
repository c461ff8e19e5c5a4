"""The circuit tree compiled for allocation: every node phase is one dimension.

The sharing code (admission, water filling, value exchange, the safety net)
works on capacities per "phase" with a weight per member and phase. A tree
only adds phases: dimensions 0..P-1 are the site's phases, exactly as for a
flat site, then each circuit's phases follow in tree order. A charger loads
site phase p, and on every circuit above it the circuit phase fed from p, so
one fill respects every fuse of the tree at once while fairness and
priorities stay site-wide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .circuit import Circuit
from .model import ChargerInput
from .phases import phase_weights

_CACHE_LIMIT = 4096
# (node index, node phase) of each circuit above a conductor.
_Above = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class TreeNode:
    """One node: the site (index 0, `circuit` None) or a circuit."""

    index: int
    circuit: Circuit | None
    parent: int  # -1 for the site
    # First dimension of this node's phases.
    offset: int
    # Site phase of each of this node's phases.
    site_phase_of: tuple[int, ...]
    # This node's phase fed from each site phase; -1 where none is.
    node_phase_of: tuple[int, ...]
    # Node indices from the site down to this node, both included.
    path: tuple[int, ...]

    @property
    def phases(self) -> int:
        """Phases this node carries."""
        return len(self.site_phase_of)


class CircuitTree:
    """The site and its circuits, parents before children."""

    def __init__(self, site_phases: int, circuits: Sequence[Circuit]) -> None:
        self.site_phases = site_phases
        self.circuits = tuple(circuits)
        root_map = tuple(range(site_phases))
        self.nodes: list[TreeNode] = [
            TreeNode(0, None, -1, 0, root_map, root_map, (0,))
        ]
        self._index: dict[str | None, int] = {None: 0}
        ids = [c.circuit_id for c in circuits]
        if len(set(ids)) != len(ids):
            raise ValueError("circuit ids must be unique")
        pending = list(circuits)
        offset = site_phases
        while pending:
            placed = [c for c in pending if c.parent_id in self._index]
            if not placed:
                names = ", ".join(sorted(c.circuit_id for c in pending))
                raise ValueError(f"circuits without a parent in the tree: {names}")
            for circuit in placed:
                parent = self.nodes[self._index[circuit.parent_id]]
                if max(circuit.parent_phases) >= parent.phases:
                    raise ValueError(
                        f"{circuit.circuit_id}: its parent has {parent.phases} phases"
                    )
                site_of = tuple(parent.site_phase_of[p] for p in circuit.parent_phases)
                node_of = [-1] * site_phases
                for phase, site_phase in enumerate(site_of):
                    node_of[site_phase] = phase
                index = len(self.nodes)
                self.nodes.append(
                    TreeNode(
                        index,
                        circuit,
                        parent.index,
                        offset,
                        site_of,
                        tuple(node_of),
                        (*parent.path, index),
                    )
                )
                self._index[circuit.circuit_id] = index
                offset += circuit.phases
            pending = [c for c in pending if c.circuit_id not in self._index]
        self.dim_count = offset
        # Node indices of each node's circuits, in tree order.
        self.children: list[list[int]] = [[] for _ in self.nodes]
        for node in self.nodes[1:]:
            self.children[node.parent].append(node.index)
        self._weights: dict[tuple[int, tuple[int, ...]], tuple[int, ...]] = {}
        self._loaded: dict[
            tuple[int, tuple[int, ...]], tuple[tuple[int, int], ...]
        ] = {}
        self._conductors: dict[tuple[int, tuple[int, ...]], tuple[_Above, ...]] = {}
        # Node of each (circuit, wiring) seen, its wiring checked.
        self._placed: dict[tuple[str | None, tuple[int, ...]], int] = {}

    @property
    def depth(self) -> int:
        """Levels of fuses, the main fuse included (a flat site: 1)."""
        return max(len(node.path) for node in self.nodes)

    def node_of(self, charger: ChargerInput) -> int:
        """Index of the node a charger hangs on; checks that its wiring fits."""
        key = (charger.circuit_id, charger.wiring)
        known = self._placed.get(key)
        if known is not None:
            return known
        index = self._index.get(charger.circuit_id)
        if index is None:
            raise ValueError(
                f"{charger.charger_id}: unknown circuit {charger.circuit_id!r}"
            )
        node_of = self.nodes[index].node_phase_of
        if any(node_of[phase] < 0 for phase in charger.wiring):
            raise ValueError(
                f"{charger.charger_id}: wired to a phase its circuit does not carry"
            )
        if len(self._placed) >= _CACHE_LIMIT:
            self._placed.clear()
        self._placed[key] = index
        return index

    def index_of(self, circuit_id: str) -> int:
        """Index of a circuit's node."""
        return self._index[circuit_id]

    def weights(self, node: int, load_phases: tuple[int, ...]) -> tuple[int, ...]:
        """Weight per dimension of a charger of `node` loading `load_phases`."""
        key = (node, load_phases)
        cached = self._weights.get(key)
        if cached is not None:
            return cached
        weights = list(phase_weights(load_phases, self.site_phases))
        weights.extend([0] * (self.dim_count - self.site_phases))
        for index in self.nodes[node].path[1:]:
            above = self.nodes[index]
            for phase in load_phases:
                weights[above.offset + above.node_phase_of[phase]] += 1
        result = tuple(weights)
        if len(self._weights) >= _CACHE_LIMIT:
            self._weights.clear()
        self._weights[key] = result
        return result

    def loaded(
        self, node: int, load_phases: tuple[int, ...]
    ) -> tuple[tuple[int, int], ...]:
        """(dimension, weight) of every dimension `weights` loads."""
        key = (node, load_phases)
        cached = self._loaded.get(key)
        if cached is None:
            weights = self.weights(node, load_phases)
            cached = tuple((dim, w) for dim, w in enumerate(weights) if w)
            if len(self._loaded) >= _CACHE_LIMIT:
                self._loaded.clear()
            self._loaded[key] = cached
        return cached

    def conductor_phases(
        self, node: int, wiring: tuple[int, ...]
    ) -> tuple[_Above, ...]:
        """Per conductor, (circuit node, its phase) of every circuit with a
        meter above it (itself included)."""
        key = (node, wiring)
        cached = self._conductors.get(key)
        if cached is None:
            above = [self.nodes[index] for index in self.nodes[node].path[1:]]
            metered = [n for n in above if n.circuit and n.circuit.metered]
            cached = tuple(
                tuple((n.index, n.node_phase_of[phase]) for n in metered)
                for phase in wiring
            )
            if len(self._conductors) >= _CACHE_LIMIT:
                self._conductors.clear()
            self._conductors[key] = cached
        return cached

    def below(self, ancestor: int, node: int) -> bool:
        """Whether `node` is `ancestor` or one of its descendants."""
        return ancestor in self.nodes[node].path
