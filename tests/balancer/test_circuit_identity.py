"""A tree whose only binding fuse is the site's behaves exactly as a flat site.

Two shapes, over many rounds (memory, hysteresis, queue turns, reclaim,
failsafe rounds, the departure strategy), compared limit for limit, bit for
bit, with the flat engine that has no circuits:
- the main fuse with one circuit under it that holds every charger, carries
  every phase and never binds (no meter, rating far above the fuse);
- a main fuse far above everything, with one metered circuit that holds every
  charger and has the site's rating, margin and meter: the circuit is now
  the site.
"""

from __future__ import annotations

from dataclasses import replace
import random

from hypothesis import example, given, settings, strategies as st

from custom_components.ev_load_balancer.balancer import (
    Allocation,
    Balancer,
    BalancerSettings,
    ChargerInput,
    ChargerState,
    Circuit,
    CircuitReading,
    Site,
    Strategy,
)

from .strategies import FleetSpec, build_scenario

_HUGE_A = 1e6


def _trace(
    seed: int, count: int, strategy: Strategy, shape: str
) -> tuple[list[Allocation], list[Allocation]]:
    rng = random.Random(seed)
    scenario = build_scenario(seed, count, FleetSpec())
    site = scenario.site
    reserve = rng.uniform(0.0, 20.0)
    everything = tuple(range(site.phases))
    if shape == "loose-circuit":
        circuit = Circuit(circuit_id="all", parent_phases=everything, rating_a=_HUGE_A)
        tree_site = replace(site, circuits=(circuit,))
    else:
        circuit = Circuit(
            circuit_id="all",
            parent_phases=everything,
            rating_a=site.fuse_a,
            margin_a=site.margin_a,
            metered=True,
            reserve_a=reserve,
        )
        tree_site = replace(site, fuse_a=_HUGE_A, margin_a=0.0, circuits=(circuit,))
    settings_ = BalancerSettings(strategy=strategy)
    flat, tree = Balancer(settings_), Balancer(settings_)
    chargers = scenario.chargers
    if strategy is Strategy.DEPARTURE:
        chargers = [
            replace(
                c,
                departure=rng.uniform(600.0, 30000.0),
                energy_wanted_kwh=rng.uniform(1.0, 40.0),
            )
            if rng.random() < 0.6
            else c
            for c in chargers
        ]
    measured = list(scenario.site_measured_a)
    now = 0.0
    flat_trace: list[Allocation] = []
    tree_trace: list[Allocation] = []
    for round_index in range(12):
        now += rng.choice((1.0, 5.0, 31.0, 120.0))
        on_tree = [replace(c, circuit_id="all") for c in chargers]
        if round_index % 4 == 3:
            static = rng.random() < 0.7
            flat_a = flat.failsafe(
                now, site, chargers, static_share=static, building_reserve_a=reserve
            )
            tree_a = tree.failsafe(
                now,
                tree_site,
                on_tree,
                static_share=static,
                building_reserve_a=0.0 if shape == "site-circuit" else reserve,
            )
        else:
            at = now - rng.uniform(0.0, 3.0)
            flat_a = flat.allocate(now, site, measured, chargers, site_measured_at=at)
            tree_a = tree.allocate(
                now,
                tree_site,
                measured,
                on_tree,
                site_measured_at=at,
                circuit_readings={"all": CircuitReading(tuple(measured), at)},
            )
        flat_trace.append(flat_a)
        tree_trace.append(tree_a)
        chargers = [_followed(rng, c, flat_a) for c in chargers]
        measured = [max(0.0, m + rng.uniform(-15.0, 15.0)) for m in measured]
    return flat_trace, tree_trace


def _followed(
    rng: random.Random, charger: ChargerInput, allocation: Allocation
) -> ChargerInput:
    limit = allocation.limits[charger.charger_id].current_a
    state = charger.state
    if limit and state is ChargerState.CONNECTED:
        state = ChargerState.CHARGING
    measured = charger.measured_a
    if measured or limit:
        measured = tuple(min(limit, rng.uniform(0.0, 40.0)) for _ in charger.wiring)
    return replace(charger, state=state, measured_a=measured)


@settings(max_examples=120, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    count=st.one_of(st.integers(1, 12), st.integers(1, 150)),
    strategy=st.sampled_from(list(Strategy)),
    shape=st.sampled_from(("loose-circuit", "site-circuit")),
)
# The departure queue's swap once looked at a loose circuit's dimensions.
@example(seed=44448, count=20, strategy=Strategy.DEPARTURE, shape="loose-circuit")
def test_a_tree_that_is_a_flat_site_gives_the_flat_limits(
    seed: int, count: int, strategy: Strategy, shape: str
) -> None:
    flat_trace, tree_trace = _trace(seed, count, strategy, shape)
    for index, (flat_a, tree_a) in enumerate(zip(flat_trace, tree_trace, strict=True)):
        assert dict(tree_a.limits) == dict(flat_a.limits), f"round {index}"
        assert tree_a.queue == flat_a.queue, f"round {index}"
        assert tree_a.failsafe == flat_a.failsafe
        if shape == "loose-circuit":
            assert tree_a.available_a == flat_a.available_a
            assert tree_a.allocated_a == flat_a.allocated_a
        else:
            load = tree_a.circuits["all"]
            assert load.allocated_a == flat_a.allocated_a
            if not flat_a.failsafe:
                assert load.available_a == flat_a.available_a
                assert load.overloaded_phases == flat_a.overloaded_phases


def test_a_site_without_circuits_reports_none() -> None:
    site = Site(phases=3, fuse_a=63.0)
    charger = ChargerInput(
        charger_id="a", wiring=(0, 1, 2), state=ChargerState.CONNECTED
    )
    allocation = Balancer().allocate(0.0, site, (10.0, 10.0, 10.0), [charger])
    assert allocation.circuits == {}
    assert allocation.limits["a"].current_a == 32.0
