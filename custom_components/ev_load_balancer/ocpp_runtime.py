"""The site's OCPP central system in Home Assistant: built, started, stopped.

One CentralSystem per site, built from the site's options (where it listens)
and its `ocpp_charger` subentries (who is adopted). Adopted chargers become
coordinator backends; unknown ones are answered Pending and raise a repair
issue that points to "Add OCPP charger". Adopting, forgetting or changing a
charger changes the running server in place (site_changes.py): no other
charger notices. Only new server settings restart it, and then every charger
reconnects (each keeps its failsafe profile meanwhile).
Chargers adopted without a password, and second connections refused for a
connected charger, are repair issues too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
import logging
import ssl
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later

from .chargers.ocpp_charger import OcppCharger
from .config_model import connection_wiring
from .const import CONF_CONNECTION, DEFAULT_VOLTAGE
from .ocpp_const import (
    CONF_CHARGE_POINT_ID,
    CONF_FAILSAFE_CURRENT,
    CONF_PASSWORD_HASH,
    CONF_PROFILE_VALIDITY,
    DEFAULT_PROFILE_VALIDITY_S,
    OCPP_START_RETRY_S,
    SUBENTRY_OCPP_CHARGER,
)
from .ocpp_cs import (
    CentralSystem,
    ChargerConfig as OcppChargerConfig,
    OcppChargerBackend,
    PendingCharger,
    SessionLog,
)
from .ocpp_issues import OcppIssues
from .ocpp_sessions_store import SessionStore
from .ocpp_settings import OcppServerSettings

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AdoptedCharger:
    """One `ocpp_charger` subentry, in the OCPP layer's terms."""

    subentry_id: str
    name: str
    config: OcppChargerConfig


def adopted_chargers(entry: ConfigEntry, voltage_v: float) -> list[AdoptedCharger]:
    """The site's adopted OCPP chargers."""
    adopted: list[AdoptedCharger] = []
    validity = int(entry.options.get(CONF_PROFILE_VALIDITY, DEFAULT_PROFILE_VALIDITY_S))
    for subentry in entry.subentries.values():
        if subentry.subentry_type != SUBENTRY_OCPP_CHARGER:
            continue
        data = subentry.data
        config = OcppChargerConfig(
            charger_id=data[CONF_CHARGE_POINT_ID],
            password_hash=data.get(CONF_PASSWORD_HASH),
            failsafe_current_a=float(data.get(CONF_FAILSAFE_CURRENT, 0.0)),
            phases=len(connection_wiring(data[CONF_CONNECTION])),
            nominal_voltage_v=voltage_v or DEFAULT_VOLTAGE,
            limit_validity_s=validity,
        )
        adopted.append(AdoptedCharger(subentry.subentry_id, subentry.title, config))
    return adopted


class OcppRuntime:
    """Owns a site's central system, its session store and its repair issues."""

    def __init__(
        self,
        hass: HomeAssistant,
        *,
        entry_id: str,
        site_name: str,
        settings: OcppServerSettings,
        store: SessionStore,
        adopted: list[AdoptedCharger],
        ssl_context: ssl.SSLContext | None,
        tls_error: str | None,
    ) -> None:
        self._hass = hass
        self.settings = settings
        self._store = store
        self._tls_error = tls_error
        self.central = CentralSystem(
            settings.server_config(ssl_context),
            chargers=[charger.config for charger in adopted],
            sessions=store.log,
        )
        backends = self.central.backends
        self.chargers: dict[str, OcppCharger] = {
            charger.subentry_id: OcppCharger(
                charger.subentry_id, backends[charger.config.charger_id]
            )
            for charger in adopted
        }
        self.names = {charger.subentry_id: charger.name for charger in adopted}
        self._issues = OcppIssues(hass, entry_id, site_name)
        self._unsubscribers: list[Callable[[], None]] = []
        self._retry: CALLBACK_TYPE | None = None
        self.error: str | None = None

    @classmethod
    async def async_create(
        cls, hass: HomeAssistant, entry: ConfigEntry, site_name: str, voltage_v: float
    ) -> OcppRuntime:
        """Load sessions and TLS files; nothing listens until async_start."""
        settings = OcppServerSettings.from_options(entry.options)
        store = SessionStore(hass, entry.entry_id)
        await store.async_load()
        ssl_context: ssl.SSLContext | None = None
        tls_error: str | None = None
        if settings.enabled and settings.tls:
            try:
                ssl_context = await settings.async_ssl_context(hass)
            except (OSError, ssl.SSLError) as err:
                # Never fall back to plain ws://: the server stays down.
                tls_error = f"TLS certificate or key: {err}"
        return cls(
            hass,
            entry_id=entry.entry_id,
            site_name=site_name,
            settings=settings,
            store=store,
            adopted=adopted_chargers(entry, voltage_v),
            ssl_context=ssl_context,
            tls_error=tls_error,
        )

    # Lifecycle -----------------------------------------------------------

    async def async_start(self) -> None:
        """Listen for chargers, if the server is turned on."""
        self._unsubscribers.append(
            self.central.add_pending_listener(self._pending_changed)
        )
        self._unsubscribers.append(self.central.add_collision_listener(self._collision))
        if not self.settings.enabled:
            return
        self._issues.without_password(self._without_password())
        if self._tls_error is not None:
            self._failed(self._tls_error, retry=False)
            return
        await self._async_try_start()

    async def _async_try_start(self, _now: datetime | None = None) -> None:
        self._retry = None
        try:
            await self.central.async_start()
        except OSError as err:
            self._failed(str(err), retry=True)
            return
        if self.error is not None:
            _LOGGER.info("OCPP server listens again on port %s", self.central.port)
        self.error = None
        self._issues.server_failed(None)

    def _failed(self, error: str, *, retry: bool) -> None:
        if self.error is None:
            _LOGGER.error("OCPP server cannot start: %s", error)
        self.error = error
        self._issues.server_failed(error)
        if retry:
            self._retry = async_call_later(
                self._hass,
                OCPP_START_RETRY_S,
                HassJob(self._async_try_start, cancel_on_shutdown=True),
            )

    async def async_stop(self) -> None:
        """Close the server, every connection and timer; save the sessions."""
        if self._retry is not None:
            self._retry()
            self._retry = None
        for unsubscribe in self._unsubscribers:
            unsubscribe()
        self._unsubscribers.clear()
        await self.central.async_stop()
        await self._store.async_save()
        self._issues.clear_all()

    async def async_forget_removed(self, entry: ConfigEntry) -> None:
        """Chargers whose subentry is gone: take our profiles out of them.

        Called before a reload that drops them, while they are still
        connected; otherwise their failsafe profile would stay in them for ever.
        """
        for subentry_id in [
            sid for sid in self.chargers if sid not in entry.subentries
        ]:
            await self.async_drop(subentry_id)

    async def async_set(self, adopted: AdoptedCharger) -> OcppCharger | None:
        """Adopt a charger, or change an adopted one, on the running server.

        Returns the new back end of a charger new to the coordinator (None
        when the existing one goes on, reconfigured in place).
        """
        subentry_id, config = adopted.subentry_id, adopted.config
        self.names[subentry_id] = adopted.name
        known = self.chargers.get(subentry_id)
        if known is not None and known.ocpp.charger_id == config.charger_id:
            if known.ocpp.config != config:
                self.central.reconfigure(config)
            self._sync_password_issue()
            return None
        if known is not None:  # a new charge point id: another charger
            await self.central.async_forget(known.ocpp.charger_id)
        await self.central.async_adopt(config)
        charger = OcppCharger(subentry_id, self.central.backends[config.charger_id])
        self.chargers[subentry_id] = charger
        self._sync_password_issue()
        return charger

    async def async_drop(self, subentry_id: str) -> None:
        """Forget a charger: our profiles out of it, its connection closed."""
        charger = self.chargers.pop(subentry_id, None)
        self.names.pop(subentry_id, None)
        if charger is None:
            return
        _LOGGER.info("Forgetting OCPP charger %s", charger.ocpp.charger_id)
        await self.central.async_forget(charger.ocpp.charger_id)
        self._sync_password_issue()

    def _sync_password_issue(self) -> None:
        if self.settings.enabled:
            self._issues.without_password(self._without_password())

    def _without_password(self) -> list[str]:
        return [
            self.names[subentry_id]
            for subentry_id, charger in self.chargers.items()
            if charger.ocpp.config.password_hash is None
        ]

    @callback
    def _pending_changed(self) -> None:
        self._issues.sync_pending(self.central.pending)

    @callback
    def _collision(self, charger_id: str, address: str) -> None:
        name = next(
            (
                self.names[subentry_id]
                for subentry_id, charger in self.chargers.items()
                if charger.ocpp.charger_id == charger_id
            ),
            charger_id,
        )
        self._issues.collision(charger_id, name, address)  # logged as a refusal

    # Views ---------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.settings.enabled and self.port is not None

    @property
    def port(self) -> int | None:
        """The port the server listens on (None while it does not)."""
        try:
            return self.central.port
        except RuntimeError:
            return None

    @property
    def pending(self) -> tuple[PendingCharger, ...]:
        return self.central.pending

    @property
    def sessions(self) -> SessionLog:
        return self.central.sessions

    def backend(self, subentry_id: str) -> OcppChargerBackend | None:
        """The OCPP side of an adopted charger."""
        charger = self.chargers.get(subentry_id)
        return charger.ocpp if charger is not None else None

    def charge_point_id(self, subentry_id: str) -> str | None:
        backend = self.backend(subentry_id)
        return backend.charger_id if backend is not None else None

    def diagnostics(self) -> dict[str, Any]:
        """Server state and each charger's OCPP picture (no secrets)."""
        settings = self.settings
        chargers: dict[str, Mapping[str, Any]] = {}
        for subentry_id, charger in self.chargers.items():
            backend = charger.ocpp
            info = asdict(backend.info)
            info.pop("id_tag")  # personal: an RFID card number
            chargers[subentry_id] = {
                "name": self.names[subentry_id],
                "charge_point_id": backend.charger_id,
                "password_set": backend.config.password_hash is not None,
                "failsafe_current_a": backend.config.failsafe_current_a,
                "phases": backend.config.phases,
                "info": info,
            }
        return {
            "enabled": settings.enabled,
            "host": settings.host,
            "port": settings.port,
            "bound_port": self.port,
            "path": settings.path,
            "tls": settings.tls,
            "running": self.running,
            "error": self.error,
            "pending": [
                {
                    "charge_point_id": pending.charger_id,
                    "ocpp_version": pending.ocpp_version.value,
                    "vendor": pending.vendor,
                    "model": pending.model,
                }
                for pending in self.pending
            ],
            "chargers": chargers,
            "sessions": len(self.sessions.records),
        }
