"""The OCPP central system: a websocket server that chargers connect to.

Chargers connect to ws(s)://host:port/<path>/<charger id>. The handshake is
refused (before any upgrade) for a bad id (404), no common OCPP version (400),
a full pending list (503), missing/wrong credentials of a charger adopted
with a password (401), a login too soon after a failed one (429), or a
second connection for a charger that is connected and alive, unless that
one logs in with its password (409, and the collision is reported). The
gate (gate.py) closes handshakes that take too long and caps those waiting;
refusals are logged as a count once a minute (refusals.py).
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
from .admission import Admission
from .auth import hash_password
from .backend import IdTagPolicy, OcppChargerBackend
from .config import ChargerConfig, ServerConfig
from .connection import Connection
from .const import DYNAMIC_PROFILE_ID, FAILSAFE_PROFILE_ID, TX_PROFILE_ID, OcppVersion
from .credentials import Verdict
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
        self._collision_listeners: list[Callable[[str, str], None]] = []
        self._admission = Admission(config)
        self._runner: web.AppRunner | None = None
        self._listener: asyncio.Server | None = None
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

    def add_collision_listener(
        self, callback: Callable[[str, str], None]
    ) -> Callable[[], None]:
        """Call `callback(charger id, address)` when a second connection for
        a connected charger was refused (two chargers with one id, or an
        impostor)."""
        self._collision_listeners.append(callback)
        return lambda: self._collision_listeners.remove(callback)

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
        assert runner.server is not None
        try:
            # Our own listener (not a TCPSite): every connection passes the gate.
            self._listener = await loop.create_server(
                self._admission.protocol_factory(runner.server),
                self.config.host,
                self.config.port,
                ssl=self.config.ssl_context,
                ssl_handshake_timeout=(
                    self.config.handshake_timeout_s if self.config.ssl_context else None
                ),
            )
        except OSError:
            await runner.cleanup()  # e.g. the port is taken: leave nothing behind
            raise
        self._runner = runner
        self._port = int(self._listener.sockets[0].getsockname()[1])
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
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if listener is not None:
            await listener.wait_closed()
        await self._admission.async_close()
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

    def reconfigure(self, config: ChargerConfig) -> None:
        """New settings of an adopted charger, applied on its live connection.

        Only a new password makes it reconnect (with that password).
        """
        backend = self._backends[config.charger_id]
        new_password = config.password_hash not in (None, backend.config.password_hash)
        backend.reconfigure(config)
        connection = self._connections.get(config.charger_id)
        if new_password and connection is not None and not connection.closed:
            self._close_later(connection, "reconnect with credentials")
        _LOGGER.info("Reconfigured OCPP charger %s", config.charger_id)

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
        admission = self._admission
        if self._stopping:
            return web.Response(status=503, text="stopping")
        charger_id = charger_id_from_tail(request.match_info["tail"])
        if charger_id is None:
            return admission.refuse(404, "invalid charge point id")
        version = negotiate_version(request.headers.get(hdrs.SEC_WEBSOCKET_PROTOCOL))
        if version is None:
            return admission.refuse(400, "no supported OCPP subprotocol", charger_id)
        address = request.remote or ""
        full = self._pending_full(charger_id, address)
        if full is not None:
            return admission.refuse(503, full, charger_id)
        backend = self._backends.get(charger_id)
        verdict = await admission.authenticate(
            request, charger_id, backend.config.password_hash if backend else None
        )
        refusal = admission.refusal(verdict, request, charger_id)
        if refusal is not None:
            return refusal
        if not await self._may_replace(charger_id, verdict):
            for callback in list(self._collision_listeners):
                callback(charger_id, address)
            return admission.refuse(409, "already connected", charger_id)
        if admission.timed_out(request):
            return web.Response(status=408)  # closed meanwhile: nobody listens
        websocket = web.WebSocketResponse(
            protocols=(version.value,),
            max_msg_size=self.config.max_frame_bytes,
            heartbeat=self.config.ws_ping_interval_s,
            timeout=self.config.close_timeout_s,
            autoping=False,  # the connection answers pings (and hears pongs)
            compress=False,
        )
        if not websocket.can_prepare(request).ok:
            return admission.refuse(400, "websocket upgrade expected", charger_id)
        await websocket.prepare(request)
        admission.accepted(request)
        connection = Connection(
            websocket,
            charger_id=charger_id,
            version=version,
            handler=self._handler_for(charger_id, version),
            call_timeout_s=self.config.call_timeout_s,
            address=address,
        )
        self._register(connection)
        try:
            await connection.serve()
        finally:
            self._unregister(connection)
        return websocket

    def _pending_full(self, charger_id: str, address: str) -> str | None:
        """Why a new unknown charger cannot wait for adoption (None: it can)."""
        if charger_id in self._backends or charger_id in self._pending:
            return None
        if len(self._pending) >= self.config.max_pending:
            return "too many chargers wait for adoption"
        from_there = sum(1 for p in self._pending.values() if p.address == address)
        if from_there >= self.config.max_pending_per_address:
            return "too many chargers from one address wait for adoption"
        return None

    async def _may_replace(self, charger_id: str, verdict: Verdict | None) -> bool:
        """Whether a new connection may take over from the charger's live one.

        A charger that logged in with its password may; without a password,
        only when the old connection no longer answers (a charger back after
        a network cut often finds its old TCP connection still open here).
        """
        old = self._connections.get(charger_id)
        if old is None or old.closed or charger_id not in self._backends:
            return True
        if verdict is Verdict.ACCEPTED:
            return True
        return not await old.alive(self.config.liveness_probe_s)

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
            address=connection.address,
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
