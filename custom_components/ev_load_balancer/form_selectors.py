"""The number box every form of the integration uses."""

from __future__ import annotations

from homeassistant.helpers import selector


def number_box(
    low: float, high: float, unit: str | None = None, *, step: float = 1
) -> selector.NumberSelector:
    """A number typed into a box (not a slider), with its unit if it has one."""
    config = selector.NumberSelectorConfig(
        min=low, max=high, step=step, mode=selector.NumberSelectorMode.BOX
    )
    if unit:
        config["unit_of_measurement"] = unit
    return selector.NumberSelector(config)
