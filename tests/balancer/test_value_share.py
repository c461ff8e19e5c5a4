"""The value exchange on binding phases, and the fairness floor it keeps.

The property (value_share.py), checked against plain max-min fair sharing
(value_floor_ratio 1.0) on the same inputs, within one priority class:
- the same EVs charge;
- an EV whose departure is unknown keeps its fair share; one whose departure
  and energy are known keeps at least the largest of its minimum, ratio x its
  fair share and 1.5 x the current that makes it full on time (capped at its
  fair share); each less one charger step;
- the power (sum of amperes x conductors loaded) is never less;
- no phase carries more than its capacity (the fuse invariant, checked here
  again);
- where every EV loads the same number of conductors, or no departure is
  known, the limits are the fair ones exactly.
"""

from __future__ import annotations

from dataclasses import replace
import random

from hypothesis import given, strategies as st

from custom_components.ev_load_balancer.balancer import (
    Balancer,
    BalancerSettings,
    ChargerInput,
    ChargerLimit,
    ChargerState,
    Reason,
    Rotation,
    Site,
)
from custom_components.ev_load_balancer.balancer.value_share import exchange

from .oracle import assert_fuse_holds, fresh_baseline, loaded_phases
from .strategies import FleetSpec, Scenario, scenarios

RATIO = 0.5
ONE_CLASS = FleetSpec(
    states=(ChargerState.CONNECTED, ChargerState.CHARGING),
    priorities=(0,),
    controllable_ratio=1.0,
    step_a=0.001,
)


def allocate(scenario: Scenario, ratio: float) -> dict[str, ChargerLimit]:
    balancer = Balancer(BalancerSettings(hold_s=0.0, value_floor_ratio=ratio))
    allocation = balancer.allocate(
        0.0, scenario.site, scenario.site_measured_a, scenario.chargers
    )
    assert not allocation.safety_net_used
    return dict(allocation.limits)


def power(limits: dict[str, ChargerLimit], chargers: list[ChargerInput]) -> float:
    return sum(limits[c.charger_id].current_a * len(loaded_phases(c)) for c in chargers)


def with_departures(scenario: Scenario) -> Scenario:
    """The same scenario with departures and energy told for some EVs."""
    rng = random.Random(scenario.seed)
    chargers = [
        replace(
            charger,
            departure=rng.uniform(600.0, 12 * 3600.0),
            energy_wanted_kwh=rng.uniform(0.5, 60.0),
        )
        if rng.random() < 0.6
        else charger
        for charger in scenario.chargers
    ]
    return replace(scenario, chargers=chargers)


def floor_of(charger: ChargerInput, fair_a: float, voltage_v: float) -> float:
    if charger.departure is None or not charger.energy_wanted_kwh:
        return fair_a
    conductors = len(loaded_phases(charger))
    need = charger.energy_wanted_kwh * 3600e3 / charger.departure
    need /= voltage_v * conductors
    return min(fair_a, max(charger.min_a, RATIO * fair_a, 1.5 * need))


@given(scenarios(max_chargers=200, spec=ONE_CLASS))
def test_the_exchange_keeps_the_fairness_floor(scenario: Scenario) -> None:
    scenario = with_departures(scenario)
    fair = allocate(scenario, 1.0)
    valued = allocate(scenario, RATIO)
    step = ONE_CLASS.step_a
    for charger in scenario.chargers:
        name = charger.charger_id
        fair_a, valued_a = fair[name].current_a, valued[name].current_a
        assert (fair_a > 0) == (valued_a > 0), f"{name}: {fair_a} -> {valued_a}"
        floor = floor_of(charger, fair_a, scenario.site.voltage_v)
        assert valued_a >= floor - step - 1e-6, f"{name}: {valued_a} < {floor}"
    tolerance = 3 * step * len(scenario.chargers) + 1e-6
    assert power(valued, scenario.chargers) >= (
        power(fair, scenario.chargers) - tolerance
    )
    baseline = fresh_baseline(
        scenario.site, scenario.site_measured_a, scenario.chargers
    )
    assert_fuse_holds(scenario.site, baseline, valued, scenario.chargers)


@given(scenarios(max_chargers=200))
def test_without_departures_the_shares_are_the_fair_ones(scenario: Scenario) -> None:
    assert allocate(scenario, RATIO) == allocate(scenario, 1.0)


def all_alike(scenario: Scenario, three_phase: bool) -> Scenario:
    """The same site with every EV loading the same number of conductors."""
    rng = random.Random(scenario.seed)
    chargers = []
    for charger in scenario.chargers:
        if three_phase and scenario.site.phases == 3:
            wiring: tuple[int, ...] = rng.choice(list(Rotation)).wiring
        else:
            wiring = (rng.randrange(scenario.site.phases),)
        level = max(charger.measured_a, default=0.0)
        measured = (level,) * len(wiring) if charger.measured_a else ()
        chargers.append(replace(charger, wiring=wiring, measured_a=measured))
    return replace(scenario, chargers=chargers)


@given(scenarios(max_chargers=200), st.booleans())
def test_alike_evs_get_exactly_the_fair_shares(
    scenario: Scenario, three_phase: bool
) -> None:
    alike = with_departures(all_alike(scenario, three_phase))
    assert allocate(alike, RATIO) == allocate(alike, 1.0)


def test_three_phase_evs_use_the_other_phases_while_l1_binds() -> None:
    """50 A, margin 3, nobody else: L1 carries two 1-phase EVs and two 3-phase
    EVs (chargers all wired L1L2L3), all with departures and energy told.
    Fair: 11.75 A each, L2 and L3 half idle.
    With the exchange the 3-phase EVs reach their 16 A and the 1-phase EVs give
    those 2 x 4.25 A (7.5 A each, above their floor of max(6, 5.9) A): power
    2x7.5 + 2x3x16 = 111 A against 2x11.75 + 6x11.75 = 94 A."""
    site = Site(phases=3, fuse_a=50.0, margin_a=3.0)
    chargers = [
        ChargerInput(
            charger_id=f"cp{i}",
            wiring=Rotation.L1L2L3.wiring,
            state=ChargerState.CHARGING,
            max_a=16.0 if phases == 3 else 32.0,
            measured_a=(10.0, 10.0, 10.0) if phases == 3 else (10.0, 0.0, 0.0),
            step_a=0.1,
            # 6 kWh in 10 h: 2.6 A on one phase, far below the fair share.
            departure=36000.0,
            energy_wanted_kwh=6.0,
        )
        for i, phases in enumerate((1, 1, 3, 3))
    ]
    scenario = Scenario(site, chargers, (40.0, 20.0, 20.0))
    fair = allocate(scenario, 1.0)
    valued = allocate(scenario, RATIO)
    assert [fair[c.charger_id].current_a for c in chargers] == [11.7] * 4
    assert [valued[c.charger_id].current_a for c in chargers] == [
        7.5,
        7.5,
        16.0,
        16.0,
    ]
    assert valued["cp0"].reason is Reason.CAPPED_BY_PHASE
    assert valued["cp2"].reason is Reason.MAX_CURRENT


def test_the_exchange_stops_where_the_other_phases_are_full() -> None:
    """Receivers take only what their other phases have room for; the donors
    give exactly that, highest first."""
    shares = exchange(
        [10.0, 8.0, 10.0],
        [(1, 0, 0), (1, 0, 0), (1, 1, 1)],
        keep=[6.0, 6.0, 10.0],
        ceilings=[32.0, 32.0, 32.0],
        slack=[0.0, 3.0, 5.0],
    )
    # L2 has room for 3 A more: the 3-phase EV takes 3 A of L1 from the
    # 1-phase EVs from the top down: 10 -> 7.5 first, then both to 7.5.
    assert [round(value, 6) for value in shares] == [7.5, 7.5, 13.0]
