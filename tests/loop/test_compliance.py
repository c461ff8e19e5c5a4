"""A charger that ignores its limit is noticed; one that ramps down is not."""

from __future__ import annotations

from custom_components.ev_load_balancer.const import IGNORE_GRACE_S
from custom_components.ev_load_balancer.loop.compliance import (
    RAMP_DOWN_S,
    ComplianceWatch,
)


def test_an_ev_ramping_down_after_a_cut_is_not_blamed() -> None:
    watch = ComplianceWatch()
    assert not watch.update(16.0, 16.0, 0.0, 0.0)
    for second in range(1, int(RAMP_DOWN_S)):  # cut to 6 A; it still draws 16
        assert not watch.update(16.0, 6.0, 1.0, float(second))
    assert watch.over_since is None


def test_a_charger_over_its_limit_for_a_minute_ignores_it() -> None:
    watch = ComplianceWatch()
    watch.update(6.0, 6.0, 0.0, 0.0)
    for second in range(1, int(IGNORE_GRACE_S)):
        assert not watch.update(16.0, 6.0, 0.0, float(second))
    assert watch.update(16.0, 6.0, 0.0, 1.0 + IGNORE_GRACE_S)


def test_new_commands_do_not_restart_the_clock() -> None:
    """Found on HA 2026.2: a charger given a new limit every 20 s was never flagged."""
    watch = ComplianceWatch()
    watch.update(6.0, 6.0, 0.0, 0.0)
    ignoring = False
    for second in range(1, int(IGNORE_GRACE_S) + 30):
        limit = 6.0 if (second // 20) % 2 == 0 else 7.0  # raised and lowered by 1 A
        ignoring = watch.update(16.0, limit, float(second // 20 * 20), float(second))
    assert ignoring


def test_complying_again_clears_the_mark() -> None:
    watch = ComplianceWatch()
    watch.update(6.0, 6.0, 0.0, 0.0)
    watch.update(16.0, 6.0, 0.0, 1.0)
    assert watch.update(16.0, 6.0, 0.0, 2.0 + IGNORE_GRACE_S)
    assert not watch.update(6.5, 6.0, 0.0, 3.0 + IGNORE_GRACE_S)
