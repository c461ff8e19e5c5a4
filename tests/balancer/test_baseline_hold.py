"""The held baseline (balancer/baseline.py PeakHold) does not depend on how
often rounds run: an estimate stands until the next round replaces it."""

from __future__ import annotations

from custom_components.ev_load_balancer.balancer import Balancer, BalancerSettings
from custom_components.ev_load_balancer.balancer.baseline import PeakHold

from .one_ev import SITE, charging


def test_the_estimate_in_force_when_the_window_opened_is_held() -> None:
    hold = PeakHold(window_s=5.0)
    assert hold.update(0.0, (12.0,)) == (12.0,)
    # Ten seconds without a round: 12 A stood until now, so it is held.
    assert hold.update(10.0, (11.0,)) == (12.0,)
    assert hold.update(14.9, (11.0,)) == (12.0,)
    # Five seconds after it was replaced, it is let go.
    assert hold.update(15.0, (11.0,)) == (11.0,)


def test_a_zero_window_holds_nothing() -> None:
    hold = PeakHold(window_s=0.0)
    hold.update(0.0, (12.0,))
    assert hold.update(10.0, (11.0,)) == (11.0,)


def test_an_ev_seen_stepping_down_by_the_meter_first_does_not_lower_the_baseline() -> (
    None
):
    """Found by the simulator (63A-workplace): an EV tapering by a step, the
    meter's next reading shows it before the charger's report does, and the
    round on that reading took the EV's old draw out of a site that no
    longer carried it: the building read 0.7-2.5 A low, and limits went that
    far above the fuse minus the margin. Rounds had been sparse (a settled
    site), so the hold had no earlier estimate left to hold."""
    balancer = Balancer(BalancerSettings())
    # The building draws 20 A, the EV 16 A.
    first = balancer.allocate(
        0.0, SITE, (36.0,) * 3, [charging(16.0, 0.0)], site_measured_at=0.0
    )
    assert first.baseline_a == (20.0, 20.0, 20.0)
    # 20 s later the EV has stepped down to 12 A; the meter shows it, the
    # charger's report (taken at 17 s) does not yet.
    tapered = balancer.allocate(
        20.0, SITE, (32.0,) * 3, [charging(16.0, 17.0)], site_measured_at=20.0
    )
    assert tapered.baseline_a == (20.0, 20.0, 20.0)
    # The report catches up: the building is what it was all along.
    caught_up = balancer.allocate(
        22.0, SITE, (32.0,) * 3, [charging(12.0, 22.0)], site_measured_at=20.0
    )
    assert caught_up.baseline_a == (20.0, 20.0, 20.0)
