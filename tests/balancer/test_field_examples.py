"""Worked examples from the field, with numbers a site owner can check by hand."""

from __future__ import annotations

from dataclasses import replace

from custom_components.ev_load_balancer.balancer import (
    Balancer,
    BalancerSettings,
    ChargerInput,
    ChargerState,
    Reason,
    Rotation,
    Site,
)

from .closed_loop import ClosedLoop, SimulatedEv

ROTATIONS = list(Rotation)


def garage(count: int, *, max_a: float = 16.0) -> list[SimulatedEv]:
    """Three-phase chargers with rotated wiring, as an electrician spreads them."""
    return [
        SimulatedEv(
            ChargerInput(
                charger_id=f"cp{i:02}",
                wiring=ROTATIONS[i % 3].wiring,
                state=ChargerState.NO_EV,
                max_a=max_a,
            ),
            ev_max_a=max_a,
        )
        for i in range(count)
    ]


def plug_in(evs: list[SimulatedEv], count: int) -> None:
    for ev in evs[:count]:
        if ev.charger.state is ChargerState.NO_EV:
            ev.charger = replace(ev.charger, state=ChargerState.CONNECTED)


def test_63a_garage_with_20_chargers_4_then_12_charging() -> None:
    """63 A fuse, 3 A margin, 25 A for the flats: 35 A per phase for the EVs."""
    site = Site(phases=3, fuse_a=63.0, margin_a=3.0)
    evs = garage(20)
    loop = ClosedLoop(site, Balancer(BalancerSettings(hold_s=30.0)), evs, [25.0] * 3)

    plug_in(evs, 4)
    allocation = loop.step(1.0)
    charging = [
        limit.current_a for limit in allocation.limits.values() if limit.current_a
    ]
    assert charging == [8.7] * 4  # 35 A / 4, rounded down to 0.1 A
    assert allocation.queue == ()
    assert all(
        allocation.limits[ev.charger.charger_id].reason is Reason.NO_EV
        for ev in evs[4:]
    )

    plug_in(evs, 12)
    allocation = loop.step(1.0)
    # The four running drop to 6 A at once; one more fits with its 1 A headroom.
    running = [ev for ev in evs if allocation.limits[ev.charger.charger_id].current_a]
    assert len(running) == 5
    assert len(allocation.queue) == 7
    assert max(allocation.allocated_a) <= 35.0
    assert (
        sum(allocation.limits[ev.charger.charger_id].current_a for ev in running)
        == 35.0
    )

    served = set()
    for _ in range(12 * 60):  # two hours in 10 s steps
        allocation = loop.step(10.0)
        assert (
            max(loop.baseline_a[p] + allocation.allocated_a[p] for p in range(3))
            <= 60.0
        )
        served |= {ev.charger.charger_id for ev in evs if ev.draw_a}
    assert served == {ev.charger.charger_id for ev in evs[:12]}, "someone never charged"


def test_100a_static_shares_waste_what_dynamic_sharing_delivers() -> None:
    """100 A fuse, 4 x 32 A chargers. A static installer setting must assume the
    flats' evening peak (40 A): (100 - 40) / 4 = 15 A each, whatever happens."""
    site = Site(phases=3, fuse_a=100.0, margin_a=2.0)
    evening = [10.0, 15.0, 25.0, 40.0, 35.0, 20.0, 12.0, 10.0]  # A per phase, hourly
    static_share_a = (100.0 - max(evening)) / 4

    def run(dynamic: bool, plugged: int) -> tuple[float, float]:
        evs = garage(4, max_a=32.0)
        plug_in(evs, plugged)
        loop = ClosedLoop(site, Balancer(), evs, [evening[0]] * 3)
        energy_ah = peak = 0.0
        for hour_load in evening:
            loop.baseline_a = [hour_load] * 3
            for _ in range(60):
                if dynamic:
                    loop.step(60.0)
                else:
                    for ev in evs[:plugged]:
                        ev.follow(static_share_a)
                draw = sum(ev.draw_a for ev in evs)
                energy_ah += draw / 60.0
                peak = max(peak, hour_load + draw)
        return energy_ah, peak

    for plugged in (1, 2, 4):
        static_energy, static_peak = run(dynamic=False, plugged=plugged)
        dynamic_energy, dynamic_peak = run(dynamic=True, plugged=plugged)
        assert dynamic_peak <= site.usable_a
        assert static_peak <= 100.0
        assert dynamic_energy > static_energy
    # With fewer EVs the gain is largest: each takes its full 32 A.
    one_static, _ = run(dynamic=False, plugged=1)
    one_dynamic, _ = run(dynamic=True, plugged=1)
    assert one_dynamic >= 2 * one_static


def test_single_phase_ev_on_l1_keeps_charging_through_an_l3_overload() -> None:
    site = Site(phases=3, fuse_a=63.0, margin_a=3.0)
    l1l2l3 = Rotation.L1L2L3.wiring
    chargers = [
        # A 3-phase charger with a 1-phase EV: it draws on its L1 = site L1 only.
        ChargerInput(
            charger_id="one_phase_ev",
            wiring=l1l2l3,
            state=ChargerState.CHARGING,
            measured_a=(16.0, 0.0, 0.0),
        ),
        ChargerInput(
            charger_id="three_phase_ev",
            wiring=l1l2l3,
            state=ChargerState.CHARGING,
            measured_a=(16.0, 16.0, 16.0),
        ),
        ChargerInput(
            charger_id="single_phase_on_l3",
            wiring=(2,),
            state=ChargerState.CHARGING,
            measured_a=(10.0,),
        ),
        ChargerInput(
            charger_id="single_phase_on_l2",
            wiring=(1,),
            state=ChargerState.CHARGING,
            measured_a=(10.0,),
        ),
    ]
    # Flats: 20 A on L1, 15 A on L2, 70 A on L3 (a sauna and an oven on L3).
    measured = (20.0 + 32.0, 15.0 + 16.0 + 10.0, 70.0 + 16.0 + 10.0)
    allocation = Balancer().allocate(0.0, site, measured, chargers)

    assert allocation.overloaded_phases == (2,)
    limits = allocation.limits
    assert limits["one_phase_ev"].current_a > 0
    assert limits["one_phase_ev"].load_phases == (0,)
    assert limits["single_phase_on_l2"].current_a > 0
    assert limits["three_phase_ev"].current_a == 0
    assert limits["three_phase_ev"].reason is Reason.PAUSED_OVERLOAD
    assert limits["single_phase_on_l3"].current_a == 0
    assert limits["single_phase_on_l3"].reason is Reason.PAUSED_OVERLOAD
