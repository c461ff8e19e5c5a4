"""The limit a simulated charger takes from its charging profiles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from evlb_sim.live.charging_profiles import ChargingProfile, ProfileStack

NOW = datetime(2026, 1, 14, 17, 0, tzinfo=UTC)
VOLTS_3_PHASES = 230.0 * 3


def _profile(
    profile_id: int,
    limit: float,
    *,
    purpose: str = "TxDefaultProfile",
    stack_level: int = 0,
    unit: str = "A",
    start: datetime | None = NOW - timedelta(seconds=60),
    duration: float | None = None,
    transaction_id: int | None = None,
) -> dict[str, Any]:
    schedule: dict[str, Any] = {
        "charging_rate_unit": unit,
        "charging_schedule_period": [{"start_period": 0, "limit": limit}],
    }
    if start is not None:
        schedule["start_schedule"] = start.isoformat().replace("+00:00", "Z")
    if duration is not None:
        schedule["duration"] = duration
    profile: dict[str, Any] = {
        "charging_profile_id": profile_id,
        "stack_level": stack_level,
        "charging_profile_purpose": purpose,
        "charging_profile_kind": "Absolute",
        "charging_schedule": schedule,
    }
    if transaction_id is not None:
        profile["transaction_id"] = transaction_id
    return profile


def _stack(*profiles: tuple[int, dict[str, Any]]) -> ProfileStack:
    stack = ProfileStack()
    for connector, profile in profiles:
        stack.install(ChargingProfile.from_call(connector, profile))
    return stack


def _limit(stack: ProfileStack, now: datetime = NOW, tx: int | None = None) -> Any:
    return stack.limit(
        now,
        transaction_id=tx,
        transaction_start=NOW - timedelta(minutes=5),
        volts_times_phases=VOLTS_3_PHASES,
    )


def test_no_profile_gives_no_limit() -> None:
    assert _limit(ProfileStack()) is None


def test_the_highest_stack_level_wins_until_it_expires() -> None:
    stack = _stack(
        (0, _profile(1, 6.0, stack_level=0)),
        (1, _profile(2, 13.0, stack_level=1, duration=360)),
    )
    assert _limit(stack) == 13.0
    # 360 s after its start (60 s ago) the dynamic limit is over: the failsafe.
    assert _limit(stack, NOW + timedelta(seconds=301)) == 6.0


def test_a_transaction_profile_overrides_the_defaults_and_ends_with_it() -> None:
    stack = _stack(
        (1, _profile(2, 13.0, stack_level=1)),
        (1, _profile(3, 8.0, purpose="TxProfile", transaction_id=42)),
    )
    assert _limit(stack, tx=42) == 8.0
    assert _limit(stack, tx=43) == 13.0  # not that transaction's
    stack.end_transaction(42)
    assert _limit(stack, tx=42) == 13.0


def test_a_new_profile_replaces_the_one_at_its_level_and_clear_removes() -> None:
    stack = _stack(
        (1, _profile(2, 13.0, stack_level=1)),
        (1, _profile(4, 10.0, stack_level=1)),
    )
    assert len(stack) == 1
    assert _limit(stack) == 10.0
    assert stack.clear(profile_id=4)
    assert not stack.clear(profile_id=4)
    assert _limit(stack) is None


def test_watts_become_amperes_and_the_max_profile_caps() -> None:
    stack = _stack(
        (1, _profile(2, 6900.0, unit="W")),
        (0, _profile(5, 7.0, purpose="ChargePointMaxProfile")),
    )
    assert _limit(stack) == 7.0
    stack.clear(purpose="ChargePointMaxProfile")
    assert _limit(stack) == pytest.approx(10.0)


def test_a_schedule_without_a_start_counts_from_the_transaction() -> None:
    stack = _stack((1, _profile(2, 16.0, start=None, duration=600)))
    assert _limit(stack) == 16.0  # 5 minutes into the transaction
    assert _limit(stack, NOW + timedelta(minutes=6)) is None


def test_malformed_profiles_are_refused() -> None:
    with pytest.raises(ValueError, match="malformed"):
        ChargingProfile.from_call(1, {"charging_profile_id": 1})
