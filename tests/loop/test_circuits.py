"""The loop carries the circuit tree: a sub-board's meter, its failsafe alone."""

from __future__ import annotations

from dataclasses import replace

from custom_components.ev_load_balancer.balancer import Circuit, Reason
from custom_components.ev_load_balancer.loop import (
    ControlLoop,
    LoopConfig,
    MeterInput,
    SiteRuntime,
)
from custom_components.ev_load_balancer.meter.base import MeterReading

from .helpers import at, charging, complete, config

BOARD = Circuit(
    circuit_id="board",
    parent_phases=(0, 1, 2),
    rating_a=20.0,
    margin_a=1.0,
    metered=True,
    reserve_a=2.0,
    stale_after_s=30.0,
)


def _config() -> LoopConfig:
    """A 40 A main fuse; cp1 and cp2 on a 20 A sub-board, cp3 on the main."""
    base = config(3, fuse_a=40.0, margin_a=0.0, circuits=(BOARD,))
    chargers = tuple(
        replace(c, circuit_id="board") if c.charger_id != "cp3" else c
        for c in base.chargers
    )
    return replace(base, chargers=chargers)


def _board(now: float, amps: float) -> dict[str, MeterInput]:
    return {
        "board": MeterInput(
            reading=MeterReading(current_a=(amps,) * 3, received_at=now)
        )
    }


def _site(now: float, amps: float) -> MeterInput:
    return MeterInput(reading=MeterReading(current_a=(amps,) * 3, received_at=now))


def test_the_sub_board_fuse_binds_and_its_stale_meter_fails_safe_alone() -> None:
    loop = ControlLoop(_config(), SiteRuntime(), now=0.0)
    reports = {cid: charging(0.0, 0.0) for cid in ("cp1", "cp2", "cp3")}
    # The board's own load: 5 A; the building elsewhere: 5 A more.
    result = loop.run_round(at(0.0), _site(0.0, 10.0), reports, _board(0.0, 5.0))
    complete(loop, result, 0.0)
    allocation = result.allocation
    assert allocation is not None
    limits = allocation.limits
    # 20 - 1 margin - 5 = 14 A for the two on the board; cp3 takes its max.
    assert limits["cp1"].current_a + limits["cp2"].current_a <= 14.0
    assert limits["cp1"].current_a == limits["cp2"].current_a == 7.0
    assert limits["cp3"].current_a == 16.0
    board = allocation.circuits["board"]
    assert board.baseline_a == (5.0, 5.0, 5.0)
    assert not board.failsafe

    # The board's meter stops; the site's goes on. After the stale time the
    # board's chargers share 20 - 1 - 2 (reserve) within what they had,
    # and cp3 keeps balancing on the main meter.
    now = 0.0
    for _ in range(8):
        now += 5.0
        reports = {
            "cp1": charging(now, limits["cp1"].current_a),
            "cp2": charging(now, limits["cp2"].current_a),
            "cp3": charging(now, limits["cp3"].current_a),
        }
        site_amps = 10.0 + 2 * 7.0 + 16.0
        result = loop.run_round(
            at(now), _site(now, site_amps), reports, _board(0.0, 19.0)
        )
        complete(loop, result, now)
    allocation = result.allocation
    assert allocation is not None
    assert not allocation.failsafe
    assert allocation.circuits["board"].failsafe
    assert loop.circuit_problems == {"board": "stale"}
    assert allocation.limits["cp1"].reason is Reason.FAILSAFE
    assert allocation.limits["cp2"].reason is Reason.FAILSAFE
    assert allocation.limits["cp1"].current_a <= 7.0
    assert allocation.limits["cp3"].reason is not Reason.FAILSAFE
    assert allocation.limits["cp3"].current_a > 0

    # Back: the board balances on its meter again.
    now += 5.0
    result = loop.run_round(
        at(now), _site(now, site_amps), reports, _board(now, 5.0 + 14.0)
    )
    allocation = result.allocation
    assert allocation is not None
    assert not allocation.circuits["board"].failsafe
    assert loop.circuit_problems == {}
    assert allocation.limits["cp1"].reason is not Reason.FAILSAFE


def test_a_board_meter_never_given_fails_safe_from_the_first_round() -> None:
    loop = ControlLoop(_config(), SiteRuntime(), now=0.0)
    reports = {cid: charging(0.0, 0.0) for cid in ("cp1", "cp2", "cp3")}
    result = loop.run_round(at(0.0), _site(0.0, 10.0), reports)
    allocation = result.allocation
    assert allocation is not None
    assert loop.circuit_problems == {"board": "no meter"}
    # 20 - 1 - 2 = 17 A for the board: 8.5 A each at most.
    board_load = allocation.limits["cp1"].current_a + allocation.limits["cp2"].current_a
    assert 0 < board_load <= 17.0
    # cp3 on the main fuse shares what the main meter leaves: 40 - 10.
    assert allocation.limits["cp3"].current_a == min(16.0, 30.0 - board_load)
