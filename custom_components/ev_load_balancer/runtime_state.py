"""The site's run-time settings (loop/runtime.py), kept across restarts.

Priorities set by automations, boosts, exclusions, departures with the energy
still needed, the enabled switch, a temporary site limit and the queue live in
one store per site.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .balancer import QueueEntry
from .const import DOMAIN
from .loop.runtime import ChargerRuntime, SiteRuntime

STORAGE_VERSION = 1
SAVE_DELAY_S = 10
# No EV waits a week in a queue: a longer wait was saved by a version that
# mixed two clocks, and would trip the queue's reservation at once.
MAX_PLAUSIBLE_WAIT_S = 7 * 86400.0
# Peak shaving's estimates are made again every round: not stored.
_NOT_STORED = frozenset({"estimated_departure", "estimated_energy_kwh"})
_FIELDS = frozenset(field.name for field in fields(ChargerRuntime)) - _NOT_STORED


class RuntimeStore:
    """Loads and saves a site's SiteRuntime."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}"
        )
        self.runtime = SiteRuntime()

    async def async_load(self, charger_ids: set[str]) -> SiteRuntime:
        data = await self._store.async_load() or {}
        chargers = {
            charger_id: ChargerRuntime(
                **{key: value for key, value in values.items() if key in _FIELDS}
            )
            for charger_id, values in data.get("chargers", {}).items()
            if charger_id in charger_ids
        }
        queue = {
            charger_id: _plausible_queue_entry(QueueEntry(**values))
            for charger_id, values in data.get("queue", {}).items()
            if charger_id in charger_ids
        }
        self.runtime = SiteRuntime(
            enabled=data.get("enabled", True),
            site_limit_a=data.get("site_limit_a"),
            site_limit_until=data.get("site_limit_until"),
            chargers=chargers,
            queue=queue,
        )
        return self.runtime

    def schedule_save(self) -> None:
        self._store.async_delay_save(self._serialize, SAVE_DELAY_S)

    async def async_save(self) -> None:
        await self._store.async_save(self._serialize())

    async def async_remove(self) -> None:
        await self._store.async_remove()

    def _serialize(self) -> dict[str, Any]:
        runtime = self.runtime
        return {
            "enabled": runtime.enabled,
            "site_limit_a": runtime.site_limit_a,
            "site_limit_until": runtime.site_limit_until,
            "chargers": {
                key: {
                    name: setting
                    for name, setting in asdict(value).items()
                    if name in _FIELDS
                }
                for key, value in runtime.chargers.items()
            },
            "queue": {key: asdict(value) for key, value in runtime.queue.items()},
        }


def _plausible_queue_entry(entry: QueueEntry) -> QueueEntry:
    waited = entry.waited_s
    served = entry.served_s
    if waited is not None and not 0 <= waited <= MAX_PLAUSIBLE_WAIT_S:
        waited = None
    if not 0 <= served <= MAX_PLAUSIBLE_WAIT_S:
        served = 0.0
    return QueueEntry(waited, served)
