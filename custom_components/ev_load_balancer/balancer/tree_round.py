"""A round on a site with circuits: one site-wide allocation under every fuse.

The capacity of each dimension (circuit_tree.py) is its fuse minus margin
minus its held baseline. Chargers below a circuit whose meter cannot be
trusted get failsafe limits first (within that circuit's fuse minus its
reserve, and within what every fuse above it has left); the other chargers
share the rest in one allocation round, so that priorities, queue turns and
fairness are site-wide. The safety net then checks every fuse.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .allocation_round import AllocationRound
from .baseline import Baseline, PeakHold
from .circuit import Circuit, CircuitLoad, CircuitReading
from .circuit_baseline import circuit_baselines
from .circuit_safety import enforce_tree, load_per_dimension
from .circuit_tree import CircuitTree
from .failsafe import share_failsafe
from .memory import ChargerMemory
from .model import Allocation, BalancerSettings, ChargerInput, ChargerLimit, Site
from .plan import PlanCache
from .safety import load_per_phase, stepped_limit


@dataclass(slots=True)
class TreeMemory:
    """What the engine keeps for circuits between rounds."""

    tree: CircuitTree | None = None
    peaks: dict[str, PeakHold] = field(default_factory=dict)

    def compiled(self, site: Site) -> CircuitTree:
        """The site's tree, compiled once per configuration."""
        tree = self.tree
        if (
            tree is None
            or tree.site_phases != site.phases
            or tree.circuits != site.circuits
        ):
            tree = self.tree = CircuitTree(site.phases, site.circuits)
            known = {c.circuit_id for c in site.circuits}
            for stale in [cid for cid in self.peaks if cid not in known]:
                del self.peaks[stale]
        return tree


@dataclass(slots=True, kw_only=True)
class TreeRound:
    """The inputs of one round that the engine has prepared."""

    tree: CircuitTree
    site: Site
    settings: BalancerSettings
    now: float
    chargers: Sequence[ChargerInput]
    memories: Sequence[ChargerMemory]
    nodes: list[int] = field(init=False)
    _node_by_id: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.nodes = [self.tree.node_of(c) for c in self.chargers]
        self._node_by_id = {
            c.charger_id: n for c, n in zip(self.chargers, self.nodes, strict=True)
        }

    def weigh(
        self, charger: ChargerInput, load_phases: tuple[int, ...]
    ) -> tuple[int, ...]:
        """Weight per dimension of a charger loading `load_phases`."""
        return self.tree.weights(self._node_by_id[charger.charger_id], load_phases)

    def loaded(
        self, charger: ChargerInput, load_phases: tuple[int, ...]
    ) -> tuple[tuple[int, int], ...]:
        """(dimension, weight) of every dimension a charger loads."""
        return self.tree.loaded(self._node_by_id[charger.charger_id], load_phases)

    def allocate(
        self,
        *,
        memory: TreeMemory,
        conductor_sets: Sequence[tuple[int, ...]],
        credits: Sequence[tuple[tuple[int, ...], tuple[float, ...]]],
        root: Baseline,
        held_baseline: tuple[float, ...],
        held_building: tuple[float, ...],
        upper_bound: bool,
        readings: Mapping[str, CircuitReading],
        plans: PlanCache,
    ) -> Allocation:
        """Limits for every charger under every fuse of the tree.

        `upper_bound`: no charger's draw is credited (baseline.no_ev_credited),
        so a metered circuit's estimate needs no hold either.
        """
        tree, site, settings, now = self.tree, self.site, self.settings, self.now
        chargers, memories = self.chargers, self.memories
        raw = circuit_baselines(
            tree,
            nodes=self.nodes,
            chargers=chargers,
            credits=credits,
            readings=readings,
            now=now,
            noise_a=settings.baseline_noise_a,
        )
        held: dict[int, tuple[float, ...]] = {0: held_baseline}
        available = [site.usable_a - value for value in held_baseline]
        overloaded = [p for p, v in enumerate(held_building) if v > site.usable_a]
        failing: set[int] = set()
        for node in tree.nodes[1:]:
            circuit = _circuit(node.circuit)
            baseline = raw[node.index]
            peak = memory.peaks.get(circuit.circuit_id)
            if peak is None:
                peak = memory.peaks[circuit.circuit_id] = PeakHold(
                    settings.baseline_hold_s
                )
            peak.window_s = settings.baseline_hold_s
            if baseline.meter_failed:
                peak.clear()
                failing.add(node.index)
                value = baseline.current_a
            else:
                value = peak.update(
                    now,
                    baseline.current_a,
                    # Unmetered: the chargers' readings are part of the estimate.
                    upper_bound=upper_bound and circuit.metered,
                )
            held[node.index] = value
            usable = circuit.usable_a
            for phase, current in enumerate(value):
                available.append(usable - current)
                if current > usable:
                    overloaded.append(node.offset + phase)
        capacity = [max(0.0, value) for value in available]
        # The highest failing circuit above each node, or -1.
        top_failing = [
            next((i for i in node.path if i in failing), -1) for node in tree.nodes
        ]
        limits, residual = self._failsafe_first(capacity, top_failing)
        allocation_round = AllocationRound(
            site,
            settings,
            now,
            residual,
            tuple(overloaded),
            increases_frozen=any(m.settling(now, settings) for m in memories),
            plans=plans,
            weigh=self.weigh,
            fuses=tuple((n.offset, n.offset + n.phases) for n in tree.nodes),
        )
        for charger, memory_of, conductors, at in zip(
            chargers, memories, conductor_sets, self.nodes, strict=True
        ):
            if top_failing[at] < 0:
                allocation_round.add(charger, memory_of, conductors)
        allocation_round.run()
        limits.update(allocation_round.limits)
        final = {c.charger_id: stepped_limit(limits[c.charger_id], c) for c in chargers}
        load = load_per_dimension(final, chargers, self.loaded, tree.dim_count)
        safety_net_used = enforce_tree(final, chargers, capacity, self.weigh, load)
        for charger, memory_of in zip(chargers, memories, strict=True):
            memory_of.record(
                final[charger.charger_id].current_a, now, settings, root.raw_a
            )
        phases = site.phases
        return Allocation(
            limits=final,
            baseline_a=held_baseline,
            available_a=tuple(available[:phases]),
            allocated_a=load_per_phase(final, phases),
            overloaded_phases=tuple(p for p in overloaded if p < phases),
            inconsistent_phases=root.inconsistent_phases,
            queue=tuple(allocation_round.queue),
            safety_net_used=safety_net_used,
            circuits=self.circuit_loads(
                load,
                held,
                available,
                overloaded,
                failsafe={n.index for n in tree.nodes if top_failing[n.index] >= 0},
            ),
        )

    def failsafe(self, *, static_share: bool, building_reserve_a: float) -> Allocation:
        """Limits for when the site meter cannot be trusted: every fuse minus
        its reserve (the site's: `building_reserve_a`)."""
        tree, site = self.tree, self.site
        held: dict[int, tuple[float, ...]] = {
            0: (float(building_reserve_a),) * site.phases
        }
        available = [site.usable_a - building_reserve_a] * site.phases
        for node in tree.nodes[1:]:
            circuit = _circuit(node.circuit)
            held[node.index] = (circuit.reserve_a,) * node.phases
            available.extend([circuit.usable_a - circuit.reserve_a] * node.phases)
        capacity = [max(0.0, value) for value in available]
        shared = share_failsafe(
            capacity,
            self.chargers,
            self.memories,
            static_share=static_share,
            weigh=self.weigh,
        )
        final = {
            c.charger_id: stepped_limit(shared[c.charger_id], c) for c in self.chargers
        }
        # The shares fit by construction; the net guards a defect all the same.
        load = load_per_dimension(final, self.chargers, self.loaded, tree.dim_count)
        safety_net_used = enforce_tree(final, self.chargers, capacity, self.weigh, load)
        for charger, memory_of in zip(self.chargers, self.memories, strict=True):
            memory_of.record(
                final[charger.charger_id].current_a, self.now, self.settings
            )
        return Allocation(
            limits=final,
            baseline_a=held[0],
            available_a=tuple(capacity[: site.phases]),
            allocated_a=load_per_phase(final, site.phases),
            failsafe=True,
            safety_net_used=safety_net_used,
            circuits=self.circuit_loads(
                load,
                held,
                available,
                [],
                failsafe={node.index for node in tree.nodes},
            ),
        )

    def _failsafe_first(
        self, capacity: list[float], top_failing: list[int]
    ) -> tuple[dict[str, ChargerLimit], list[float]]:
        """Failsafe limits below each failing circuit, highest circuit first;
        what every dimension has left after them."""
        residual = capacity[:]
        limits: dict[str, ChargerLimit] = {}
        groups: dict[int, list[int]] = {}
        for position, node in enumerate(self.nodes):
            top = top_failing[node]
            if top >= 0:
                groups.setdefault(top, []).append(position)
        for top in sorted(groups):
            members = groups[top]
            chargers = [self.chargers[i] for i in members]
            shared = share_failsafe(
                residual,
                chargers,
                [self.memories[i] for i in members],
                static_share=_circuit(
                    self.tree.nodes[top].circuit
                ).failsafe_static_share,
                weigh=self.weigh,
            )
            for charger in chargers:
                limit = stepped_limit(shared[charger.charger_id], charger)
                limits[charger.charger_id] = limit
                if limit.current_a:
                    weights = self.weigh(charger, limit.load_phases)
                    for dim, weight in enumerate(weights):
                        if weight:
                            residual[dim] = max(
                                0.0, residual[dim] - weight * limit.current_a
                            )
        return limits, residual

    def circuit_loads(
        self,
        loads: Sequence[float],
        held: Mapping[int, tuple[float, ...]],
        available: Sequence[float],
        overloaded: Sequence[int],
        *,
        failsafe: set[int],
    ) -> dict[str, CircuitLoad]:
        """Each circuit's figures, per circuit phase."""
        tree = self.tree
        result: dict[str, CircuitLoad] = {}
        for node in tree.nodes[1:]:
            start, end = node.offset, node.offset + node.phases
            result[_circuit(node.circuit).circuit_id] = CircuitLoad(
                baseline_a=held[node.index],
                available_a=tuple(available[start:end]),
                allocated_a=tuple(loads[start:end]),
                overloaded_phases=tuple(
                    d - start for d in overloaded if start <= d < end
                ),
                failsafe=node.index in failsafe,
            )
        return result


def _circuit(circuit: Circuit | None) -> Circuit:
    assert circuit is not None, "only the site's node has no circuit"
    return circuit
