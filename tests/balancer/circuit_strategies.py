"""Random circuit trees with chargers and meter readings, and the checks on them.

As strategies.py: hypothesis draws a seed and sizes, a seeded generator builds
the tree, so that large trees fit in one example and failures still shrink.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
import random

from hypothesis import strategies as st

from custom_components.ev_load_balancer.balancer import (
    ChargerInput,
    ChargerLimit,
    ChargerState,
    Circuit,
    CircuitReading,
    Rotation,
    Site,
)

from .oracle import TOLERANCE_A, fresh_baseline, loaded_phases
from .strategies import FleetSpec, random_charger

NOW = 1000.0


@dataclass(frozen=True)
class TreeNodeInfo:
    """What the checks need of a node: its circuit and site phase per phase."""

    circuit: Circuit
    site_phases: tuple[int, ...]
    path: tuple[str, ...]  # circuit ids from the top circuit down to this one


@dataclass(frozen=True)
class TreeScenario:
    site: Site
    nodes: dict[str, TreeNodeInfo]
    chargers: list[ChargerInput]
    site_measured_a: tuple[float, ...]
    readings: dict[str, CircuitReading]
    # Metered circuits whose reading is missing or stale.
    untrusted: frozenset[str]
    seed: int = 0


def random_tree(
    rng: random.Random, phases: int, fuse_a: float, count: int, max_depth: int
) -> dict[str, TreeNodeInfo]:
    """`count` circuits at most `max_depth` levels below the site."""
    nodes: dict[str, TreeNodeInfo] = {}
    parents: list[tuple[str | None, tuple[int, ...], float, int]] = [
        (None, tuple(range(phases)), fuse_a, 0)
    ]
    for index in range(count):
        parent_id, parent_site, parent_rating, depth = rng.choice(parents)
        width = len(parent_site)
        if width == 3 and rng.random() < 0.6:
            start = rng.randrange(3)
            parent_phases: tuple[int, ...] = tuple((start + i) % 3 for i in range(3))
        elif width >= 2 and rng.random() < 0.2:
            parent_phases = tuple(rng.sample(range(width), 2))
        else:
            parent_phases = (rng.randrange(width),)
        circuit = Circuit(
            circuit_id=f"c{index}",
            parent_id=parent_id,
            parent_phases=parent_phases,
            rating_a=rng.uniform(6.0, parent_rating * 1.2),
            margin_a=rng.uniform(0.0, 3.0),
            metered=rng.random() < 0.5,
            reserve_a=rng.choice((0.0, 0.0, rng.uniform(0.0, 10.0))),
            failsafe_static_share=rng.random() < 0.7,
        )
        site_phases = tuple(parent_site[p] for p in parent_phases)
        path = (*(nodes[parent_id].path if parent_id else ()), circuit.circuit_id)
        nodes[circuit.circuit_id] = TreeNodeInfo(circuit, site_phases, path)
        if depth + 1 < max_depth:
            parents.append(
                (circuit.circuit_id, site_phases, circuit.rating_a, depth + 1)
            )
    return nodes


def charger_on(
    rng: random.Random,
    charger_id: str,
    site_phases: tuple[int, ...],
    circuit_id: str | None,
    spec: FleetSpec,
) -> ChargerInput:
    """A random charger wired only to phases its circuit carries."""
    charger = random_charger(rng, charger_id, 3, spec)
    if len(site_phases) == 3:
        wiring = (
            rng.choice(list(Rotation)).wiring
            if rng.random() < 0.6
            else (rng.choice(site_phases),)
        )
    else:
        wiring = (rng.choice(site_phases),)
    measured = charger.measured_a[: len(wiring)]
    if measured and len(measured) < len(wiring):
        measured = ()
    return ChargerInput(
        charger_id=charger.charger_id,
        wiring=wiring,
        state=charger.state,
        min_a=charger.min_a,
        max_a=charger.max_a,
        measured_a=measured if len(measured) == len(wiring) else (),
        priority=charger.priority,
        controllable=charger.controllable,
        step_a=charger.step_a,
        circuit_id=circuit_id,
    )


def build_tree_scenario(
    seed: int, chargers: int, circuits: int, max_depth: int, spec: FleetSpec
) -> TreeScenario:
    rng = random.Random(seed)
    phases = rng.choice((1, 3, 3))
    fuse = rng.uniform(10.0, 400.0)
    site = Site(phases=phases, fuse_a=fuse, margin_a=rng.uniform(0.0, 10.0))
    nodes = random_tree(rng, phases, fuse, circuits, max_depth)
    site = Site(
        phases=phases,
        fuse_a=fuse,
        margin_a=site.margin_a,
        circuits=tuple(n.circuit for n in nodes.values()),
    )
    homes: list[tuple[str | None, tuple[int, ...]]] = [(None, tuple(range(phases)))]
    homes += [(cid, n.site_phases) for cid, n in nodes.items()]
    fleet = []
    for index in range(chargers):
        circuit_id, site_phases = rng.choice(homes)
        fleet.append(charger_on(rng, f"cp{index}", site_phases, circuit_id, spec))
    site_measured = _measured(
        rng, phases, tuple(range(phases)), fleet, None, nodes, fuse
    )
    readings: dict[str, CircuitReading] = {}
    untrusted: set[str] = set()
    for cid, node in nodes.items():
        if not node.circuit.metered:
            continue
        current = _measured(
            rng, len(node.site_phases), node.site_phases, fleet, cid, nodes, fuse
        )
        roll = rng.random()
        if roll < 0.15:
            untrusted.add(cid)  # no reading at all
        elif roll < 0.3:
            untrusted.add(cid)
            readings[cid] = CircuitReading(current, NOW - 120.0)
        else:
            readings[cid] = CircuitReading(current, NOW - rng.uniform(0.0, 5.0))
    return TreeScenario(
        site, nodes, fleet, site_measured, readings, frozenset(untrusted), seed
    )


def below(node: Mapping[str, TreeNodeInfo], charger: ChargerInput, cid: str) -> bool:
    """Whether the charger hangs on circuit `cid` or on a circuit below it."""
    return charger.circuit_id is not None and cid in node[charger.circuit_id].path


def _measured(
    rng: random.Random,
    width: int,
    site_phases: tuple[int, ...],
    fleet: Sequence[ChargerInput],
    cid: str | None,
    nodes: Mapping[str, TreeNodeInfo],
    fuse_a: float,
) -> tuple[float, ...]:
    """EV draw below a node plus a random non-EV load, per node phase."""
    draw = [0.0] * width
    for charger in fleet:
        if cid is not None and not below(nodes, charger, cid):
            continue
        for conductor, value in enumerate(charger.measured_a):
            draw[site_phases.index(charger.wiring[conductor])] += value
    scale = nodes[cid].circuit.rating_a if cid else fuse_a
    # Mostly within the fuse, sometimes beyond it, sometimes below the EVs' draw.
    return tuple(
        max(0.0, v + rng.uniform(-3.0, scale * (1.3 if rng.random() < 0.1 else 0.5)))
        for v in draw
    )


def node_baseline(scenario: TreeScenario, cid: str) -> list[float]:
    """A fresh engine's non-EV load of a circuit, from the raw inputs."""
    node = scenario.nodes[cid]
    circuit = node.circuit
    width = len(node.site_phases)
    if circuit.metered and cid in scenario.untrusted:
        return [circuit.reserve_a] * width
    ev = [0.0] * width
    excess = [0.0] * width
    for charger in scenario.chargers:
        if not below(scenario.nodes, charger, cid):
            continue
        credited = charger.controllable and charger.state is ChargerState.CHARGING
        for conductor, value in enumerate(charger.measured_a):
            phase = node.site_phases.index(charger.wiring[conductor])
            credit = min(value, charger.max_a) if credited else 0.0
            ev[phase] += credit
            if charger.circuit_id == cid:
                excess[phase] += max(0.0, value - credit)
    if not circuit.metered:
        # Its own reserve, what its own chargers draw beyond their credit,
        # and the load of each circuit under it.
        result = [circuit.reserve_a + value for value in excess]
        for child_id, child in scenario.nodes.items():
            if child.circuit.parent_id == cid:
                for phase, value in enumerate(node_baseline(scenario, child_id)):
                    result[child.circuit.parent_phases[phase]] += value
        return result
    reading = scenario.readings[cid].current_a
    return [max(0.0, reading[p] - ev[p]) for p in range(width)]


def assert_every_fuse_holds(
    scenario: TreeScenario, limits: Mapping[str, ChargerLimit]
) -> None:
    """Invariant 1 at every node: baseline + limits <= rating - margin, per
    node phase, or nobody below it on that phase gets current."""
    site = scenario.site
    checks: list[tuple[str, float, list[float], tuple[int, ...], str | None]] = [
        (
            "site",
            site.usable_a,
            fresh_baseline(site, scenario.site_measured_a, scenario.chargers),
            tuple(range(site.phases)),
            None,
        )
    ]
    for cid, node in scenario.nodes.items():
        checks.append(
            (
                cid,
                node.circuit.usable_a,
                node_baseline(scenario, cid),
                node.site_phases,
                cid,
            )
        )
    for name, usable, baseline, site_phases, cid in checks:
        members = [
            c for c in scenario.chargers if cid is None or below(scenario.nodes, c, cid)
        ]
        for phase, site_phase in enumerate(site_phases):
            on_phase = [
                (c, loaded_phases(c).count(site_phase))
                for c in members
                if site_phase in loaded_phases(c) and limits[c.charger_id].current_a
            ]
            load = sum(limits[c.charger_id].current_a * n for c, n in on_phase)
            if baseline[phase] > usable + TOLERANCE_A:
                assert not on_phase, f"{name} phase {phase} overloaded, yet current"
            else:
                assert baseline[phase] + load <= usable + TOLERANCE_A, (
                    f"{name} phase {phase}: baseline {baseline[phase]:.3f} + EVs "
                    f"{load:.3f} > usable {usable:.3f}"
                )


def tree_scenarios(
    max_chargers: int = 200, max_depth: int = 4, spec: FleetSpec | None = None
) -> st.SearchStrategy[TreeScenario]:
    """Random trees of up to `max_depth` circuit levels and `max_chargers`."""
    return st.builds(
        build_tree_scenario,
        seed=st.integers(0, 2**32 - 1),
        chargers=st.one_of(st.integers(1, 12), st.integers(1, max_chargers)),
        circuits=st.integers(0, 16),
        max_depth=st.integers(1, max_depth),
        spec=st.just(spec or FleetSpec()),
    )
