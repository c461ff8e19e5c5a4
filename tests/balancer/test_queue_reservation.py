"""The queue: a waiting EV holds back its need only where it is blocked, and with
the departure strategy an EV that loads more conductors may take a place."""

from __future__ import annotations

from custom_components.ev_load_balancer.balancer import (
    BalancerSettings,
    ChargerInput,
    ChargerState,
    Reason,
    Strategy,
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


DEPARTURE = BalancerSettings(rotation_s=900.0, strategy=Strategy.DEPARTURE)


def _with_slack(candidate: Candidate, laxity_s: float) -> Candidate:
    candidate.laxity_s = laxity_s
    return candidate


def _charging_one_phase(charger_id: str, slack_s: float) -> Candidate:
    """A one-phase EV on L1, charging at its minimum."""
    return _with_slack(
        _candidate(charger_id, (0,), waiting_since=None, limit_a=6.0), slack_s
    )


def _waiting_three_phase() -> Candidate:
    """A three-phase EV that has waited a minute, with two hours of slack."""
    return _with_slack(
        _candidate("three_phase", (0, 1, 2), waiting_since=NOW - 60.0), 2 * 3600.0
    )


ROOMY = Capacities(site_a=[20.0, 20.0, 20.0], class_a=[20.0, 20.0, 20.0])


def test_a_three_phase_ev_takes_the_place_of_a_one_phase_ev_with_slack() -> None:
    """Departure strategy, L1 blocks: the one-phase EV on L1 with hours of
    slack waits, the three-phase EV charges on L1 and on L2, L3 nobody used."""
    one_phase = _charging_one_phase("l1_only", 5 * 3600.0)
    three_phase = _waiting_three_phase()
    residual = [8.0, 20.0, 20.0]
    admission = admit([one_phase, three_phase], residual, ROOMY, NOW, DEPARTURE)

    assert admission.admitted == [three_phase]
    assert [(c.charger.charger_id, r) for c, r in admission.waiting] == [
        ("l1_only", Reason.PAUSED_QUEUE)
    ]
    assert residual == [2.0, 14.0, 14.0]


def test_an_ev_without_an_hour_of_slack_keeps_its_place() -> None:
    """The fairness floor: an EV that could no longer be full on time if it
    waited does not give way."""
    one_phase = _charging_one_phase("l1_only", 1800.0)
    three_phase = _waiting_three_phase()
    admission = admit(
        [one_phase, three_phase], [8.0, 20.0, 20.0], ROOMY, NOW, DEPARTURE
    )

    assert admission.admitted == [one_phase]


def test_no_swap_that_pauses_two_evs_for_one() -> None:
    """Two one-phase EVs for one three-phase EV is less than twice the gain:
    a swap costs a pause and a ramp, both keep charging."""
    first, second = (_charging_one_phase(name, 5 * 3600.0) for name in ("l1_a", "l1_b"))
    three_phase = _waiting_three_phase()
    admission = admit(
        [first, second, three_phase], [12.0, 20.0, 20.0], ROOMY, NOW, DEPARTURE
    )

    assert admission.admitted == [first, second]


def test_fair_sharing_never_swaps_places() -> None:
    """Without the departure strategy the queue is the plain one."""
    one_phase = _charging_one_phase("l1_only", 5 * 3600.0)
    three_phase = _waiting_three_phase()
    admission = admit([one_phase, three_phase], [8.0, 20.0, 20.0], ROOMY, NOW, SETTINGS)

    assert admission.admitted == [one_phase]
