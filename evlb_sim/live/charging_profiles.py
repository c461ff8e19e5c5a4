"""The charging profiles an OCPP 1.6 charger holds, and the limit they give.

What a charger does with them (OCPP 1.6 section 3.13): a TxProfile of the
running transaction overrides the TxDefaultProfiles; among profiles of one
purpose the valid one with the highest stack level wins; a ChargePointMaxProfile
caps the result. A profile outside its schedule's duration gives way to the
next one down, so an expired dynamic limit falls back to the failsafe default.
Times are wall-clock datetimes: profiles carry absolute timestamps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

TX_PROFILE = "TxProfile"
TX_DEFAULT_PROFILE = "TxDefaultProfile"
MAX_PROFILE = "ChargePointMaxProfile"


@dataclass(frozen=True, slots=True)
class Period:
    start_s: float
    limit: float


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargingProfile:
    """One installed profile (1.6 csChargingProfiles, snake_case)."""

    profile_id: int
    connector_id: int
    stack_level: int
    purpose: str
    in_watts: bool
    periods: tuple[Period, ...]
    start: datetime | None
    duration_s: float | None
    transaction_id: int | None

    @classmethod
    def from_call(
        cls, connector_id: int, profile: Mapping[str, Any]
    ) -> ChargingProfile:
        """Parse a SetChargingProfile payload; raises ValueError if malformed."""
        try:
            schedule = profile["charging_schedule"]
            periods = tuple(
                sorted(
                    (
                        Period(float(item["start_period"]), float(item["limit"]))
                        for item in schedule["charging_schedule_period"]
                    ),
                    key=lambda period: period.start_s,
                )
            )
            start = schedule.get("start_schedule")
            duration = schedule.get("duration")
            transaction = profile.get("transaction_id")
            return cls(
                profile_id=int(profile["charging_profile_id"]),
                connector_id=connector_id,
                stack_level=int(profile["stack_level"]),
                purpose=str(profile["charging_profile_purpose"]),
                in_watts=schedule["charging_rate_unit"] == "W",
                periods=periods,
                start=datetime.fromisoformat(start) if start else None,
                duration_s=None if duration is None else float(duration),
                transaction_id=None if transaction is None else int(transaction),
            )
        except (KeyError, TypeError) as err:
            raise ValueError(f"malformed charging profile: {err}") from err

    def limit_at(
        self, now: datetime, since: datetime | None, volts_times_phases: float
    ) -> float | None:
        """Amperes this profile allows at `now` (None outside its schedule).

        `since` is when the transaction started (for schedules without a start).
        """
        start = self.start or since
        if start is None or not self.periods:
            return None
        elapsed = (now - start).total_seconds()
        if elapsed < self.periods[0].start_s:
            return None
        if self.duration_s is not None and elapsed >= self.duration_s:
            return None
        limit = next(p for p in reversed(self.periods) if p.start_s <= elapsed).limit
        return limit / volts_times_phases if self.in_watts else limit


class ProfileStack:
    """The profiles of a one-connector charger."""

    def __init__(self) -> None:
        self._profiles: dict[int, ChargingProfile] = {}

    def __len__(self) -> int:
        return len(self._profiles)

    def install(self, profile: ChargingProfile) -> None:
        """Store it; one of the same purpose and stack level is replaced."""
        for key, old in list(self._profiles.items()):
            if (
                old.purpose == profile.purpose
                and old.stack_level == profile.stack_level
                and old.connector_id == profile.connector_id
            ):
                del self._profiles[key]
        self._profiles[profile.profile_id] = profile

    def clear(
        self,
        *,
        profile_id: int | None = None,
        purpose: str | None = None,
        stack_level: int | None = None,
    ) -> bool:
        """ClearChargingProfile: remove those matching every given criterion."""
        doomed = [
            key
            for key, profile in self._profiles.items()
            if (profile_id is None or key == profile_id)
            and (purpose is None or profile.purpose == purpose)
            and (stack_level is None or profile.stack_level == stack_level)
        ]
        for key in doomed:
            del self._profiles[key]
        return bool(doomed)

    def end_transaction(self, transaction_id: int | None) -> None:
        """TxProfiles end with their transaction."""
        for key, profile in list(self._profiles.items()):
            if profile.purpose == TX_PROFILE and (
                transaction_id is None
                or profile.transaction_id in (None, transaction_id)
            ):
                del self._profiles[key]

    def limit(
        self,
        now: datetime,
        *,
        transaction_id: int | None,
        transaction_start: datetime | None,
        volts_times_phases: float,
    ) -> float | None:
        """The limit in A now, or None when no profile applies."""

        def best(purpose: str) -> float | None:
            candidates = [
                p
                for p in self._profiles.values()
                if p.purpose == purpose
                and (
                    purpose != TX_PROFILE or p.transaction_id in (None, transaction_id)
                )
            ]
            # Highest stack level first; on a tie the connector's own wins.
            candidates.sort(key=lambda p: (p.stack_level, p.connector_id), reverse=True)
            for profile in candidates:
                value = profile.limit_at(now, transaction_start, volts_times_phases)
                if value is not None:
                    return value
            return None

        limit = best(TX_PROFILE) if transaction_id is not None else None
        if limit is None:
            limit = best(TX_DEFAULT_PROFILE)
        cap = best(MAX_PROFILE)
        if cap is not None:
            limit = cap if limit is None else min(limit, cap)
        return limit
