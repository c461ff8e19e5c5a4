"""Reading numeric HA states in the units the balancer works in (A, W, V)."""

from __future__ import annotations

from enum import StrEnum

from homeassistant.const import (
    ATTR_UNIT_OF_MEASUREMENT,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfPower,
)
from homeassistant.core import State
from homeassistant.util.unit_conversion import (
    ElectricCurrentConverter,
    ElectricPotentialConverter,
    PowerConverter,
)

AMPERE = UnitOfElectricCurrent.AMPERE
WATT = UnitOfPower.WATT


class Quantity(StrEnum):
    """What a sensor measures, told by its unit."""

    CURRENT = "current"
    POWER = "power"
    VOLTAGE = "voltage"


class StateProblem(StrEnum):
    """Why a state cannot be used as a number."""

    MISSING = "entity_not_found"
    UNAVAILABLE = "unavailable"
    NOT_NUMERIC = "not_numeric"
    UNSUPPORTED_UNIT = "unsupported_unit"


def quantity_of(unit: str | None) -> Quantity | None:
    """Current, power or voltage, from a unit of measurement."""
    if unit in ElectricCurrentConverter.VALID_UNITS:
        return Quantity.CURRENT
    if unit in PowerConverter.VALID_UNITS:
        return Quantity.POWER
    if unit in ElectricPotentialConverter.VALID_UNITS:
        return Quantity.VOLTAGE
    return None


def read_quantity(
    state: State | None, allowed: tuple[Quantity, ...]
) -> tuple[Quantity, float] | StateProblem:
    """The state's value in A, W or V, or why it cannot be used."""
    if state is None:
        return StateProblem.MISSING
    if state.state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
        return StateProblem.UNAVAILABLE
    unit = state.attributes.get(ATTR_UNIT_OF_MEASUREMENT)
    quantity = quantity_of(unit)
    if quantity not in allowed:
        return StateProblem.UNSUPPORTED_UNIT
    try:
        value = float(state.state)
    except ValueError:
        return StateProblem.NOT_NUMERIC
    if quantity is Quantity.CURRENT:
        return quantity, ElectricCurrentConverter.convert(value, unit, AMPERE)
    if quantity is Quantity.POWER:
        return quantity, PowerConverter.convert(value, unit, WATT)
    return quantity, ElectricPotentialConverter.convert(
        value, unit, UnitOfElectricPotential.VOLT
    )
