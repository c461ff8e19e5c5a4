"""What automations and users change at run time, kept across restarts.

Priorities set by automations, boosts, exclusions, departures, the enabled
switch, a temporary site limit and the queue order live in one store per site.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .balancer import QueueEntry
from .const import DOMAIN

STORAGE_VERSION = 1
SAVE_DELAY_S = 10


@dataclass(slots=True)
class ChargerRuntime:
    """Run-time settings of one charger."""

    priority: int | None = None  # None: the configured priority
    boost: bool = False
    boost_until: float | None = None  # None with boost: until unplugged
    included: bool = True
    departure: float | None = None
    energy_wanted_kwh: float | None = None

    def end_session(self) -> None:
        """The EV left: boost and departure belonged to it."""
        self.boost = False
        self.boost_until = None
        self.departure = None
        self.energy_wanted_kwh = None


@dataclass(slots=True)
class SiteRuntime:
    """Run-time settings of the site."""

    enabled: bool = True
    site_limit_a: float | None = None
    site_limit_until: float | None = None
    chargers: dict[str, ChargerRuntime] = field(default_factory=dict)
    queue: dict[str, QueueEntry] = field(default_factory=dict)

    def charger(self, charger_id: str) -> ChargerRuntime:
        return self.chargers.setdefault(charger_id, ChargerRuntime())

    def active_site_limit(self, now: float) -> float | None:
        """The temporary cap, or None when none is set or it expired."""
        if self.site_limit_a is None:
            return None
        if self.site_limit_until is not None and now >= self.site_limit_until:
            self.site_limit_a = None
            self.site_limit_until = None
            return None
        return self.site_limit_a


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
            charger_id: ChargerRuntime(**values)
            for charger_id, values in data.get("chargers", {}).items()
            if charger_id in charger_ids
        }
        queue = {
            charger_id: QueueEntry(**values)
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
            "chargers": {key: asdict(value) for key, value in runtime.chargers.items()},
            "queue": {key: asdict(value) for key, value in runtime.queue.items()},
        }
