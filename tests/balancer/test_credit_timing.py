"""Which draw a charger is credited with when meter and charger readings are
taken at different moments (balancer/credit.py)."""

from __future__ import annotations

from dataclasses import replace

from custom_components.ev_load_balancer.balancer import Balancer, BalancerSettings

from .one_ev import SITE, charging


def test_a_meter_reading_from_before_a_raise_is_set_against_the_old_draw() -> None:
    """Found by the simulator (63A-workplace): a round that ran on a charger
    report after a raise, with the meter's reading still from before it,
    credited the EV with its new limit. That took the raise out of the
    building's load (14 A read as 3.6 A) and limits went 4 A above the fuse
    when the building rose."""
    # No peak hold: the estimate of this one round is what the EVs get.
    balancer = Balancer(BalancerSettings(baseline_hold_s=0.0))
    # The building draws 50 A: the EV gets the 10 A left.
    first = balancer.allocate(0.0, SITE, (56.0,) * 3, [charging(6.0, 0.0)])
    assert first.limits["cp"].current_a == 10.0
    # 60 s later the building is down to 20 A: raised (by a ramp step).
    raised = balancer.allocate(
        60.0, SITE, (30.0,) * 3, [charging(10.0, 59.0)], site_measured_at=60.0
    )
    assert raised.limits["cp"].current_a == 14.0
    # A charger report 2 s later; the meter's reading is still the one of 60 s,
    # which holds the EV's 10 A (as does its reading of that time).
    report_round = balancer.allocate(
        62.0, SITE, (30.0,) * 3, [charging(10.0, 59.0)], site_measured_at=60.0
    )
    assert report_round.baseline_a == (20.0, 20.0, 20.0)


def test_a_meter_reading_after_a_raise_credits_the_ramp_to_the_ev() -> None:
    """The other side: the meter already shows the EV's ramp while the
    charger's reading is from before it; that ramp is not the building's."""
    balancer = Balancer(BalancerSettings(baseline_hold_s=0.0))
    balancer.allocate(0.0, SITE, (56.0,) * 3, [charging(6.0, 0.0)])
    balancer.allocate(
        60.0, SITE, (30.0,) * 3, [charging(10.0, 59.0)], site_measured_at=60.0
    )
    # The meter at 63 s sees the EV at 14 A; the charger still says 10 A.
    later = balancer.allocate(
        63.0, SITE, (34.0,) * 3, [charging(10.0, 59.0)], site_measured_at=63.0
    )
    assert later.baseline_a == (20.0, 20.0, 20.0)


def test_a_raise_is_credited_up_to_the_raise_not_the_whole_new_limit() -> None:
    """Found by the simulator (63A-workplace): an EV drawing 6.3 A of 11.3 A
    was raised to 13.3 A and credited with all of it while its reading lagged;
    7 A of building load went unseen and limits went 4 A above the fuse when
    the building rose. What it can have ramped by is the raise."""
    balancer = Balancer(BalancerSettings(baseline_hold_s=0.0))
    # The building draws 50 A: the EV gets the 10 A left.
    first = balancer.allocate(0.0, SITE, (56.0,) * 3, [charging(6.0, 0.0)])
    assert first.limits["cp"].current_a == 10.0
    # The building falls to 40 A; the EV draws 8 A of its 10 A by itself.
    # It is raised by a ramp step.
    raised = balancer.allocate(
        60.0, SITE, (48.0,) * 3, [charging(8.0, 59.0)], site_measured_at=60.0
    )
    assert raised.limits["cp"].current_a == 14.0
    # The meter after the raise rises by 6 A; the charger's reading is from
    # before. At most the 4 A raise is the EV's ramp: 2 A is the building's
    # (crediting all 14 A would read the building as 40 A).
    later = balancer.allocate(
        63.0, SITE, (54.0,) * 3, [charging(8.0, 59.0)], site_measured_at=63.0
    )
    assert later.baseline_a == (42.0, 42.0, 42.0)


def test_a_meter_reading_after_a_cut_takes_the_ev_to_have_followed() -> None:
    """Found by the simulator (63A-winter-evening): after a queue rotation cut
    one EV, a meter reading 4 s later was set against that EV's old draw
    although it had followed; a 4.4 A rise of the building went unseen and
    limits went above the fuse. Sharing takes it to have followed."""
    balancer = Balancer(BalancerSettings(baseline_hold_s=0.0))
    balancer.allocate(0.0, SITE, (50.0,) * 3, [charging(10.0, 0.0)])
    # The building rises to 52 A: the EV is cut to the 8 A left.
    cut = balancer.allocate(
        60.0, SITE, (62.0,) * 3, [charging(10.0, 59.0)], site_measured_at=60.0
    )
    assert cut.limits["cp"].current_a == 8.0
    # 3 s later the meter shows the EV at 8 A and the building at 54 A; the
    # charger's reading is still the one from before the cut.
    later = balancer.allocate(
        63.0, SITE, (62.0,) * 3, [charging(10.0, 59.0)], site_measured_at=63.0
    )
    assert later.baseline_a == (54.0, 54.0, 54.0)
    assert later.limits["cp"].current_a == 6.0
    # Not a building overload: the building alone is within the fuse.
    assert not later.overloaded_phases


def test_the_raise_window_counts_on_the_meters_clock_not_the_rounds() -> None:
    """Found by running every 2 s tick (as Home Assistant does): a round 16 s
    after a raise, still on the meter's reading of 8 s after it, let the
    raise's credit lapse. The meter held the EV's ramp, the charger's reading
    of that moment did not: the ramp read as building load and the EV was
    cut, raised again after the hold, and cut again, every 50 s."""
    balancer = _ramp_seen_at_68(building_a=20.0)
    # A tick 16 s after the raise, nothing new read.
    tick = balancer.allocate(
        76.0, SITE, (34.0,) * 3, [charging(10.0, 64.0)], site_measured_at=68.0
    )
    assert tick.baseline_a == (20.0, 20.0, 20.0)
    assert tick.limits["cp"].current_a >= 14.0


def test_a_cut_after_the_meter_read_does_not_shrink_the_ramp_it_saw() -> None:
    """Found the same way: the queue cut a raised EV after the meter had read
    its ramp; the raise was then credited only up to the cut limit, the rest
    of the ramp read as the building's, and the next tick cut every EV."""
    balancer = _ramp_seen_at_68(building_a=40.0)
    capped = replace(charging(10.0, 64.0), max_a=11.0)
    cut = balancer.allocate(70.0, SITE, (54.0,) * 3, [capped], site_measured_at=68.0)
    assert cut.limits["cp"].current_a == 11.0
    # The meter's reading of 68 s was taken under the 14 A limit.
    tick = balancer.allocate(72.0, SITE, (54.0,) * 3, [capped], site_measured_at=68.0)
    assert tick.baseline_a == (40.0, 40.0, 40.0)


def _ramp_seen_at_68(building_a: float) -> Balancer:
    """The EV at 10 A is raised to 14 A at 60 s, when the building falls to
    `building_a`; the meter at 68 s sees it at 14 A, the charger's reading of
    that moment (64 s) still at 10 A."""
    balancer = Balancer(BalancerSettings(baseline_hold_s=0.0))
    balancer.allocate(0.0, SITE, (56.0,) * 3, [charging(6.0, 0.0)])
    raised = balancer.allocate(
        60.0,
        SITE,
        (building_a + 10.0,) * 3,
        [charging(10.0, 59.0)],
        site_measured_at=60.0,
    )
    assert raised.limits["cp"].current_a == 14.0
    balancer.allocate(
        68.0,
        SITE,
        (building_a + 14.0,) * 3,
        [charging(10.0, 64.0)],
        site_measured_at=68.0,
    )
    return balancer
