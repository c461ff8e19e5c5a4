"""The queue's reservation holds back a waiting EV's need only where it is blocked."""

from __future__ import annotations

from custom_components.ev_load_balancer.balancer import (
    BalancerSettings,
    ChargerInput,
    ChargerState,
    Reason,
)
from custom_components.ev_load_balancer.balancer.candidate import Candidate
from custom_components.ev_load_balancer.balancer.memory import ChargerMemory
from custom_components.ev_load_balancer.balancer.queue import Capacities, admit

SETTINGS = BalancerSettings(rotation_s=900.0)
NOW = 1000.0


def _candidate(
    charger_id: str,
    wiring: tuple[int, ...],
    *,
    waiting_since: float | None,
    limit_a: float = 0.0,
) -> Candidate:
    charger = ChargerInput(
        charger_id=charger_id,
        wiring=wiring,
        state=ChargerState.CONNECTED,
        max_a=16.0,
    )
    memory = ChargerMemory(limit_a=limit_a, waiting_since=waiting_since)
    weights = tuple(wiring.count(phase) for phase in range(3))
    return Candidate(charger, memory, wiring, weights, 16.0, Reason.MAX_CURRENT)


def test_an_ev_beside_a_waiting_one_charges_on_a_phase_the_waiting_one_fits() -> None:
    """L1 blocks a three-phase EV that has waited a whole rotation; L3 has room
    for it and for a one-phase EV. The one-phase EV on L3 charges: holding L3
    back would not let the three-phase EV start, L1 stops it."""
    waiting = _candidate("three_phase", (0, 1, 2), waiting_since=0.0)
    beside = _candidate("l3_only", (2,), waiting_since=NOW - 10.0)
    residual = [5.0, 20.0, 11.0]
    capacity = Capacities(site_a=[20.0, 20.0, 20.0], class_a=[20.0, 20.0, 20.0])

    admission = admit([waiting, beside], residual, capacity, NOW, SETTINGS)

    assert admission.admitted == [beside]
    assert [(c.charger.charger_id, r) for c, r in admission.waiting] == [
        ("three_phase", Reason.PAUSED_QUEUE)
    ]


def test_a_waiting_ev_still_holds_back_its_need_on_the_phase_that_blocks_it() -> None:
    """Starvation guard: a charging EV behind the waiting one does not keep
    L1, where the waiting one is short, although it would fit there alone."""
    waiting = _candidate("three_phase", (0, 1, 2), waiting_since=0.0)
    behind = _candidate("l1_only", (0,), waiting_since=None, limit_a=8.0)
    residual = [6.5, 20.0, 20.0]
    capacity = Capacities(site_a=[20.0, 20.0, 20.0], class_a=[20.0, 20.0, 20.0])

    admission = admit([waiting, behind], residual, capacity, NOW, SETTINGS)

    assert admission.admitted == []
    assert [c.charger.charger_id for c, _ in admission.waiting] == [
        "three_phase",
        "l1_only",
    ]
