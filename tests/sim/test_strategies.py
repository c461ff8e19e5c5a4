"""The strategies compared with ours: static shares, first come first served."""

from __future__ import annotations

from custom_components.ev_load_balancer.balancer import (
    ChargerInput,
    ChargerState,
    Rotation,
    Site,
)
from custom_components.ev_load_balancer.sizing import ChargerSpec
from evlb_sim.offline.strategies import (
    FirstComeFirstServed,
    NoControl,
    StaticPlan,
    StaticShares,
    static_plan,
)

SITE = Site(phases=3, fuse_a=63.0, margin_a=3.0)


def charger(name: str, state: ChargerState, measured: float = 0.0) -> ChargerInput:
    return ChargerInput(
        charger_id=name,
        wiring=Rotation.L1L2L3.wiring,
        state=state,
        max_a=16.0,
        measured_a=(measured,) * 3,
    )


def test_static_share_divides_the_budget_by_the_chargers_on_each_phase() -> None:
    chargers = [
        ChargerSpec(charger_id="a", wiring=(0, 1, 2)),
        ChargerSpec(charger_id="b", wiring=(1, 2, 0)),
        ChargerSpec(charger_id="c", wiring=(0,)),
    ]
    # L1 carries three chargers, L2 and L3 two: 30 A / 3.
    assert static_plan(chargers, (30.0, 30.0, 30.0)) == StaticPlan(
        10.0, frozenset({"a", "b", "c"})
    )
    # 17 A / 3 = 5.7 A < 6 A: the installer leaves the third charger off.
    assert static_plan(chargers, (17.0, 40.0, 40.0)) == StaticPlan(
        8.5, frozenset({"a", "b"})
    )


def test_static_enables_only_chargers_that_get_their_minimum() -> None:
    chargers = [ChargerSpec(charger_id=f"cp{i}", wiring=(0, 1, 2)) for i in range(10)]
    plan = static_plan(chargers, (40.0, 40.0, 40.0))
    assert plan == StaticPlan(6.6, frozenset(f"cp{i}" for i in range(6)))
    assert static_plan(chargers, (5.0, 40.0, 40.0)) == StaticPlan(0.0, frozenset())
    assert static_plan(chargers, (400.0, 400.0, 400.0)).share_a == 32.0


def test_static_gives_enabled_chargers_the_share_capped_at_their_maximum() -> None:
    plan = StaticPlan(20.0, frozenset({"a"}))
    readings = [
        charger("a", ChargerState.CONNECTED),
        charger("b", ChargerState.CONNECTED),
    ]
    limits = StaticShares(plan).allocate(0.0, SITE, (0.0,) * 3, readings)
    assert limits == {"a": 16.0, "b": 0.0}


def test_no_control_offers_every_maximum() -> None:
    limits = NoControl().allocate(
        0.0, SITE, (100.0,) * 3, [charger("a", ChargerState.CHARGING, 16.0)]
    )
    assert limits == {"a": 16.0}


def test_first_come_takes_what_it_wants_and_the_last_waits() -> None:
    fcfs = FirstComeFirstServed()
    site_reading = (20.0,) * 3  # no EV drawing yet: 40 A left for EVs
    first = [charger("a", ChargerState.CONNECTED)]
    assert fcfs.allocate(0.0, SITE, site_reading, first) == {"a": 16.0}
    both = [*first, charger("b", ChargerState.CONNECTED)]
    assert fcfs.allocate(1.0, SITE, site_reading, both) == {"a": 16.0, "b": 16.0}
    three = [*both, charger("c", ChargerState.CONNECTED)]
    limits = fcfs.allocate(2.0, SITE, site_reading, three)
    assert limits == {"a": 16.0, "b": 16.0, "c": 8.0}
    four = [*three, charger("d", ChargerState.CONNECTED)]
    assert fcfs.allocate(3.0, SITE, site_reading, four)["d"] == 0.0  # < 6 A left


def test_first_come_learns_a_car_that_tops_out_below_its_limit() -> None:
    fcfs = FirstComeFirstServed()
    site_reading = (30.0,) * 3
    fcfs.allocate(0.0, SITE, site_reading, [charger("a", ChargerState.CONNECTED)])
    # The car draws 10 A of its 16 A: it wants 11 A from now on.
    limits = fcfs.allocate(
        10.0, SITE, (40.0,) * 3, [charger("a", ChargerState.CHARGING, 10.0)]
    )
    assert limits == {"a": 11.0}
