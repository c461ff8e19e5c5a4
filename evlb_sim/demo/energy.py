"""The Energy dashboard, set up as its configuration page does: the building's
import from the site meter as the grid, each charger as an individual device
(its own energy register), through Home Assistant's energy websocket API.
"""

from __future__ import annotations

from typing import Any

from .dashboard import SiteEntities
from .ha_api import WebSocketApi

METER_ENERGY = "meter_energy_import"  # the site meter's import register (kWh)
CHARGER_ENERGY = "energy"  # an OCPP charger's register (kWh)
CHARGER_POWER = "power"


def energy_preferences(found: SiteEntities) -> dict[str, Any]:
    """What energy/save_prefs takes: the grid, and one device per charger."""
    grid = found.site.entities.get(METER_ENERGY)
    if grid is None:
        raise LookupError("the site meter has no import energy sensor")
    return {
        "energy_sources": [
            {
                "type": "grid",
                # As the configuration page sends it: no price (the demo has none).
                "flow_from": [
                    {
                        "stat_energy_from": grid,
                        "stat_cost": None,
                        "entity_energy_price": None,
                        "number_energy_price": None,
                    }
                ],
                "flow_to": [],
                "cost_adjustment_day": 0.0,
            }
        ],
        "device_consumption": [
            {"stat_consumption": charger.entities[CHARGER_ENERGY], "name": charger.name}
            for charger in found.chargers
            if CHARGER_ENERGY in charger.entities
        ],
    }


async def save_energy_preferences(api: WebSocketApi, found: SiteEntities) -> int:
    """Configure the Energy dashboard; returns how many chargers it lists."""
    preferences = energy_preferences(found)
    await api.call("energy/save_prefs", **preferences)
    return len(preferences["device_consumption"])
