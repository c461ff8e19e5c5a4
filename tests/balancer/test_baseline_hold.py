"""The held baseline (balancer/baseline.py PeakHold) does not depend on how
often rounds run: an estimate stands until the next round replaces it."""

from __future__ import annotations

from dataclasses import replace

from custom_components.ev_load_balancer.balancer import (
    Balancer,
    BalancerSettings,
    ChargerInput,
    ChargerState,
    Circuit,
    CircuitReading,
    Rotation,
)
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


def test_a_sample_that_cannot_be_low_ends_the_hold() -> None:
    hold = PeakHold(window_s=5.0)
    hold.update(0.0, (40.0,))
    assert hold.update(1.0, (8.0,)) == (40.0,)
    assert hold.update(2.0, (8.0,), upper_bound=True) == (8.0,)
    # The hold starts again from there: the 40 A before it is gone for good.
    assert hold.update(3.0, (9.0,)) == (9.0,)
    assert hold.update(4.0, (7.0,)) == (9.0,)


def waiting(charger_id: str) -> ChargerInput:
    """An EV plugged in and waiting for current, drawing nothing."""
    return ChargerInput(
        charger_id=charger_id,
        wiring=Rotation.L1L2L3.wiring,
        state=ChargerState.CONNECTED,
        max_a=16.0,
        measured_a=(0.0,) * 3,
        measured_at=0.0,
    )


def test_evs_that_wait_get_capacity_the_building_frees_at_the_next_round() -> None:
    """Issue 11: twenty EVs at 0 A sat idle for seconds while the building
    had stepped down. With no EV load subtracted, the estimate is the meter
    itself, at least the building's load: nothing to hold."""
    balancer = Balancer(BalancerSettings())
    evs = [waiting(f"cp{i}") for i in range(3)]
    full = balancer.allocate(0.0, SITE, (60.0,) * 3, evs, site_measured_at=0.0)
    assert all(limit.current_a == 0 for limit in full.limits.values())
    freed = balancer.allocate(2.0, SITE, (28.0,) * 3, evs, site_measured_at=2.0)
    assert freed.baseline_a == (28.0, 28.0, 28.0)
    assert all(limit.current_a >= 6.0 for limit in freed.limits.values())


def test_the_hold_still_covers_an_ev_whose_reading_lags_the_meter() -> None:
    """The other side: with an EV's draw subtracted, a drop the meter shows
    first may be the EV's own, and the old estimate is still held."""
    balancer = Balancer(BalancerSettings())
    evs = [charging(16.0, 0.0), waiting("other")]
    balancer.allocate(0.0, SITE, (36.0,) * 3, evs, site_measured_at=0.0)
    dropped = balancer.allocate(
        2.0,
        SITE,
        (26.0,) * 3,
        [charging(16.0, 0.0), waiting("other")],
        site_measured_at=2.0,
    )
    assert dropped.baseline_a == (20.0, 20.0, 20.0)


def test_a_metered_circuit_frees_its_capacity_at_the_next_round_too() -> None:
    """The same rule under a sub-board's fuse: its meter, with no EV load
    subtracted, cannot read its own load low."""
    board = Circuit(
        circuit_id="board", parent_phases=(0, 1, 2), rating_a=35.0, metered=True
    )
    site = replace(SITE, circuits=(board,))
    evs = [replace(waiting(f"cp{i}"), circuit_id="board") for i in range(2)]
    balancer = Balancer(BalancerSettings())
    busy = {"board": CircuitReading(current_a=(34.0,) * 3, measured_at=0.0)}
    balancer.allocate(
        0.0, site, (40.0,) * 3, evs, site_measured_at=0.0, circuit_readings=busy
    )
    quiet = {"board": CircuitReading(current_a=(10.0,) * 3, measured_at=2.0)}
    freed = balancer.allocate(
        2.0, site, (16.0,) * 3, evs, site_measured_at=2.0, circuit_readings=quiet
    )
    assert all(limit.current_a >= 6.0 for limit in freed.limits.values())
