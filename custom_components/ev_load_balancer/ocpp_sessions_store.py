"""Charging sessions of a site's OCPP chargers, kept across restarts.

The log keeps the newest sessions (and each charger's energy register) in
Home Assistant's storage. Older sessions are appended to a CSV file in the
configuration directory (ev_load_balancer/sessions-<site>.csv) before the
log drops them: nothing a bill may need is lost.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import logging
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN
from .ocpp_cs import SessionLog, SessionRecord

_LOGGER = logging.getLogger(__name__)

STORAGE_VERSION = 1
SAVE_DELAY_S = 5
MAX_STORED_SESSIONS = 10_000


def export_path(hass: HomeAssistant, entry_id: str) -> Path:
    """Where a site's pruned sessions are appended."""
    return Path(hass.config.path(DOMAIN, f"sessions-{entry_id}.csv"))


def _append(path: Path, csv_text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.stat().st_size > 0:
        csv_text = csv_text.split("\n", 1)[1]  # the header is there already
    with path.open("a", encoding="utf-8", newline="") as file:
        file.write(csv_text)


class SessionStore:
    """Loads a site's SessionLog and saves it shortly after every change."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry_id: str,
        *,
        max_sessions: int = MAX_STORED_SESSIONS,
    ) -> None:
        self._hass = hass
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.ocpp_sessions"
        )
        self._export_path = export_path(hass, entry_id)
        self.log = SessionLog(max_records=max_sessions, on_prune=self._export)
        self._to_export: list[str] = []
        self._writer: asyncio.Task[None] | None = None
        self._unsubscribe: Callable[[], None] | None = None

    async def async_load(self) -> SessionLog:
        data = await self._store.async_load()
        if data:
            self.log.load(data)
        self._unsubscribe = self.log.add_listener(self._schedule_save)
        return self.log

    def _schedule_save(self) -> None:
        self._store.async_delay_save(self.log.dump, SAVE_DELAY_S)

    def _export(self, records: tuple[SessionRecord, ...]) -> None:
        """Append the sessions about to be dropped to the site's CSV file
        (one write at a time, in the order they were dropped)."""
        _LOGGER.info(
            "Moving %d old OCPP sessions to %s", len(records), self._export_path
        )
        self._to_export.append(self.log.to_csv(records))
        if self._writer is None or self._writer.done():
            self._writer = self._hass.async_create_background_task(
                self._write_exports(), name="ev_load_balancer session export"
            )

    async def _write_exports(self) -> None:
        while self._to_export:
            text = self._to_export.pop(0)
            try:
                await self._hass.async_add_executor_job(
                    _append, self._export_path, text
                )
            except OSError as err:
                _LOGGER.error("Old OCPP sessions could not be written: %s", err)

    async def async_save(self) -> None:
        """Write now (unload); also cancels a pending delayed write."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._writer is not None:
            await self._writer
        await self._store.async_save(self.log.dump())

    async def async_remove(self) -> None:
        await self._store.async_remove()
