"""What peak shaving keeps across restarts: the month's peaks, sessions, target.

The month's daily peaks are the bill so far: a restart must not forget
them, or the month's first window after it would look free. Sessions learnt
per charger and a manual target are kept too. The forecast is not: it is
made again from the recorder's statistics.
"""

from __future__ import annotations

import math
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN
from .peak import PeakController

STORAGE_VERSION = 1
SAVE_DELAY_S = 10.0


class PeakStore:
    """One site's peak shaving state on disk."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.peak"
        )
        self._controller: PeakController | None = None

    async def async_load(self, controller: PeakController) -> None:
        """Restore into `controller`, and save it from now on."""
        self._controller = controller
        data = await self._store.async_load() or {}
        month = data.get("month")
        if isinstance(month, dict):
            controller.tracker.restore(month)
        sessions = data.get("sessions")
        if isinstance(sessions, dict):
            controller.sessions.restore(sessions)
        target = data.get("manual_target_kw")
        if isinstance(target, (int, float)) and math.isfinite(target) and target > 0:
            controller.manual_target_kw = float(target)

    def schedule_save(self) -> None:
        self._store.async_delay_save(self._serialize, SAVE_DELAY_S)

    async def async_save(self) -> None:
        await self._store.async_save(self._serialize())

    async def async_remove(self) -> None:
        await self._store.async_remove()

    def _serialize(self) -> dict[str, Any]:
        controller = self._controller
        if controller is None:
            return {}
        return {
            "month": controller.tracker.to_dict(),
            "sessions": controller.sessions.to_dict(),
            "manual_target_kw": controller.manual_target_kw,
        }
