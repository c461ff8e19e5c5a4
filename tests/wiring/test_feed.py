"""The detector fed with the loop's own input types, as a host hands them over."""

from __future__ import annotations

from custom_components.ev_load_balancer.balancer import ChargerState
from custom_components.ev_load_balancer.chargers.base import ChargerStatus
from custom_components.ev_load_balancer.loop import ChargerReport
from custom_components.ev_load_balancer.meter.base import MeterReading
from custom_components.ev_load_balancer.wiring import (
    DetectorSettings,
    WiringWatch,
    sample_of,
)


def test_a_per_conductor_status_becomes_a_sample() -> None:
    status = ChargerStatus(
        state=ChargerState.CHARGING, current_a=(10.0, 0.0, 0.0), updated_at=5.0
    )
    sample = sample_of(status, 3, 230.0, now=9.0)
    assert sample is not None
    assert sample.per_phase
    assert sample.plugged
    assert sample.total_a == 10.0
    assert sample.taken_at == 5.0


def test_a_power_only_status_counts_its_total_and_hides_the_split() -> None:
    # What a charger with only a power sensor reports: a floor on L1.
    status = ChargerStatus(
        state=ChargerState.CHARGING,
        current_a=(10.0 / 3, 0.0, 0.0),
        power_w=2300.0,
        phases_known=False,
    )
    sample = sample_of(status, 3, 230.0, now=9.0)
    assert sample is not None
    assert not sample.per_phase
    assert sample.total_a == 10.0
    assert sample.taken_at == 9.0  # no time of its own: when it came


def test_a_status_without_readings_says_nothing_unless_no_ev() -> None:
    assert sample_of(ChargerStatus(state=ChargerState.CHARGING), 3, 230.0, 1.0) is None
    idle = sample_of(ChargerStatus(state=ChargerState.NO_EV), 3, 230.0, 1.0)
    assert idle is not None
    assert not idle.plugged
    assert idle.total_a == 0.0


def test_the_watch_finds_a_miswired_1_phase_charger_from_round_inputs() -> None:
    """Rounds as a host runs them: a reading every 10 s, the charger's own
    reports every 5 s, a 1-phase EV on a charger configured L1 but on L3."""
    # One session here: the default waits for a second one.
    watch = WiringWatch(
        3,
        230.0,
        {"cp": (0, 1, 2), "other": (1, 2, 0)},
        DetectorSettings(min_sessions=1),
    )
    draws = [0.0, 16.0, 6.0, 12.0, 0.0, 10.0, 16.0, 8.0]
    now = 0.0
    stepped: set[str] = set()
    for index, draw in enumerate(draws):
        for _ in range(12):  # two minutes per level
            now += 5.0
            reports = {
                "cp": ChargerReport(
                    status=ChargerStatus(
                        state=ChargerState.CHARGING,
                        current_a=(draw, 0.0, 0.0),
                        updated_at=now,
                    )
                ),
                "other": ChargerReport(status=ChargerStatus(state=ChargerState.NO_EV)),
            }
            meter = None
            if now % 10 == 0:
                base = 20.0 + (index % 3)  # the building moves a little
                meter = MeterReading(
                    current_a=(base, base + 1.0, base + draw), received_at=now
                )
            stepped |= watch.observe(now, meter, reports)
    assert stepped == {"cp"}
    estimate = watch.detector.estimate("cp")
    assert estimate is not None
    assert estimate.mismatch
    assert estimate.phases[0] == 2
    assert estimate.single_phase_ev
    assert watch.detector.best_wiring("cp", ((0, 1, 2), (1, 2, 0), (2, 0, 1))) == (
        2,
        0,
        1,
    )
    # Removing a charger from the configuration forgets it.
    watch.configure({"other": (1, 2, 0)})
    assert watch.detector.estimate("cp") is None


def test_the_watch_says_whose_estimate_may_have_moved() -> None:
    """A host keeps estimates until they may move: a new sample or a step."""
    watch = WiringWatch(3, 230.0, {"fresh": (0, 1, 2), "quiet": (1, 2, 0)})

    def report(draw: float, updated_at: float) -> ChargerReport:
        return ChargerReport(
            status=ChargerStatus(
                state=ChargerState.CHARGING,
                current_a=(draw, draw, draw),
                updated_at=updated_at,
            )
        )

    watch.observe(5.0, None, {"fresh": report(8.0, 5.0), "quiet": report(6.0, 5.0)})
    assert watch.moved == {"fresh", "quiet"}
    before = watch.detector.estimate("quiet")
    # Only "fresh" reported since: "quiet" is the same report, not newer.
    watch.observe(10.0, None, {"fresh": report(9.0, 10.0), "quiet": report(6.0, 5.0)})
    assert watch.moved == {"fresh"}
    assert watch.detector.estimate("quiet") == before
