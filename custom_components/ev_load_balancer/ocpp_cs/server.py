"""The OCPP central system: a websocket server that chargers connect to.

Chargers connect to ws(s)://host:port/<path>/<charger id>. The handshake is
refused (before any upgrade) for a bad id (404), no common OCPP version (400)
or missing/wrong credentials of a charger adopted with a password (401).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
import logging
import time

from aiohttp import WSCloseCode, hdrs, web

from ..chargers.base import ChargerCommandError
from ..listeners import Listeners
from .auth import hash_password, parse_basic_auth, verify_password
from .backend import IdTagPolicy, OcppChargerBackend
from .config import ChargerConfig, ServerConfig
from .connection import Connection
from .const import DYNAMIC_PROFILE_ID, FAILSAFE_PROFILE_ID, TX_PROFILE_ID, OcppVersion
from .handshake import charger_id_from_tail, negotiate_version
from .pending import PendingCalls, PendingCharger
from .sessions import SessionLog
from .state import BootInfo
from .wire import preload_schemas

_LOGGER = logging.getLogger(__name__)


class CentralSystem:
    """Accepts chargers, keeps adopted ones controlled and lists the others."""

    def __init__(
        self,
        config: ServerConfig,
        *,
        chargers: Iterable[ChargerConfig] = (),
        sessions: SessionLog | None = None,
        authorize: IdTagPolicy | None = None,
    ) -> None:
        self.config = config
        self.sessions = sessions if sessions is not None else SessionLog()
        self._authorize = authorize
        self._backends = {
            charger.charger_id: self._new_backend(charger) for charger in chargers
        }
        self._connections: dict[str, Connection] = {}
        self._pending: dict[str, PendingCharger] = {}
        self._pending_listeners = Listeners()
        self._charger_listeners = Listeners()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._closing: set[asyncio.Task[None]] = set()
        self._stopping = False

    # Public API ----------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound port (useful with port 0)."""
        if self._port is None:
            raise RuntimeError("the central system is not running")
        return self._port

    @property
    def backends(self) -> Mapping[str, OcppChargerBackend]:
        """Adopted chargers by id."""
        return dict(self._backends)

    @property
    def pending(self) -> tuple[PendingCharger, ...]:
        """Connected chargers that are not adopted, by id."""
        return tuple(self._pending[key] for key in sorted(self._pending))

    def add_pending_listener(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call `callback` when the pending list changes (offer "adopt" in HA)."""
        return self._pending_listeners.add(callback)

    def add_chargers_listener(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call `callback` when a charger is adopted or forgotten."""
        return self._charger_listeners.add(callback)

    async def async_start(self) -> None:
        """Listen for chargers."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, preload_schemas)
        app = web.Application()
        app.router.add_get(f"{self.config.path}/{{tail:.*}}", self._handle)
        runner = web.AppRunner(
            app,
            access_log=None,
            shutdown_timeout=self.config.close_timeout_s + 1,
        )
        await runner.setup()
        site = web.TCPSite(
            runner,
            self.config.host,
            self.config.port,
            ssl_context=self.config.ssl_context,
        )
        try:
            await site.start()
        except OSError:
            await runner.cleanup()  # e.g. the port is taken: leave nothing behind
            raise
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        self._stopping = False
        for backend in self._backends.values():
            await backend.async_start()
        _LOGGER.debug("OCPP central system listening on port %s", self._port)

    async def async_stop(self) -> None:
        """Close every connection, task and timer, then the listening socket."""
        self._stopping = True
        for backend in self._backends.values():
            await backend.async_stop()
        await asyncio.gather(
            *(
                connection.close(WSCloseCode.GOING_AWAY, "server stopping")
                for connection in list(self._connections.values())
            ),
            return_exceptions=True,
        )
        await asyncio.gather(*self._closing, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self._port = None
        self._connections.clear()
        if self._pending:
            self._pending.clear()
            self._pending_listeners.notify()

    async def async_adopt(
        self, config: ChargerConfig, *, password: str | None = None
    ) -> ChargerConfig:
        """Adopt a charger; returns the config to persist (with the password hash).

        A connected charger is asked to boot again (TriggerMessage) and is
        accepted then; a charger that refuses is set up at once and accepted
        on its next boot. With a new password it must reconnect with it.
        """
        charger_id = config.charger_id
        if password:
            password_hash = await asyncio.get_running_loop().run_in_executor(
                None, hash_password, password
            )
            config = replace(config, password_hash=password_hash)
        if charger_id in self._backends:
            await self.async_forget(charger_id, clear_profiles=False)
        backend = self._new_backend(config)
        self._backends[charger_id] = backend
        if self._runner is not None:
            await backend.async_start()
        if self._pending.pop(charger_id, None) is not None:
            self._pending_listeners.notify()
        connection = self._connections.get(charger_id)
        if connection is not None and not connection.closed:
            if config.password_hash is not None:
                self._close_later(connection, "reconnect with credentials")
            else:
                backend.attach(connection)
                backend.request_boot()
        _LOGGER.info("Adopted OCPP charger %s", charger_id)
        self._charger_listeners.notify()
        return config

    async def async_forget(
        self, charger_id: str, *, clear_profiles: bool = True
    ) -> None:
        """Stop controlling a charger; it shows up as pending when it reconnects.

        Our profiles are removed first (best effort), so that the failsafe
        current does not stay in the charger for ever.
        """
        backend = self._backends.pop(charger_id, None)
        if backend is None:
            return
        if clear_profiles and backend.available:
            for profile_id in (TX_PROFILE_ID, DYNAMIC_PROFILE_ID, FAILSAFE_PROFILE_ID):
                try:
                    await backend.async_clear_profile(profile_id)
                except ChargerCommandError:
                    break
        await backend.async_stop()
        connection = self._connections.get(charger_id)
        if connection is not None:
            self._close_later(connection, "charger forgotten")
        self._charger_listeners.notify()

    # Handshake and connection registry ------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if self._stopping:
            return web.Response(status=503, text="stopping")
        charger_id = charger_id_from_tail(request.match_info["tail"])
        if charger_id is None:
            _LOGGER.debug("Refused connection: invalid charger id")
            return web.Response(status=404, text="invalid charge point id")
        version = negotiate_version(request.headers.get(hdrs.SEC_WEBSOCKET_PROTOCOL))
        if version is None:
            _LOGGER.warning("%s: refused, no supported OCPP subprotocol", charger_id)
            return web.Response(status=400, text="offer ocpp1.6 or ocpp2.0.1")
        if self._pending_full(charger_id):
            _LOGGER.warning(
                "%s: refused, too many chargers wait for adoption", charger_id
            )
            return web.Response(status=503, text="too many pending chargers")
        if not await self._authenticated(request, charger_id):
            _LOGGER.warning("%s: refused, missing or wrong credentials", charger_id)
            return web.Response(
                status=401, headers={hdrs.WWW_AUTHENTICATE: 'Basic realm="OCPP"'}
            )
        websocket = web.WebSocketResponse(
            protocols=(version.value,),
            max_msg_size=self.config.max_frame_bytes,
            heartbeat=self.config.ws_ping_interval_s,
            timeout=self.config.close_timeout_s,
            compress=False,
        )
        if not websocket.can_prepare(request).ok:
            return web.Response(status=400, text="websocket upgrade expected")
        await websocket.prepare(request)
        connection = Connection(
            websocket,
            charger_id=charger_id,
            version=version,
            handler=self._handler_for(charger_id, version),
            call_timeout_s=self.config.call_timeout_s,
        )
        self._register(connection)
        try:
            await connection.serve()
        finally:
            self._unregister(connection)
        return websocket

    def _pending_full(self, charger_id: str) -> bool:
        return (
            charger_id not in self._backends
            and charger_id not in self._pending
            and len(self._pending) >= self.config.max_pending
        )

    async def _authenticated(self, request: web.Request, charger_id: str) -> bool:
        backend = self._backends.get(charger_id)
        password_hash = backend.config.password_hash if backend else None
        if password_hash is None:
            return True
        credentials = parse_basic_auth(request.headers.get(hdrs.AUTHORIZATION))
        if credentials is None or credentials[0] != charger_id:
            return False
        return await asyncio.get_running_loop().run_in_executor(
            None, verify_password, credentials[1], password_hash
        )

    def _handler_for(
        self, charger_id: str, version: OcppVersion
    ) -> OcppChargerBackend | PendingCalls:
        backend = self._backends.get(charger_id)
        if backend is not None:
            return backend
        return PendingCalls(
            charger_id,
            version,
            retry_s=self.config.pending_retry_s,
            on_boot=self._pending_booted,
        )

    def _register(self, connection: Connection) -> None:
        charger_id = connection.charger_id
        old = self._connections.get(charger_id)
        self._connections[charger_id] = connection
        if old is not None:
            _LOGGER.info("%s: new connection replaces the old one", charger_id)
            self._close_later(old, "replaced by a new connection")
        backend = self._backends.get(charger_id)
        if backend is not None:
            backend.attach(connection)
            return
        self._pending[charger_id] = PendingCharger(
            charger_id=charger_id,
            ocpp_version=connection.version,
            connected_at=time.time(),
        )
        _LOGGER.info("%s: unknown charger connected, waiting for adoption", charger_id)
        self._pending_listeners.notify()

    def _unregister(self, connection: Connection) -> None:
        charger_id = connection.charger_id
        if self._connections.get(charger_id) is not connection:
            return  # a newer connection took over
        del self._connections[charger_id]
        backend = self._backends.get(charger_id)
        if backend is not None:
            backend.detach(connection)
        if self._pending.pop(charger_id, None) is not None:
            self._pending_listeners.notify()

    def _pending_booted(self, charger_id: str, boot: BootInfo) -> None:
        pending = self._pending.get(charger_id)
        if pending is not None:
            self._pending[charger_id] = replace(pending, boot=boot)
            self._pending_listeners.notify()

    def _close_later(self, connection: Connection, why: str) -> None:
        task = asyncio.get_running_loop().create_task(
            connection.close(WSCloseCode.POLICY_VIOLATION, why),
            name=f"ocpp close {connection.charger_id}",
        )
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    def _new_backend(self, config: ChargerConfig) -> OcppChargerBackend:
        return OcppChargerBackend(
            config,
            server_config=self.config,
            sessions=self.sessions,
            authorize=self._authorize,
        )
