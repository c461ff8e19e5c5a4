"""From a current in A to the number a charging profile carries."""

from __future__ import annotations

from datetime import datetime, timedelta
import math

from .commands import Capabilities, ChargingProfile, ProfilePurpose, RateUnit
from .config import ChargerConfig
from .const import (
    DYNAMIC_PROFILE_ID,
    DYNAMIC_STACK_LEVEL,
    FAILSAFE_PROFILE_ID,
    FAILSAFE_STACK_LEVEL,
    TX_PROFILE_ID,
)
from .state import ChargePointState

# A phase drawing at least this much is in use (an idle phase reads ~0 A).
PHASE_IN_USE_A = 1.0
PLAUSIBLE_VOLTAGE_V = (180.0, 270.0)
# Profiles start a little in the past so that a charger whose clock lags ours
# applies them at once; a charger ahead of us only sees them expire sooner.
CLOCK_SLACK = timedelta(seconds=60)


def rate_unit(capabilities: Capabilities) -> RateUnit:
    """Amperes unless the charger accepts only watts."""
    if capabilities.rate_units == frozenset({RateUnit.WATT}):
        return RateUnit.WATT
    return RateUnit.AMPERE


def phases_in_use(state: ChargePointState, config: ChargerConfig) -> int:
    """Phases the EV draws on now, else the phases the charger is wired with."""
    if state.current_a:
        drawing = sum(1 for current in state.current_a if current >= PHASE_IN_USE_A)
        if drawing:
            return drawing
    return config.phases


def voltage(state: ChargePointState, config: ChargerConfig) -> float:
    """Measured phase voltage when plausible, else the nominal one."""
    low, high = PLAUSIBLE_VOLTAGE_V
    if state.voltage_v is not None and low <= state.voltage_v <= high:
        return state.voltage_v
    return config.nominal_voltage_v


def limit_value(
    current_a: float, unit: RateUnit, state: ChargePointState, config: ChargerConfig
) -> float:
    """The limit in the profile's unit, rounded down (never above what was asked).

    OCPP 1.6 schedules take multiples of 0.1; watts are whole numbers.
    """
    if current_a <= 0:
        return 0.0
    if unit is RateUnit.WATT:
        watts = current_a * voltage(state, config) * phases_in_use(state, config)
        return float(math.floor(watts))
    return math.floor(round(current_a * 10, 6)) / 10


def _profile(
    *,
    profile_id: int,
    stack_level: int,
    purpose: ProfilePurpose,
    unit: RateUnit,
    limit: float,
    evse_id: int,
    now: datetime,
    validity_s: int | None,
    transaction_id: str | None = None,
) -> ChargingProfile:
    return ChargingProfile(
        profile_id=profile_id,
        stack_level=stack_level,
        purpose=purpose,
        unit=unit,
        limit=limit,
        evse_id=evse_id,
        start=(now - CLOCK_SLACK).replace(microsecond=0),
        duration_s=None
        if validity_s is None
        else validity_s + int(CLOCK_SLACK.total_seconds()),
        transaction_id=transaction_id,
    )


def failsafe_profile(
    config: ChargerConfig,
    unit: RateUnit,
    state: ChargePointState,
    now: datetime,
    *,
    evse_id: int = 0,
) -> ChargingProfile:
    """The lowest, permanent default: what the charger does without us."""
    return _profile(
        profile_id=FAILSAFE_PROFILE_ID,
        stack_level=FAILSAFE_STACK_LEVEL,
        purpose=ProfilePurpose.TX_DEFAULT,
        unit=unit,
        limit=limit_value(config.failsafe_current_a, unit, state, config),
        evse_id=evse_id,
        now=now,
        validity_s=None,
    )


def dynamic_profile(
    config: ChargerConfig,
    unit: RateUnit,
    limit: float,
    now: datetime,
    *,
    evse_id: int | None = None,
) -> ChargingProfile:
    """The balancer's limit above the failsafe; it expires unless refreshed.

    On the balanced connector unless `evse_id` says otherwise (0: the whole
    station, for chargers that take default profiles only there).
    """
    return _profile(
        profile_id=DYNAMIC_PROFILE_ID,
        stack_level=DYNAMIC_STACK_LEVEL,
        purpose=ProfilePurpose.TX_DEFAULT,
        unit=unit,
        limit=limit,
        evse_id=config.connector_id if evse_id is None else evse_id,
        now=now,
        validity_s=config.limit_validity_s,
    )


def tx_profile(
    config: ChargerConfig,
    *,
    capabilities: Capabilities,
    unit: RateUnit,
    limit: float,
    now: datetime,
    transaction_id: str | None,
) -> ChargingProfile:
    """The limit on one transaction (None: the one a remote start begins)."""
    max_level = capabilities.max_stack_level
    level = (
        DYNAMIC_STACK_LEVEL
        if max_level is None
        else min(DYNAMIC_STACK_LEVEL, max_level)
    )
    return _profile(
        profile_id=TX_PROFILE_ID,
        stack_level=max(0, level),
        purpose=ProfilePurpose.TX,
        unit=unit,
        limit=limit,
        evse_id=config.connector_id,
        now=now,
        validity_s=config.limit_validity_s,
        transaction_id=transaction_id,
    )
