"""The fuse margin that follows the building's quick rises."""

from __future__ import annotations

import math

from custom_components.ev_load_balancer.loop.spike_margin import (
    HISTORY_S,
    MIN_SAMPLES,
    SpikeMargin,
)

from .helpers import at, charging, meter, new_loop

READING_S = 10.0


def _feed(
    spikes: SpikeMargin, start_s: float, hours: float, lift_a: float, every_s: float
) -> float:
    """A building at 10 A with `lift_a` more for 30 s every `every_s`."""
    now = start_s
    end = start_s + hours * 3600
    while now < end:
        lifting = every_s > 0 and (now - start_s) % every_s < 30
        load = 10.0 + (lift_a if lifting else 0.0) + 0.2 * math.sin(now)
        spikes.observe(now, (load, 10.0, 10.0))
        now += READING_S
    return now


def test_a_quiet_building_keeps_the_configured_margin() -> None:
    spikes = SpikeMargin()
    _feed(spikes, 0.0, 3, lift_a=0.0, every_s=0)
    assert spikes.margin_a(2.0, 63.0) == 2.0


def test_a_lift_every_ten_minutes_raises_the_margin_to_its_step() -> None:
    spikes = SpikeMargin()
    _feed(spikes, 0.0, 3, lift_a=8.0, every_s=600)
    assert 8.0 <= spikes.margin_a(2.0, 63.0) <= 9.0


def test_nothing_counts_before_an_hour_of_readings() -> None:
    spikes = SpikeMargin()
    _feed(spikes, 0.0, (MIN_SAMPLES - 10) * READING_S / 3600, lift_a=8.0, every_s=60)
    assert spikes.margin_a(2.0, 63.0) == 2.0


def test_the_margin_never_takes_more_than_a_fifth_of_the_fuse() -> None:
    spikes = SpikeMargin()
    _feed(spikes, 0.0, 3, lift_a=40.0, every_s=300)
    assert spikes.margin_a(2.0, 63.0) == 63.0 * 0.2
    # ... and never goes below what the user set.
    assert spikes.margin_a(15.0, 63.0) == 15.0


def test_a_day_later_the_rises_are_forgotten() -> None:
    spikes = SpikeMargin()
    now = _feed(spikes, 0.0, 3, lift_a=8.0, every_s=600)
    assert spikes.margin_a(2.0, 63.0) >= 8.0
    _feed(spikes, now, HISTORY_S / 3600 + 1, lift_a=0.0, every_s=0)
    assert spikes.margin_a(2.0, 63.0) == 2.0


def test_a_clock_that_steps_back_or_a_bad_number_starts_no_false_rise() -> None:
    spikes = SpikeMargin()
    now = _feed(spikes, 1000.0, 2, lift_a=0.0, every_s=0)
    spikes.observe(now, (math.nan, 10.0, 10.0))
    # A new loop's clock starts lower: the old window is not compared with it.
    spikes.observe(5.0, (30.0, 10.0, 10.0))
    spikes.observe(15.0, (30.0, 10.0, 10.0))
    assert spikes.margin_a(2.0, 63.0) == 2.0


def test_the_loop_shares_less_once_the_margin_follows_the_spikes() -> None:
    followed = new_loop(fuse_a=63.0, margin_follows_spikes=True)
    fixed = new_loop(fuse_a=63.0)
    reports = {"cp1": charging(0.0, 0.0), "cp2": charging(0.0, 0.0)}
    now = 0.0
    while now < 3 * 3600:
        lifting = now % 600 < 30
        reading = meter(now, 20.0 + (8.0 if lifting else 0.0))
        for loop in (followed, fixed):
            loop.run_round(at(now), reading, reports)
        now += READING_S
    assert fixed.margin_a == 2.0
    assert 8.0 <= followed.margin_a <= 9.0
    quiet = meter(now, 20.0)
    with_margin = followed.run_round(at(now), quiet, reports).allocation
    without = fixed.run_round(at(now), quiet, reports).allocation
    assert with_margin is not None
    assert without is not None
    for kept, shared in zip(with_margin.available_a, without.available_a, strict=True):
        assert math.isclose(shared - kept, followed.margin_a - 2.0)
