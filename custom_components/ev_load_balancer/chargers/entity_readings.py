"""What a charger reports through HA states: status word, currents, power."""

from __future__ import annotations

from collections.abc import Iterable

from homeassistant.const import STATE_OFF, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant, State

from ..balancer import ChargerState
from ..units import Quantity, StateProblem, read_quantity
from .plan import ChargerPlan
from .profiles.model import Role
from .status_map import StatusReading, read_word

NO_VALUE = (STATE_UNAVAILABLE, STATE_UNKNOWN)


def status_reading(hass: HomeAssistant, plan: ChargerPlan) -> StatusReading | None:
    """The charger's state from its status entity (and plug), or None if unknown."""
    plug = plan.entity(Role.PLUG)
    plug_state = hass.states.get(plug) if plug else None
    if plug_state is not None and plug_state.state == STATE_OFF:
        return StatusReading(ChargerState.NO_EV)
    entity_id = plan.entity(Role.STATUS)
    state = hass.states.get(entity_id) if entity_id else None
    if state is None or state.state in NO_VALUE:
        return None
    word = (
        state.attributes.get(plan.status_attribute)
        if plan.status_attribute
        else state.state
    )
    if word is None or str(word) in ("", *NO_VALUE):
        return None
    return read_word(str(word), plan.words)


def conductor_currents(
    hass: HomeAssistant, plan: ChargerPlan
) -> tuple[float, ...] | None:
    """Current per charger conductor (A), L1 first; None when not all are known."""
    attributes = plan.phase_attributes
    if attributes is not None:
        from_attributes = _attribute_currents(
            hass, plan, attributes.role, attributes.names
        )
        if from_attributes is not None:
            return from_attributes
    sensors = plan.conductor_sensors
    values = [number(hass, entity_id, Quantity.CURRENT) for entity_id in sensors]
    if not values or any(value is None for value in values):
        return None
    return tuple(abs(value) for value in values if value is not None)


def terminal_bounds(hass: HomeAssistant, plan: ChargerPlan) -> tuple[float, ...] | None:
    """Lower bounds of the conductor currents from grid-dependent terminals."""
    terminals = plan.terminal_attributes
    if terminals is None:
        return None
    values = _attribute_currents(hass, plan, terminals.role, terminals.names)
    if values is None:
        return None
    return tuple(min(values[i], values[i + 1]) for i in range(3))


def _attribute_currents(
    hass: HomeAssistant, plan: ChargerPlan, role: Role, names: Iterable[str]
) -> tuple[float, ...] | None:
    entity_id = plan.entity(role)
    state = hass.states.get(entity_id) if entity_id else None
    if state is None or state.state in NO_VALUE:
        return None
    values = []
    for name in names:
        try:
            values.append(abs(float(state.attributes[name])))
        except (KeyError, TypeError, ValueError):
            return None
    return tuple(values)


def number(
    hass: HomeAssistant, entity_id: str | None, quantity: Quantity
) -> float | None:
    """The entity's value in A or W, or None if it has none."""
    if not entity_id:
        return None
    value = read_quantity(hass.states.get(entity_id), (quantity,))
    if isinstance(value, StateProblem):
        return None
    return value[1]


def entity_usable(state: State | None) -> bool:
    return state is not None and state.state not in NO_VALUE
