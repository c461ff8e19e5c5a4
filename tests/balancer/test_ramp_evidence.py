"""An unconfirmed raise is credited only as far as the site meter shows the
EV's ramp (balancer/ramp_evidence.py).

Found by the simulator running every tick (63A-workplace): while a raise was
unconfirmed, a building load that started in those seconds hid under the
EV's credit, and limits went 6 A above the fuse. Each test raises an EV, then
lets the meter read before the charger reports, and checks the building
estimate against what the building really draws.
"""

from __future__ import annotations

from custom_components.ev_load_balancer.balancer import (
    Allocation,
    Balancer,
    BalancerSettings,
    ChargerInput,
    ChargerState,
    Rotation,
)

from .one_ev import SITE, charging


def _raised_by_four(balancer: Balancer) -> None:
    """The EV at 10 A with the building at 50 A, then raised to 14 A as the
    building falls to 40 A."""
    first = balancer.allocate(0.0, SITE, (56.0,) * 3, [charging(6.0, 0.0)])
    assert first.limits["cp"].current_a == 10.0
    raised = balancer.allocate(
        60.0, SITE, (50.0,) * 3, [charging(10.0, 59.0)], site_measured_at=60.0
    )
    assert raised.limits["cp"].current_a == 14.0


def test_a_building_rise_on_one_phase_does_not_hide_under_a_raise() -> None:
    """The EV draws on all three phases; the meter after the raise rises by
    9 A on L1 only (a coffee machine), the EV has not ramped yet. Crediting
    the raise would read L1's building as 45 A; it draws 49 A."""
    balancer = Balancer(BalancerSettings(baseline_hold_s=0.0))
    _raised_by_four(balancer)
    later = balancer.allocate(
        63.0, SITE, (59.0, 50.0, 50.0), [charging(10.0, 59.0)], site_measured_at=63.0
    )
    assert later.baseline_a == (49.0, 40.0, 40.0)
    assert later.limits["cp"].current_a <= SITE.usable_a - 49.0


def test_a_ramp_is_credited_when_one_phase_of_the_building_falls() -> None:
    """The other side: the EV has ramped, its reading lags, and L2's building
    falls by 5 A at the same moment. The median of its phases shows the ramp;
    the EV is not cut for it."""
    balancer = Balancer(BalancerSettings(baseline_hold_s=0.0))
    _raised_by_four(balancer)
    later = balancer.allocate(
        63.0, SITE, (54.0, 49.0, 54.0), [charging(10.0, 59.0)], site_measured_at=63.0
    )
    assert later.baseline_a == (40.0, 35.0, 40.0)
    assert later.limits["cp"].current_a >= 14.0


def _ev(name: str, draw_a: float, taken_at: float, phases: int = 3) -> ChargerInput:
    return ChargerInput(
        charger_id=name,
        wiring=Rotation.L1L2L3.wiring,
        state=ChargerState.CHARGING if draw_a else ChargerState.CONNECTED,
        max_a=16.0,
        measured_a=tuple(draw_a if i < phases else 0.0 for i in range(3)),
        measured_at=taken_at,
    )


def test_two_evs_raised_together_share_the_rise_the_meter_shows() -> None:
    """Both raised by 4 A, only one has ramped when the meter reads: the
    building is read right (crediting both raises would read it 4 A low)."""
    balancer = Balancer(BalancerSettings(baseline_hold_s=0.0))

    def both(
        moment: float, site_a: float, draw_a: float, taken_at: float
    ) -> Allocation:
        evs = [_ev(name, draw_a, taken_at) for name in "ab"]
        return balancer.allocate(
            moment, SITE, (site_a,) * 3, evs, site_measured_at=moment
        )

    first = both(0.0, 48.0, 6.0, 0.0)
    assert [first.limits[n].current_a for n in "ab"] == [12.0, 12.0]
    raised = both(60.0, 52.0, 12.0, 59.0)
    assert [raised.limits[n].current_a for n in "ab"] == [16.0, 16.0]
    # A has ramped to 16 A, B not yet; both readings are from before.
    assert both(63.0, 56.0, 12.0, 59.0).baseline_a == (28.0, 28.0, 28.0)


def _started(balancer: Balancer) -> float:
    """An EV of unknown phases waits while the building takes all, then is
    started as the building falls to 45 A; its start limit."""
    waiting = balancer.allocate(0.0, SITE, (60.0,) * 3, [_ev("new", 0.0, 0.0)])
    assert waiting.limits["new"].current_a == 0.0
    started = balancer.allocate(
        60.0, SITE, (45.0,) * 3, [_ev("new", 0.0, 59.0)], site_measured_at=60.0
    )
    start_a = started.limits["new"].current_a
    assert start_a >= 9.0
    return start_a


def test_a_start_of_unknown_phases_is_credited_where_the_meter_rose() -> None:
    """The EV turns out to draw on one phase: its ramp shows on L1 only and is
    credited there; crediting it on all three would hide as much building
    load on L2 and L3."""
    balancer = Balancer(BalancerSettings(baseline_hold_s=0.0))
    start_a = _started(balancer)
    later = balancer.allocate(
        63.0,
        SITE,
        (45.0 + start_a, 45.0, 45.0),
        [_ev("new", 0.0, 59.0)],
        site_measured_at=63.0,
    )
    assert later.baseline_a == (45.0, 45.0, 45.0)


def test_a_rise_on_a_later_conductor_alone_is_not_an_evs_ramp() -> None:
    """An EV loads its connector's first conductor before the others: a rise
    on L2 alone (the charger's second conductor) is the building's."""
    balancer = Balancer(BalancerSettings(baseline_hold_s=0.0))
    _started(balancer)
    later = balancer.allocate(
        63.0,
        SITE,
        (45.0, 54.0, 45.0),
        [_ev("new", 0.0, 59.0)],
        site_measured_at=63.0,
    )
    assert later.baseline_a == (45.0, 54.0, 45.0)


def _power_only(draw_a: float, taken_at: float) -> ChargerInput:
    """A charger that reports power only: what certainly flows is on its first
    conductor, and every wired phase is reserved (as the loop builds it)."""
    return ChargerInput(
        charger_id="cp",
        wiring=Rotation.L1L2L3.wiring,
        state=ChargerState.CHARGING,
        max_a=16.0,
        measured_a=(draw_a, 0.0, 0.0),
        measured_at=taken_at,
        ev_phases=3,
    )


def test_a_power_only_chargers_one_phase_ramp_is_credited_where_it_shows() -> None:
    """A 1-phase EV on a charger that reports power only is reserved on all
    three phases but seen on one: its ramp on L1 is its own (taking the
    median of three phases would read it as 4 A of building load)."""
    balancer = Balancer(BalancerSettings(baseline_hold_s=0.0))
    first = balancer.allocate(0.0, SITE, (56.0, 50.0, 50.0), [_power_only(6.0, 0.0)])
    assert first.limits["cp"].current_a == 10.0
    raised = balancer.allocate(
        60.0, SITE, (50.0, 40.0, 40.0), [_power_only(10.0, 59.0)], site_measured_at=60.0
    )
    assert raised.limits["cp"].current_a == 14.0
    later = balancer.allocate(
        63.0, SITE, (54.0, 40.0, 40.0), [_power_only(10.0, 59.0)], site_measured_at=63.0
    )
    assert later.baseline_a == (40.0, 40.0, 40.0)


def test_a_raise_cut_below_its_base_before_the_meter_read_is_not_judged() -> None:
    """Raised from 10 A to 14 A, then cut to 8 A before the meter read, the
    charger reading 9 A from before: the raise credits less than the reading
    would (nothing of it is left to show). Found while writing the rule: an
    empty median stopped the round."""
    balancer = Balancer(BalancerSettings(baseline_hold_s=0.0))
    _raised_by_four(balancer)
    cut = balancer.allocate(
        62.0, SITE, (66.0,) * 3, [charging(9.0, 61.0)], site_measured_at=62.0
    )
    assert cut.limits["cp"].current_a < 10.0
    later = balancer.allocate(
        64.0, SITE, (66.0,) * 3, [charging(9.0, 61.0)], site_measured_at=64.0
    )
    room = max(0.0, SITE.usable_a - later.baseline_a[0])
    assert later.limits["cp"].current_a <= room
