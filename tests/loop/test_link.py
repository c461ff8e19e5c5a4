"""The command link: one command at a time, the newest limit wins, backoff."""

from __future__ import annotations

from custom_components.ev_load_balancer.loop.link import RETRY_BACKOFF_S, CommandLink


def test_one_command_at_a_time_and_the_newest_limit_wins() -> None:
    link = CommandLink()
    assert link.request(10.0, 0.0) == 10.0
    # While it is out, newer limits only replace the wanted one.
    assert link.request(8.0, 0.1) is None
    assert link.request(6.0, 0.2) is None
    assert link.succeeded(0.5) == 6.0  # the newest goes next, 8 A never
    assert link.applied_a == 10.0
    assert link.succeeded(0.7) is None
    assert link.applied_a == 6.0
    assert link.request(6.0, 1.0) is None  # nothing new to say


def test_failures_back_off_and_report_what_began_them() -> None:
    link = CommandLink()
    link.request(10.0, 0.0)
    link.failed(0.0, "profile_rejected", out_of_reach=False)
    assert link.failing_since == 0.0
    assert link.applied_a is None
    assert link.request(0.0, 1.0) is None  # backing off
    assert link.request(0.0, RETRY_BACKOFF_S[0]) == 0.0
    link.failed(RETRY_BACKOFF_S[0], "timeout", out_of_reach=False)
    assert link.first_error == "profile_rejected"
    assert link.last_error == "timeout"
    retry = RETRY_BACKOFF_S[0] + RETRY_BACKOFF_S[1]
    assert link.request(0.0, retry - 0.1) is None
    assert link.request(0.0, retry) == 0.0
    assert link.succeeded(retry + 1) is None
    assert link.failing_since is None
    assert link.first_error is None


def test_reading_the_link_changes_nothing_a_charger_back_in_reach_does() -> None:
    link = CommandLink()
    link.request(10.0, 0.0)
    link.failed(0.0, "not_connected", out_of_reach=True)
    for _ in range(3):
        assert link.failing_since == 0.0  # a getter, not a transition
    link.back_within_reach()
    assert link.failing_since is None
    assert link.request(10.0, 0.5) == 10.0  # no backoff for a returning charger


def test_a_refusing_charger_is_not_trusted_back_by_being_reachable() -> None:
    link = CommandLink()
    link.request(10.0, 0.0)
    link.failed(0.0, "profile_rejected", out_of_reach=False)
    link.back_within_reach()
    assert link.failing_since == 0.0
