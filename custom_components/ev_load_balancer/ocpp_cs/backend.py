"""One adopted OCPP charger as a ChargerBackend for the coordinator."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
import logging
import math
from typing import Any

from ..chargers.base import ChargerBackend, ChargerCommandError, ChargerStatus
from .charger_setup import configure_charger
from .commands import Commands
from .commands_v16 import CommandsV16
from .commands_v201 import CommandsV201
from .config import ChargerConfig, ServerConfig
from .connection import Connection
from .const import ACCEPTED, OcppVersion
from .escalation import Escalation
from .incoming import IncomingCalls
from .incoming_v16 import IncomingV16
from .incoming_v201 import IncomingV201
from .info import ChargerInfo, charger_info
from .limit_control import LimitController, LimitFailure
from .operations import OperatorCommands
from .plausibility import Quantity
from .profiles import rate_unit
from .refresh import refresh_delay
from .rpc import CallFailedError, CallHandler, FailureReason
from .sessions import SessionLog
from .state import ChargePointState
from .status_map import charger_state
from .throttle import LogThrottle
from .wire import ErrorCode, JsonObject, OcppError

_LOGGER = logging.getLogger(__name__)

type IdTagPolicy = Callable[[str, str], bool]  # (charger id, id tag) -> allowed

IMPLAUSIBLE_LOG_INTERVAL_S = 3600.0

_FAILURE_REASONS = {
    FailureReason.TIMEOUT: LimitFailure.TIMEOUT,
    FailureReason.DISCONNECTED: LimitFailure.NOT_CONNECTED,
    FailureReason.CALL_ERROR: LimitFailure.CALL_ERROR,
    FailureReason.INVALID_RESPONSE: LimitFailure.INVALID_RESPONSE,
}


def _command_error(err: CallFailedError) -> ChargerCommandError:
    return ChargerCommandError(_FAILURE_REASONS[err.reason], err.detail)


class OcppChargerBackend(OperatorCommands, ChargerBackend, CallHandler):
    """An adopted charger: limits go out as charging profiles (see limit_control)."""

    def __init__(
        self,
        config: ChargerConfig,
        *,
        server_config: ServerConfig,
        sessions: SessionLog,
        authorize: IdTagPolicy | None = None,
    ) -> None:
        super().__init__(config.charger_id)
        self.config = config
        self.sessions = sessions
        self.state = ChargePointState(
            phases=config.phases, energy=sessions.register(config.charger_id)
        )
        self._implausible_logged = LogThrottle(IMPLAUSIBLE_LOG_INTERVAL_S)
        self._server_config = server_config
        self._authorize = authorize
        self._controller = LimitController(config, self.state)
        self._escalation = Escalation(config.charger_id, config.connector_id)
        self._connection: Connection | None = None
        self._commands: Commands | None = None
        self._incoming: IncomingCalls | None = None
        # Limits: one at a time; a newer one supersedes those still waiting.
        self._apply_lock = asyncio.Lock()
        self._generation = 0
        self._sent_generation = 0
        self._send_error: ChargerCommandError | None = None
        self._wanted_a: float | None = None
        self._refresh: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._setup_for: Connection | None = None
        self._setup_again = False
        self._setup_task: asyncio.Task[None] | None = None
        self._transaction_before: str | None = None
        self._stopped = False

    # ChargerBackend ------------------------------------------------------

    @property
    def status(self) -> ChargerStatus:
        state = self.state
        return ChargerStatus(
            state=charger_state(state),
            current_a=state.current_a,
            power_w=state.power_w,
            energy_kwh=None if state.energy_wh is None else state.energy_wh / 1000.0,
            updated_at=state.updated_at,
        )

    @property
    def available(self) -> bool:
        """Connected and set up (after its boot): its failsafe profile goes in
        before any limit."""
        connection = self._connection
        return (
            connection is not None
            and not connection.closed
            and self._setup_for is connection
        )

    async def async_apply_limit(self, current_a: float) -> None:
        """Apply a limit; the newest wins.

        Limits queue behind the one in flight. Whoever runs next sends the
        newest limit only, and every caller it covers returns with its outcome.
        """
        if not math.isfinite(current_a) or current_a < 0:
            raise ValueError(f"limit must be a finite current >= 0, not {current_a}")
        self._wanted_a = current_a
        self._generation += 1
        generation = self._generation
        async with self._apply_lock:
            if self._sent_generation < generation:
                await self._send_newest_limit()
        if self._send_error is not None:
            raise ChargerCommandError(self._send_error.reason, self._send_error.detail)

    async def _send_newest_limit(self) -> None:
        newest, wanted = self._generation, self._wanted_a
        assert wanted is not None
        error: ChargerCommandError | None = None
        try:
            if self._commands is None:
                raise ChargerCommandError(LimitFailure.NOT_CONNECTED, self.charger_id)
            await self._controller.apply(self._commands, wanted)
        except CallFailedError as err:
            error = _command_error(err)
        except ChargerCommandError as err:
            error = err
        finally:
            self._schedule_refresh()
            self._notify()
        self._sent_generation, self._send_error = newest, error

    async def async_start(self) -> None:
        self._stopped = False

    async def async_stop(self) -> None:
        self._stopped = True
        self._cancel_refresh()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # Views for the HA layer ------------------------------------------------

    @property
    def info(self) -> ChargerInfo:
        """A snapshot for entities."""
        return charger_info(
            self.charger_id,
            self.state,
            limit_a=self._controller.applied_a,
            rate_unit=rate_unit(self._controller.capabilities)
            if self._controller.capabilities.rate_units
            else None,
            failsafe_installed=self._controller.failsafe_installed,
        )

    @property
    def holds_paused(self) -> bool:
        """Whether the newest limit we were given is 0 A."""
        return self._wanted_a == 0

    @property
    def heartbeat_interval_s(self) -> int:
        """Heartbeat interval given to the charger at boot."""
        return self._server_config.heartbeat_interval_s

    def authorize_id_tag(self, id_tag: str) -> bool:
        """The integration's id tag policy (default: everyone may charge)."""
        return self._authorize is None or self._authorize(self.charger_id, id_tag)

    def implausible(self, quantities: set[Quantity]) -> None:
        """Absurd values were ignored: say so once an hour per kind."""
        for quantity in sorted(quantities):
            if self._implausible_logged.ready(quantity):
                _LOGGER.warning(
                    "%s: ignored an unreadable or implausible %s value "
                    "(said at most once an hour)",
                    self.charger_id,
                    quantity,
                )

    # Escalation for a charger that takes no limit (see escalation.py) ------

    @property
    def refused_forms(self) -> tuple[str, ...]:
        """The forms of limit it refused on this connection (empty: it takes one)."""
        return self._controller.refused

    @property
    def made_unavailable(self) -> bool:
        return self._escalation.unavailable

    @property
    def escalation_steps(self) -> tuple[str, ...]:
        """What the newest escalation did (named as each step goes out)."""
        return self._escalation.steps

    def forget_escalation(self) -> None:
        """It takes limits again: the steps once taken are history."""
        self._escalation.forget()

    async def async_escalate(self, *, allow_stop: bool) -> tuple[str, ...]:
        """Stop its session or set it unavailable; the steps taken (also in
        `escalation_steps`, there even when a CALL fails)."""
        return await self._command(
            lambda commands: self._escalation.enforce(
                commands, self.state, allow_stop=allow_stop
            )
        )

    async def async_restore_availability(self) -> bool:
        return await self._command(self._escalation.restore)

    async def _command[T](self, operation: Callable[[Commands], Awaitable[T]]) -> T:
        commands = self._commands
        if commands is None:
            raise ChargerCommandError(LimitFailure.NOT_CONNECTED, self.charger_id)
        try:
            return await operation(commands)
        except CallFailedError as err:
            raise _command_error(err) from err

    # Connection lifecycle (called by the central system) ---------------------

    def attach(self, connection: Connection) -> None:
        """A connection of this charger is now the live one."""
        self._connection = connection
        if connection.version is OcppVersion.V16:
            self._commands = CommandsV16(connection.call)
            self._incoming = IncomingV16(self)
        else:
            self._commands = CommandsV201(connection.call)
            self._incoming = IncomingV201(self)
        connection.handler = self
        self.state.connected = True
        self.state.version = connection.version
        self._controller.new_connection()
        self._notify()

    def detach(self, connection: Connection) -> None:
        """That connection is gone (unless a newer one replaced it already)."""
        if self._connection is not connection:
            return
        self._connection = None
        self._commands = None
        self.state.connected = False
        self._cancel_refresh()
        self._notify()

    def reconfigure(self, config: ChargerConfig) -> None:
        """New settings in place: a connected charger is set up again (its
        failsafe profile) and gets its limit again, without a reconnection."""
        old, self.config = self.config, config
        self._controller.reconfigure(config)
        if not self.available:
            return
        if replace(old, limit_validity_s=config.limit_validity_s) != config:
            self._request_setup()  # a new failsafe, phases or metering
        else:
            self._spawn(self._reapply(), "reapply")  # only the validity

    def request_boot(self) -> None:
        """Adopted while connected: ask for a BootNotification to accept."""
        self._spawn(self._request_boot(), "boot")

    async def _request_boot(self) -> None:
        connection = self._connection
        try:
            status = await self._command(
                lambda commands: commands.trigger_message("BootNotification")
            )
        except ChargerCommandError as err:
            status = err.reason
        if (
            status != ACCEPTED
            and connection is not None
            and connection is self._connection
        ):
            # It will boot again by itself after the Pending interval; set it
            # up now so that it is controlled meanwhile.
            _LOGGER.debug("%s: boot trigger answered %s", self.charger_id, status)
            self._setup_for = connection
            self._request_setup()

    # CallHandler ---------------------------------------------------------

    def handle_call(self, action: str, payload: JsonObject) -> JsonObject:
        if self._incoming is None:
            raise OcppError(ErrorCode.INTERNAL_ERROR, "not attached")
        self._transaction_before = self.state.transaction_id
        return self._incoming.handle(action, payload)

    def after_call(self, action: str, payload: JsonObject) -> None:
        transaction = self.state.transaction_id
        if transaction is not None and transaction != self._transaction_before:
            self._controller.transaction_started(transaction)
            # Chargers that refuse the default profile get theirs now.
            self._spawn(self._reapply(), "reapply")
        connection = self._connection
        # Set up after a boot, and once per connection: a 1.6 charger that
        # reconnects without rebooting sends no BootNotification.
        if connection is not None and (
            action == "BootNotification" or self._setup_for is not connection
        ):
            self._setup_for = connection
            self._request_setup()
        self._notify()

    # Setup, refresh and background work ----------------------------------

    def _request_setup(self) -> None:
        self._setup_again = True
        if self._setup_task is None or self._setup_task.done():
            self._setup_task = self._spawn(self._setup_loop(), "setup")

    async def _setup_loop(self) -> None:
        while self._setup_again:
            self._setup_again = False
            async with self._apply_lock:
                commands = self._commands
                if commands is None:
                    return
                try:
                    await configure_charger(commands, self._controller, self.config)
                except CallFailedError as err:
                    _LOGGER.warning(
                        "%s: setup incomplete (%s)", self.charger_id, err.reason
                    )
                    continue
            self._notify()
            await self._reapply()

    async def _reapply(self) -> None:
        """Send the newest limit again (after setup, at a transaction start, ...)."""
        if self._wanted_a is None:
            return
        try:
            await self.async_apply_limit(self._wanted_a)
        except ChargerCommandError as err:
            _LOGGER.debug("%s: re-applying the limit failed: %s", self.charger_id, err)

    def _schedule_refresh(self) -> None:
        """Refresh the limit well before its profile expires."""
        self._cancel_refresh()
        if self._stopped or self._connection is None:
            return
        delay = refresh_delay(self.charger_id, self.config.limit_validity_s)
        self._refresh = asyncio.get_running_loop().call_later(delay, self._refresh_due)

    def _refresh_due(self) -> None:
        self._refresh = None
        self._spawn(self._reapply(), "refresh")

    def _cancel_refresh(self) -> None:
        if self._refresh is not None:
            self._refresh.cancel()
            self._refresh = None

    def _spawn(
        self, coroutine: Coroutine[Any, Any, None], name: str
    ) -> asyncio.Task[None] | None:
        if self._stopped:
            coroutine.close()
            return None
        # Eager: runs at once up to its first wait, so that a setup takes the
        # limit lock before a limit that arrives right after the boot.
        task = asyncio.Task(
            coroutine,
            loop=asyncio.get_running_loop(),
            name=f"ocpp {self.charger_id} {name}",
            eager_start=True,
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task
