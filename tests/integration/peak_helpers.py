"""Helpers for the capacity tariff tests: options, moments, sensor values."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.ev_load_balancer.const import DOMAIN

from .conftest import MARGIN_A
from .loop_helpers import drain
from .simulated_site import METER, SimulatedSite


def tariff_options(**tariff: Any) -> dict[str, Any]:
    """Site options with a capacity tariff (15-minute windows unless told)."""
    section = {
        "enabled": True,
        "window_minutes": "15",
        "peaks_counted": 1,
        "day_start_hour": 0,
        "day_end_hour": 24,
        "day_weight": 1.0,
        "night_weight": 1.0,
        "price_per_kw": 10.0,
    }
    section.update(tariff)
    return {
        "safety_margin": MARGIN_A,
        "hold_time": 0,
        "stale_after": 10,
        "capacity_tariff": section,
    }


async def round_at(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    site: SimulatedSite,
    when: datetime,
) -> None:
    """The clock at `when`, a fresh meter reading, and the round it starts."""
    freezer.move_to(when)
    site.publish()
    async_fire_time_changed(hass)
    await drain(hass)


def site_state(hass: HomeAssistant, key: str) -> State | None:
    """The state of the site's sensor `key` (None: no such entity now)."""
    entity_id = er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"{METER[0]}_site_{key}"
    )
    return None if entity_id is None else hass.states.get(entity_id)


def value(hass: HomeAssistant, key: str) -> float | None:
    """A site sensor's state as a number (None: unknown)."""
    state = site_state(hass, key)
    assert state is not None, key
    return None if state.state in ("unknown", "unavailable") else float(state.state)


def attributes(hass: HomeAssistant, key: str) -> dict[str, Any]:
    state = site_state(hass, key)
    assert state is not None, key
    return dict(state.attributes)


def unplug_all(site: SimulatedSite) -> None:
    """An empty garage: the site's power is the building's alone."""
    for charger in site.chargers:
        charger.plugged = False
