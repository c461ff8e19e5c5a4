"""Backoff after failures and log throttles: bounded, on a clock of our own."""

from __future__ import annotations

from custom_components.ev_load_balancer.ocpp_cs.throttle import Backoff, LogThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_backoff_doubles_up_to_its_cap_and_forgives() -> None:
    clock = Clock()
    backoff = Backoff(first_s=1.0, cap_s=8.0, clock=clock)
    assert backoff.blocked_for("CP1") == 0.0
    waits = []
    for _ in range(6):
        backoff.failed("CP1")
        waits.append(backoff.blocked_for("CP1"))
    assert waits == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert backoff.blocked_for("other") == 0.0
    clock.now += 8.0
    assert backoff.blocked_for("CP1") == 0.0  # its time is over...
    backoff.failed("CP1")
    assert backoff.blocked_for("CP1") == 8.0  # ...but the streak goes on
    clock.now += 16.0  # quiet for as long as the cap after the block
    backoff.failed("CP1")
    assert backoff.blocked_for("CP1") == 1.0  # forgiven: a new streak
    backoff.succeeded("CP1")
    assert backoff.blocked_for("CP1") == 0.0


def test_backoff_keeps_a_bounded_number_of_keys() -> None:
    backoff = Backoff(first_s=1.0, cap_s=60.0, max_keys=100, clock=Clock())
    for index in range(10_000):
        backoff.failed(f"10.0.{index // 256}.{index % 256}")
    assert len(backoff._failures) == 100


def test_log_throttle_says_yes_once_per_interval_and_key() -> None:
    clock = Clock()
    throttle = LogThrottle(60.0, max_keys=2, clock=clock)
    assert throttle.ready("a")
    assert not throttle.ready("a")
    assert throttle.ready("b")
    clock.now = 61.0
    assert throttle.ready("a")
    assert throttle.ready("c")  # "b" is forgotten: at most two keys
    assert len(throttle._last) == 2
