"""The wiring detector on a synthetic site: noise, other loads stepping at the
same time, other chargers stepping at the same time, power-only chargers."""

from __future__ import annotations

import random

from hypothesis import given, settings, strategies as st

from custom_components.ev_load_balancer.wiring import (
    ChargerSample,
    DetectorSettings,
    WiringDetector,
)

from .synthetic import Building, SimCharger, run, session

L1L2L3 = (0, 1, 2)
L2L3L1 = (1, 2, 0)
L3L1L2 = (2, 0, 1)
ROTATIONS = (L1L2L3, L2L3L1, L3L1L2)
SESSION_S = 3 * 3600.0


def _site(
    seed: int,
    chargers: list[tuple[str, tuple[int, ...], tuple[int, ...], int, bool]],
    sessions: int,
    spikes_per_hour: float = 20.0,
) -> tuple[WiringDetector, list[SimCharger]]:
    """(id, configured, actual, EV conductors, per_phase) chargers, each with
    `sessions` sessions, run through the detector."""
    rng = random.Random(seed)
    sims = []
    for charger_id, _, actual, conductors, per_phase in chargers:
        sim = SimCharger(charger_id, actual, per_phase)
        for n in range(sessions):
            # Starts are close together: chargers step at the same moments.
            start = n * SESSION_S + rng.uniform(0.0, 120.0)
            sim.sessions.append(session(rng, start, conductors))
        sims.append(sim)
    building = Building(rng, spikes_per_hour=spikes_per_hour)
    until = sessions * SESSION_S
    building.plan(until)
    detector = WiringDetector(3, {c[0]: c[1] for c in chargers})
    run(detector, sims, building, until)
    return detector, sims


@settings(max_examples=6, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    actual=st.sampled_from([L2L3L1, L3L1L2]),
    per_phase=st.booleans(),
)
def test_a_miswired_charger_with_a_1_phase_ev_is_found(
    seed: int, actual: tuple[int, ...], per_phase: bool
) -> None:
    detector, _ = _site(
        seed,
        [
            ("bad", L1L2L3, actual, 1, per_phase),
            # Neighbours step at nearly the same moments.
            ("ok3", L1L2L3, L1L2L3, 3, True),
            ("ok1", L2L3L1, L2L3L1, 1, True),
        ],
        sessions=3,
    )
    estimate = detector.estimate("bad")
    assert estimate is not None
    assert estimate.mismatch
    assert estimate.phases[0] == actual[0]
    assert estimate.confidence[0] >= 0.999
    assert detector.best_wiring("bad", ROTATIONS) == actual
    for neighbour in ("ok3", "ok1"):
        found = detector.estimate(neighbour)
        assert found is not None
        assert not found.mismatch


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 10_000), rotation=st.sampled_from(ROTATIONS))
def test_correctly_wired_chargers_raise_no_alarm_on_a_spiky_site(
    seed: int, rotation: tuple[int, ...]
) -> None:
    detector, _ = _site(
        seed,
        [
            ("a", rotation, rotation, 1, True),
            ("b", rotation, rotation, 1, False),
            ("c", (1,), (1,), 1, True),
            ("d", rotation, rotation, 3, False),
        ],
        sessions=4,
        spikes_per_hour=60.0,
    )
    for charger_id in "abcd":
        estimate = detector.estimate(charger_id)
        assert estimate is not None
        assert not estimate.mismatch, estimate


def test_the_configured_wiring_is_confirmed_by_1_phase_sessions() -> None:
    detector, _ = _site(3, [("a", L3L1L2, L3L1L2, 1, True)], sessions=3)
    estimate = detector.estimate("a")
    assert estimate is not None
    assert estimate.steps >= 3
    assert estimate.phases[0] == 2
    assert estimate.confidence[0] >= 0.999
    assert not estimate.mismatch


def test_a_3_phase_ev_drawing_evenly_says_nothing_about_the_wiring() -> None:
    detector, _ = _site(5, [("a", L1L2L3, L3L1L2, 3, True)], sessions=4)
    estimate = detector.estimate("a")
    assert estimate is not None
    assert estimate.steps >= 3
    assert not estimate.mismatch
    # Every rotation explains even steps alike: the prior decides.
    assert estimate.phases == L1L2L3
    assert max(estimate.confidence) < 0.999


def test_a_single_phase_charger_on_the_wrong_phase_is_found() -> None:
    detector, _ = _site(11, [("a", (0,), (2,), 1, True)], sessions=2)
    estimate = detector.estimate("a")
    assert estimate is not None
    assert estimate.mismatch
    assert estimate.phases == (2,)


def test_a_power_only_charger_tells_a_1_phase_ev_from_a_3_phase_one() -> None:
    rng = random.Random(2)
    one = SimCharger("one", L2L3L1, per_phase=False)
    three = SimCharger("three", L2L3L1, per_phase=False)
    # One long session each, the 1-phase EV stepping while it is plugged in.
    one.sessions.append(session(rng, 0.0, 1, changes=6))
    three.sessions.append(session(rng, 30.0, 3, changes=6))
    end = max(one.sessions[0].end_s, three.sessions[0].end_s) - 30.0
    building = Building(rng)
    building.plan(end)
    detector = WiringDetector(3, {"one": L2L3L1, "three": L2L3L1})
    # Stop before the EVs leave: the estimate is of the session in progress.
    cut = min(one.sessions[0].end_s, three.sessions[0].end_s) - 61.0
    run(detector, [one, three], building, cut)
    first = detector.estimate("one")
    second = detector.estimate("three")
    assert first is not None
    assert second is not None
    assert first.ev_conductors == 1
    assert first.single_phase_ev
    assert second.ev_conductors == 3
    assert not second.single_phase_ev
    assert not first.mismatch
    assert not second.mismatch


def test_a_charger_reporting_per_conductor_shows_its_ev_split() -> None:
    detector = WiringDetector(3, {"a": L1L2L3})
    detector.add_charger(
        "a",
        ChargerSample(
            taken_at=1.0,
            currents_a=(10.0, 0.0, 0.0),
            total_a=10.0,
            per_phase=True,
            plugged=True,
        ),
    )
    estimate = detector.estimate("a")
    assert estimate is not None
    assert estimate.single_phase_ev
    assert estimate.steps == 0
    assert not estimate.mismatch


def test_the_found_wiring_configured_ends_the_mismatch_and_keeps_the_evidence() -> None:
    detector, _ = _site(11, [("a", (0,), (2,), 1, True)], sessions=2)
    before = detector.estimate("a")
    assert before is not None
    assert before.mismatch
    detector.configure({"a": (2,)})
    after = detector.estimate("a")
    assert after is not None
    assert not after.mismatch
    assert after.steps == before.steps
    assert after.phases == (2,)
    assert after.confidence[0] >= 0.999
    # Another number of conductors is another charger: start afresh.
    detector.configure({"a": (2, 0, 1)})
    assert detector.estimate("a") is None
    detector.configure({})
    assert detector.estimate("a") is None


def test_a_single_big_coincidence_does_not_decide() -> None:
    """One step that other loads mirror exactly carries a bounded weight."""
    detector = WiringDetector(3, {"a": (0,)}, DetectorSettings(min_steps=1))
    for taken_at, draw in ((94.0, 0.0), (100.0, 0.0), (104.0, 16.0), (110.0, 16.0)):
        detector.add_charger(
            "a",
            ChargerSample(
                taken_at=taken_at,
                currents_a=(draw,),
                total_a=draw,
                per_phase=True,
                plugged=True,
            ),
        )
    # The charger on L1 starts; at the same moment a load on L1 stops and
    # one on L3 starts: the meter shows the step on L3 only.
    detector.add_meter(100.0, (20.0, 20.0, 20.0))
    detector.add_meter(110.0, (20.0, 20.0, 36.0))
    assert detector.process(200.0) == {"a"}
    estimate = detector.estimate("a")
    assert estimate is not None
    assert estimate.steps == 1
    assert estimate.phases == (2,)
    assert estimate.confidence[0] < 0.9
    assert not estimate.mismatch
