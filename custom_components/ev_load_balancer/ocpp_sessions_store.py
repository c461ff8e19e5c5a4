"""Charging sessions of a site's OCPP chargers, kept across restarts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN
from .ocpp_cs import SessionLog

STORAGE_VERSION = 1
SAVE_DELAY_S = 5


class SessionStore:
    """Loads a site's SessionLog and saves it shortly after every change."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.ocpp_sessions"
        )
        self.log = SessionLog()
        self._unsubscribe: Callable[[], None] | None = None

    async def async_load(self) -> SessionLog:
        data = await self._store.async_load()
        if data:
            self.log.load(data)
        self._unsubscribe = self.log.add_listener(self._schedule_save)
        return self.log

    def _schedule_save(self) -> None:
        self._store.async_delay_save(self.log.dump, SAVE_DELAY_S)

    async def async_save(self) -> None:
        """Write now (unload); also cancels a pending delayed write."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        await self._store.async_save(self.log.dump())

    async def async_remove(self) -> None:
        await self._store.async_remove()
