"""Every fuse of a random tree holds round after round, in a closed loop.

The building's load walks (with jumps) on the site and on every metered
circuit; an unmetered circuit's own load stays within the reserve its user
gave. EVs follow their limits at once; each meter sees the loads below it
plus what the EVs below it draw. After every round, what the EVs will draw at
their new limits plus the real non-EV load stays within every fuse.
"""

from __future__ import annotations

from collections.abc import Callable
import random

from hypothesis import given, settings, strategies as st

from custom_components.ev_load_balancer.balancer import (
    Balancer,
    BalancerSettings,
    ChargerInput,
    ChargerState,
    CircuitReading,
    Rotation,
    Site,
)

from .circuit_strategies import TreeNodeInfo, random_tree
from .oracle import TOLERANCE_A


def _subtree(nodes: dict[str, TreeNodeInfo], cid: str | None) -> list[str | None]:
    """The node and every circuit under it (None: the site)."""
    if cid is None:
        return [None, *nodes]
    return [other for other, node in nodes.items() if cid in node.path]


def _non_ev_of(
    nodes: dict[str, TreeNodeInfo],
    own: dict[str | None, list[float]],
    phases: int,
) -> Callable[[str | None], list[float]]:
    """The real non-EV load below a node, per site phase."""

    def non_ev(cid: str | None) -> list[float]:
        below = _subtree(nodes, cid)
        return [sum(own[c][p] for c in below) for p in range(phases)]

    return non_ev


def _ev_load_of(
    nodes: dict[str, TreeNodeInfo],
    chargers: list[ChargerInput],
    conductors: list[int],
    phases: int,
) -> Callable[[str | None, list[float]], list[float]]:
    """What EVs below a node draw per site phase at the given currents."""

    def ev_load(cid: str | None, current: list[float]) -> list[float]:
        load = [0.0] * phases
        members = set(_subtree(nodes, cid))
        for charger, used, value in zip(chargers, conductors, current, strict=True):
            if charger.circuit_id in members:
                for conductor in range(min(used, len(charger.wiring))):
                    load[charger.wiring[conductor]] += value
        return load

    return ev_load


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    count=st.integers(1, 40),
    circuits=st.integers(1, 8),
)
def test_every_fuse_holds_round_after_round(
    seed: int, count: int, circuits: int
) -> None:
    rng = random.Random(seed)
    phases = rng.choice((1, 3, 3))
    fuse = rng.choice((35.0, 63.0, 100.0))
    nodes = random_tree(rng, phases, fuse, circuits, 4)
    site = Site(
        phases=phases,
        fuse_a=fuse,
        margin_a=2.0,
        circuits=tuple(n.circuit for n in nodes.values()),
    )
    site_phases_of: dict[str | None, tuple[int, ...]] = {None: tuple(range(phases))}
    site_phases_of.update({cid: n.site_phases for cid, n in nodes.items()})
    homes = list(site_phases_of)
    # Each node's own non-EV load per site phase (0 on phases it lacks).
    own: dict[str | None, list[float]] = {cid: [0.0] * phases for cid in homes}
    for cid, node in nodes.items():
        if not node.circuit.metered:
            for p in node.site_phases:
                own[cid][p] = rng.uniform(0.0, node.circuit.reserve_a)
    chargers: list[ChargerInput] = []
    conductors: list[int] = []
    ev_max: list[float] = []
    for index in range(count):
        home = rng.choice(homes)
        available = site_phases_of[home]
        wiring: tuple[int, ...] = (
            rng.choice(list(Rotation)).wiring
            if len(available) == 3 and rng.random() < 0.7
            else (rng.choice(available),)
        )
        chargers.append(
            ChargerInput(
                charger_id=f"ev{index}",
                wiring=wiring,
                state=ChargerState.CONNECTED,
                max_a=rng.choice((16.0, 32.0)),
                circuit_id=home,
            )
        )
        conductors.append(rng.randint(1, len(wiring)))
        ev_max.append(rng.choice((10.0, 16.0, 32.0)))
    balancer = Balancer(BalancerSettings(ramp_s=0.0))
    draws = [0.0] * count
    now = 0.0
    non_ev = _non_ev_of(nodes, own, phases)
    ev_load = _ev_load_of(nodes, chargers, conductors, phases)

    def meter(cid: str | None, current: list[float]) -> tuple[float, ...]:
        total = [a + b for a, b in zip(non_ev(cid), ev_load(cid, current), strict=True)]
        return tuple(total[p] for p in site_phases_of[cid])

    for _ in range(60):
        now += rng.uniform(0.5, 10.0)
        for cid in homes:
            if cid is not None and not nodes[cid].circuit.metered:
                continue  # within its reserve, as its user said
            scale = fuse if cid is None else nodes[cid].circuit.rating_a
            for p in site_phases_of[cid]:
                jump = rng.choice((0.0, 0.0, 0.0, 0.1, -0.1, 0.3, -0.3)) * scale
                walked = own[cid][p] + rng.uniform(-1.0, 1.0) + jump
                own[cid][p] = min(max(0.0, walked), scale * 0.5)

        readings = {
            cid: CircuitReading(meter(cid, draws), now)
            for cid, node in nodes.items()
            if node.circuit.metered
        }
        inputs = [
            ChargerInput(
                charger_id=c.charger_id,
                wiring=c.wiring,
                state=ChargerState.CHARGING if draw else ChargerState.CONNECTED,
                max_a=c.max_a,
                measured_a=tuple(
                    draw if i < used else 0.0 for i in range(len(c.wiring))
                ),
                circuit_id=c.circuit_id,
            )
            for c, draw, used in zip(chargers, draws, conductors, strict=True)
        ]
        allocation = balancer.allocate(
            now, site, meter(None, draws), inputs, circuit_readings=readings
        )
        assert not allocation.safety_net_used, "the limits relied on the safety net"
        draws = [
            min(allocation.limits[c.charger_id].current_a, top)
            for c, top in zip(chargers, ev_max, strict=True)
        ]
        limits = [allocation.limits[c.charger_id].current_a for c in chargers]
        for cid in homes:
            usable = site.usable_a if cid is None else nodes[cid].circuit.usable_a
            base, load = non_ev(cid), ev_load(cid, limits)
            for p in site_phases_of[cid]:
                if base[p] <= usable:
                    assert base[p] + load[p] <= usable + TOLERANCE_A, (
                        f"t={now:.1f} {cid or 'site'} phase {p}: "
                        f"{base[p]:.2f} + {load[p]:.2f} > {usable:.2f}"
                    )
