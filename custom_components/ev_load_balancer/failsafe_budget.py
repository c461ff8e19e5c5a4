"""What the OCPP chargers' own failsafe currents may add up to, and a fair
share of it.

When Home Assistant is gone, every OCPP charger falls back to its failsafe
current at once. Together with the building (the failsafe reserve of the
options) they must stay within the fuse minus the margin, per phase. The
adoption flow shows this sum and lets the user share it equally.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
import math
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigSubentry

from .config_model import connection_wiring
from .const import (
    CONF_CONNECTION,
    CONF_FAILSAFE_RESERVE,
    CONF_FUSE,
    CONF_MARGIN,
    CONF_MAX_CURRENT,
    CONF_MIN_CURRENT,
    CONF_PHASES,
    DEFAULT_MARGIN,
)
from .ocpp_const import CONF_FAILSAFE_CURRENT, SUBENTRY_OCPP_CHARGER


@dataclass(frozen=True, slots=True)
class FailsafeBudget:
    """Per phase: for all failsafe currents, and what the others take of it."""

    total_a: float  # fuse - margin - building reserve (the tightest phase)
    fuse_a: float
    margin_a: float
    reserve_a: float
    left_a: tuple[float, ...]  # per phase, after the other OCPP chargers
    others: int  # OCPP chargers adopted besides the one in the flow
    others_a: float  # their failsafe currents on the tightest phase


def failsafe_budget(entry: ConfigEntry, skip: str | None = None) -> FailsafeBudget:
    """The budget, leaving out subentry `skip` (the one being reconfigured)."""
    fuse = float(entry.data[CONF_FUSE])
    margin = float(entry.options.get(CONF_MARGIN, DEFAULT_MARGIN))
    reserve = float(entry.options.get(CONF_FAILSAFE_RESERVE, fuse / 2))
    total = max(0.0, fuse - margin - reserve)
    used = [0.0] * int(entry.data[CONF_PHASES])
    others = 0
    for subentry in _ocpp_subentries(entry):
        if subentry.subentry_id == skip:
            continue
        others += 1
        failsafe = float(subentry.data.get(CONF_FAILSAFE_CURRENT, 0.0))
        for phase in connection_wiring(subentry.data[CONF_CONNECTION]):
            used[phase] += failsafe
    return FailsafeBudget(
        total_a=total,
        fuse_a=fuse,
        margin_a=margin,
        reserve_a=reserve,
        left_a=tuple(max(0.0, total - value) for value in used),
        others=others,
        others_a=max(used, default=0.0),
    )


def equal_share(
    entry: ConfigEntry,
    newcomer_wiring: tuple[int, ...],
    newcomer_min_a: float,
    *,
    cap_a: float = math.inf,
) -> float | None:
    """One failsafe current for every OCPP charger (the newcomer too) that
    fits the budget on every phase, and `cap_a` (what the circuits allow);
    None when it is below a minimum current (an EV cannot charge below it:
    sharing would pause every one)."""
    budget = failsafe_budget(entry)
    wirings = [newcomer_wiring]
    minimums = [newcomer_min_a]
    for subentry in _ocpp_subentries(entry):
        wirings.append(connection_wiring(subentry.data[CONF_CONNECTION]))
        minimums.append(float(subentry.data[CONF_MIN_CURRENT]))
    on_phase = [
        sum(1 for wiring in wirings if phase in wiring)
        for phase in range(len(budget.left_a))
    ]
    share = min(cap_a, *(budget.total_a / count for count in on_phase if count))
    share = math.floor(share * 10) / 10
    return share if share >= max(minimums) else None


def capped(share: float, data: Mapping[str, Any]) -> float:
    """The share for one charger: never above its maximum current."""
    maximum = data.get(CONF_MAX_CURRENT)
    return min(share, float(maximum)) if isinstance(maximum, int | float) else share


def _ocpp_subentries(entry: ConfigEntry) -> Iterator[ConfigSubentry]:
    return (
        subentry
        for subentry in entry.subentries.values()
        if subentry.subentry_type == SUBENTRY_OCPP_CHARGER
    )
