"""The loop never dies: a round that fails falls back to the failsafe."""

from __future__ import annotations

import logging

import pytest

from custom_components.ev_load_balancer.balancer import Balancer, Reason

from .helpers import at, charging, meter, new_loop


class _Faulty(Balancer):
    """A balancer whose allocation raises while `broken` is set."""

    broken = True

    def allocate(self, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self.broken:
            raise ValueError("non-finite value: 'inf'")
        return super().allocate(*args, **kwargs)  # type: ignore[arg-type]


def test_a_failing_round_gives_failsafe_limits_and_the_next_runs_normally(
    caplog: pytest.LogCaptureFixture,
) -> None:
    loop = new_loop()
    faulty = _Faulty(loop.config.balancer)
    loop.allocator = faulty
    reports = {"cp1": charging(0.0, 9.0), "cp2": charging(0.0, 9.0)}
    with caplog.at_level(logging.DEBUG):
        for second in range(1, 5):
            result = loop.run_round(at(second), meter(second, 28.0), reports)
            assert result.allocation is not None
            assert result.allocation.failsafe
            limits = result.allocation.limits.values()
            assert all(limit.reason is Reason.FAILSAFE for limit in limits)
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert len(tracebacks) == 1  # logged once, not every round
    assert loop.issues.round_error == "ValueError: non-finite value: 'inf'"

    faulty.broken = False
    result = loop.run_round(at(5.0), meter(5.0, 28.0), reports)
    assert result.allocation is not None
    assert not result.allocation.failsafe
    assert loop.issues.round_error is None


def test_a_glitch_of_a_round_or_two_is_not_worth_an_issue() -> None:
    loop = new_loop()
    faulty = _Faulty(loop.config.balancer)
    loop.allocator = faulty
    reports = {"cp1": charging(0.0, 9.0), "cp2": charging(0.0, 9.0)}
    for second in (1, 2):
        loop.run_round(at(second), meter(second), reports)
    assert loop.issues.round_error is None
