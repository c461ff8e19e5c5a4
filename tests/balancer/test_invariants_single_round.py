"""Invariants of one round on random sites (DESIGN.md invariants 1, 2, 3, 5)."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given

from custom_components.ev_load_balancer.balancer import (
    Balancer,
    BalancerSettings,
    ChargerInput,
    ChargerLimit,
    ChargerState,
    Reason,
)

from .oracle import (
    TOLERANCE_A,
    assert_fuse_holds,
    assert_limits_in_bounds,
    fresh_baseline,
    loaded_phases,
    phase_load,
)
from .strategies import FleetSpec, Scenario, scenarios

FINE_STEP = FleetSpec(step_a=0.001)


def allocate_once(scenario: Scenario, **settings: object) -> dict[str, ChargerLimit]:
    balancer = Balancer(BalancerSettings(**settings))  # type: ignore[arg-type]
    allocation = balancer.allocate(
        0.0, scenario.site, scenario.site_measured_a, scenario.chargers
    )
    assert not allocation.safety_net_used, "the allocation relied on the safety net"
    return dict(allocation.limits)


def residual_per_phase(
    scenario: Scenario, limits: dict[str, ChargerLimit]
) -> list[float]:
    baseline = fresh_baseline(
        scenario.site, scenario.site_measured_a, scenario.chargers
    )
    load = phase_load(limits, scenario.chargers, scenario.site.phases)
    return [
        scenario.site.usable_a - baseline[p] - load[p]
        for p in range(scenario.site.phases)
    ]


def rank(charger: ChargerInput) -> float:
    """Priority as the balancer serves it: EVs that are full come last."""
    if charger.state is ChargerState.EV_FULL:
        return float("-inf")
    return float(charger.priority)


def competing(
    scenario: Scenario, limits: dict[str, ChargerLimit]
) -> list[ChargerInput]:
    """Chargers that take part in sharing (not decided up front, not overloaded)."""
    return [
        c
        for c in scenario.chargers
        if c.controllable
        and c.state not in (ChargerState.NO_EV, ChargerState.FAULTED)
        and limits[c.charger_id].reason is not Reason.PAUSED_OVERLOAD
    ]


@given(scenarios())
def test_fuse_is_never_exceeded(scenario: Scenario) -> None:
    limits = allocate_once(scenario)
    baseline = fresh_baseline(
        scenario.site, scenario.site_measured_a, scenario.chargers
    )
    assert_fuse_holds(scenario.site, baseline, limits, scenario.chargers)


@given(scenarios())
def test_every_limit_is_zero_or_within_min_max(scenario: Scenario) -> None:
    limits = allocate_once(scenario)
    assert_limits_in_bounds(limits, scenario.chargers)
    for charger in scenario.chargers:
        if not charger.controllable or charger.state in (
            ChargerState.NO_EV,
            ChargerState.FAULTED,
        ):
            assert limits[charger.charger_id].current_a == 0


@given(scenarios())
def test_overload_pauses_every_charger_on_that_phase_and_only_those(
    scenario: Scenario,
) -> None:
    balancer = Balancer()
    allocation = balancer.allocate(
        0.0, scenario.site, scenario.site_measured_a, scenario.chargers
    )
    baseline = fresh_baseline(
        scenario.site, scenario.site_measured_a, scenario.chargers
    )
    overloaded = {
        p
        for p in range(scenario.site.phases)
        if baseline[p] > scenario.site.usable_a + TOLERANCE_A
    }
    assert set(allocation.overloaded_phases) == overloaded
    competing_ids = {c.charger_id for c in competing(scenario, allocation.limits)}
    for charger in scenario.chargers:
        limit = allocation.limits[charger.charger_id]
        touches = bool(overloaded & set(loaded_phases(charger)))
        if touches:
            assert limit.current_a == 0
        decided_up_front = limit.reason in (
            Reason.NO_EV,
            Reason.FAULTED,
            Reason.NOT_CONTROLLED,
        )
        if touches and not decided_up_front:
            assert limit.reason is Reason.PAUSED_OVERLOAD
        if limit.reason is Reason.PAUSED_OVERLOAD:
            assert touches, f"{charger.charger_id} paused for an overload it avoids"
            assert charger.charger_id not in competing_ids


@given(scenarios(spec=FINE_STEP))
def test_sharing_is_max_min_fair_within_a_class(scenario: Scenario) -> None:
    """An EV below its maximum sits on a full phase where no EV of its class has
    more (unless that one is at its own minimum) and no lower class has any.
    That is plain fair sharing (value_floor_ratio 1.0); the value exchange on
    top of it keeps a floor instead (test_value_share.py)."""
    limits = allocate_once(scenario, hold_s=0.0, value_floor_ratio=1.0)
    residual = residual_per_phase(scenario, limits)
    by_phase: dict[int, list[ChargerInput]] = defaultdict(list)
    for charger in competing(scenario, limits):
        for phase in set(loaded_phases(charger)):
            by_phase[phase].append(charger)
    step = FINE_STEP.step_a
    for charger in competing(scenario, limits):
        current = limits[charger.charger_id].current_a
        if current == 0 or current >= charger.max_a - step - TOLERANCE_A:
            continue
        if charger.state is ChargerState.EV_FULL:
            continue
        witnesses = []
        for phase in set(loaded_phases(charger)):
            sharing = by_phase[phase]
            full = residual[phase] <= len(sharing) * 3 * step + TOLERANCE_A
            fair = all(
                limits[other.charger_id].current_a <= current + step + TOLERANCE_A
                or limits[other.charger_id].current_a <= other.min_a + TOLERANCE_A
                for other in sharing
                if rank(other) == rank(charger)
            )
            no_lower = all(
                limits[other.charger_id].current_a == 0
                for other in sharing
                if rank(other) < rank(charger)
            )
            if full and fair and no_lower:
                witnesses.append(phase)
        assert witnesses, (
            f"{charger.charger_id} at {current:.3f} A could get more: no full phase "
            f"where it is among the largest of its class (residual {residual})"
        )


@given(scenarios())
def test_no_waiting_ev_would_fit_in_what_is_left(scenario: Scenario) -> None:
    """Work conservation: a paused EV is paused because its minimum does not fit."""
    settings = BalancerSettings(hold_s=0.0)
    limits = allocate_once(scenario, hold_s=0.0)
    residual = residual_per_phase(scenario, limits)
    for charger in competing(scenario, limits):
        limit = limits[charger.charger_id]
        if limit.current_a or not charger.wants_energy:
            continue
        need = charger.min_a + settings.resume_headroom_a
        phases = loaded_phases(charger)
        fits = all(
            residual[p] + TOLERANCE_A >= need * phases.count(p) for p in set(phases)
        )
        assert not fits, f"{charger.charger_id} waits although {need} A fits"


@given(scenarios(spec=FINE_STEP))
def test_higher_priority_is_served_first(scenario: Scenario) -> None:
    """A paused EV could not fit even if every lower class were switched off."""
    settings = BalancerSettings(hold_s=0.0)
    limits = allocate_once(scenario, hold_s=0.0)
    residual = residual_per_phase(scenario, limits)
    chargers = competing(scenario, limits)
    for charger in chargers:
        if limits[charger.charger_id].current_a or not charger.wants_energy:
            continue
        freed = list(residual)
        for other in chargers:
            if rank(other) < rank(charger):
                for phase in loaded_phases(other):
                    freed[phase] += limits[other.charger_id].current_a
        need = charger.min_a + settings.resume_headroom_a
        phases = loaded_phases(charger)
        assert not all(
            freed[p] + TOLERANCE_A >= need * phases.count(p) for p in set(phases)
        ), f"{charger.charger_id} (priority {charger.priority}) waits for lower ones"


@given(scenarios())
def test_inconsistent_baseline_is_clamped_and_flagged(scenario: Scenario) -> None:
    settings = BalancerSettings()
    allocation = Balancer(settings).allocate(
        0.0, scenario.site, scenario.site_measured_a, scenario.chargers
    )
    raw = list(scenario.site_measured_a)
    for charger in scenario.chargers:
        if charger.controllable and charger.state is ChargerState.CHARGING:
            for conductor, value in enumerate(charger.measured_a):
                raw[charger.wiring[conductor]] -= min(value, charger.max_a)
    for phase, value in enumerate(raw):
        assert allocation.baseline_a[phase] >= 0
        flagged = phase in allocation.inconsistent_phases
        assert flagged == (value < -settings.baseline_noise_a)
        if value < 0:
            assert allocation.baseline_a[phase] == 0
