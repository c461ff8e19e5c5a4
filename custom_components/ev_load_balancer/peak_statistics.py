"""The building's own load, hour by hour, from the recorder's long-term statistics.

The site's baseline current sensors (one per phase, the non-EV current) are
measurements, so the recorder keeps an hourly mean of each. Their sum times
the nominal voltage is the hourly baseline the forecast learns from. Only
hours where every phase has a mean count.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from functools import partial
import math

from homeassistant.components.recorder.statistics import statistics_during_period
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.recorder import get_instance

from .const import DOMAIN

PHASE_KEYS = ("l1", "l2", "l3")


def baseline_entity_ids(
    hass: HomeAssistant, entry_unique_id: str | None, phases: int
) -> list[str] | None:
    """The site's baseline current sensors, one per phase; None if one is gone."""
    registry = er.async_get(hass)
    entity_ids = [
        registry.async_get_entity_id(
            "sensor", DOMAIN, f"{entry_unique_id}_site_baseline_current_{key}"
        )
        for key in PHASE_KEYS[:phases]
    ]
    found = [entity_id for entity_id in entity_ids if entity_id]
    return found if len(found) == phases else None


async def async_hourly_baseline_kw(
    hass: HomeAssistant,
    entity_ids: list[str],
    voltage_v: float,
    start: datetime,
    end: datetime,
) -> list[tuple[float, float]]:
    """(hour start as POSIX seconds, mean baseline kW), oldest first."""
    rows = await get_instance(hass).async_add_executor_job(
        partial(
            statistics_during_period,
            hass,
            start,
            end,
            set(entity_ids),
            "hour",
            None,
            {"mean"},
        )
    )
    means: dict[float, list[float]] = defaultdict(list)
    for entity_id in entity_ids:
        for row in rows.get(entity_id, ()):
            mean = row.get("mean")
            if mean is not None and math.isfinite(mean):
                means[float(row["start"])].append(max(0.0, float(mean)))
    return sorted(
        (hour, sum(values) * voltage_v / 1000.0)
        for hour, values in means.items()
        if len(values) == len(entity_ids)
    )
