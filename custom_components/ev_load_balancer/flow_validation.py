"""Checks the flows run on the entities a user picks, with errors per field."""

from __future__ import annotations

from homeassistant.core import HomeAssistant

from .units import Quantity, StateProblem, read_quantity


def check_numeric(
    hass: HomeAssistant, entity_id: str, allowed: tuple[Quantity, ...]
) -> tuple[Quantity | None, str | None]:
    """The entity's quantity, or an error key for the field."""
    value = read_quantity(hass.states.get(entity_id), allowed)
    if isinstance(value, StateProblem):
        return None, value.value
    return value[0], None


def check_phase_entities(
    hass: HomeAssistant,
    fields: dict[str, str],
    allowed: tuple[Quantity, ...],
) -> tuple[Quantity | None, dict[str, str]]:
    """Validate one sensor per phase; all must measure the same quantity."""
    errors: dict[str, str] = {}
    quantities: set[Quantity] = set()
    for field, entity_id in fields.items():
        quantity, error = check_numeric(hass, entity_id, allowed)
        if error:
            errors[field] = error
        elif quantity is not None:
            quantities.add(quantity)
    if not errors and len(quantities) > 1:
        errors["base"] = "mixed_quantities"
    return (quantities.pop() if len(quantities) == 1 else None), errors


def check_exists(hass: HomeAssistant, entity_id: str) -> str | None:
    """An error key when the entity does not exist."""
    return None if hass.states.get(entity_id) is not None else "entity_not_found"
