"""Circuits: the fuse invariant at every node of random trees, one round."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings

from custom_components.ev_load_balancer.balancer import (
    Balancer,
    BalancerSettings,
    ChargerState,
    Reason,
    Strategy,
)

from .circuit_strategies import (
    NOW,
    TreeScenario,
    assert_every_fuse_holds,
    below,
    tree_scenarios,
)
from .oracle import assert_limits_in_bounds

_SETTLED_REASONS = {Reason.NO_EV, Reason.FAULTED, Reason.NOT_CONTROLLED, Reason.EV_FULL}


def _failing(scenario: TreeScenario, charger_circuit: str | None) -> bool:
    if charger_circuit is None:
        return False
    return any(
        cid in scenario.untrusted for cid in scenario.nodes[charger_circuit].path
    )


@settings(max_examples=150)
@given(tree_scenarios())
def test_every_fuse_of_the_tree_holds(scenario: TreeScenario) -> None:
    allocation = Balancer().allocate(
        NOW,
        scenario.site,
        scenario.site_measured_a,
        scenario.chargers,
        circuit_readings=scenario.readings,
    )
    assert not allocation.safety_net_used, "the allocation relied on the safety net"
    assert_every_fuse_holds(scenario, allocation.limits)
    assert_limits_in_bounds(allocation.limits, scenario.chargers)
    assert set(allocation.circuits) == set(scenario.nodes)
    for cid, load in allocation.circuits.items():
        failing = any(c in scenario.untrusted for c in scenario.nodes[cid].path)
        assert load.failsafe == failing, cid


@settings(max_examples=80)
@given(tree_scenarios(max_chargers=120))
def test_departure_strategy_holds_every_fuse(scenario: TreeScenario) -> None:
    chargers = [
        c
        if index % 2
        else replace(
            c, departure=NOW + 3600.0 * (1 + index % 5), energy_wanted_kwh=20.0
        )
        for index, c in enumerate(scenario.chargers)
    ]
    scenario = TreeScenario(
        scenario.site,
        scenario.nodes,
        chargers,
        scenario.site_measured_a,
        scenario.readings,
        scenario.untrusted,
        scenario.seed,
    )
    allocation = Balancer(BalancerSettings(strategy=Strategy.DEPARTURE)).allocate(
        NOW,
        scenario.site,
        scenario.site_measured_a,
        scenario.chargers,
        circuit_readings=scenario.readings,
    )
    assert not allocation.safety_net_used
    assert_every_fuse_holds(scenario, allocation.limits)


@settings(max_examples=100)
@given(tree_scenarios())
def test_a_circuit_without_a_trusted_meter_alone_goes_to_failsafe(
    scenario: TreeScenario,
) -> None:
    allocation = Balancer().allocate(
        NOW,
        scenario.site,
        scenario.site_measured_a,
        scenario.chargers,
        circuit_readings=scenario.readings,
    )
    for charger in scenario.chargers:
        limit = allocation.limits[charger.charger_id]
        if limit.reason in _SETTLED_REASONS:
            continue
        failing = _failing(scenario, charger.circuit_id)
        assert (limit.reason is Reason.FAILSAFE) == failing, (
            charger.charger_id,
            limit,
        )


@settings(max_examples=100)
@given(tree_scenarios())
def test_the_site_failsafe_holds_every_fuse_minus_its_reserve(
    scenario: TreeScenario,
) -> None:
    reserve = 5.0
    allocation = Balancer().failsafe(
        NOW,
        scenario.site,
        scenario.chargers,
        static_share=True,
        building_reserve_a=reserve,
    )
    assert allocation.failsafe
    assert not allocation.safety_net_used
    limits = allocation.limits
    site = scenario.site
    groups = [(site.usable_a - reserve, tuple(range(site.phases)), None)]
    groups += [
        (n.circuit.usable_a - n.circuit.reserve_a, n.site_phases, cid)
        for cid, n in scenario.nodes.items()
    ]
    for usable, site_phases, cid in groups:
        for site_phase in site_phases:
            # Without a meter, every wired conductor counts.
            load = sum(
                limits[c.charger_id].current_a * c.wiring.count(site_phase)
                for c in scenario.chargers
                if cid is None or below(scenario.nodes, c, cid)
            )
            assert load <= max(0.0, usable) + 1e-6, (cid, site_phase, load, usable)
    for charger in scenario.chargers:
        if charger.state is ChargerState.NO_EV:
            assert limits[charger.charger_id].current_a == 0
