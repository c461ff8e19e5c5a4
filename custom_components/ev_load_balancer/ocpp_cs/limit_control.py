"""Current limits as charging profiles, with the fallbacks real chargers need.

Layout in the charger:
- stack level 0, TxDefaultProfile, every connector: the failsafe current,
  permanent. The charger falls back to it by itself when HA goes away.
- stack level 1, TxDefaultProfile, the balanced connector: the balancer's
  limit, valid for `limit_validity_s` and refreshed before it expires.
- TxProfile on the running transaction, when the charger rejects the default
  profile, or on resume from a pause (some chargers read the default profile
  only when a transaction starts). Once set it governs that transaction, so
  later limits go there too.

A pause the charger refuses as 0 A stops the transaction instead; resuming a
session that ended while paused starts a new one remotely, carrying the limit.

A charger that refuses all of these (or answers NotImplemented) is offered
other forms of the same limit: on connector 0, in W instead of A. The form
that works is kept for the connection. When none does, `refused` lists what
was tried; escalation.py takes it from there.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
import logging

from ..chargers.base import ChargerCommandError
from .commands import Capabilities, ChargingProfile, Commands, RateUnit
from .config import ChargerConfig
from .const import ACCEPTED, DYNAMIC_STACK_LEVEL, TX_PROFILE_ID
from .profiles import (
    dynamic_profile,
    failsafe_profile,
    limit_value,
    rate_unit,
    tx_profile,
)
from .rpc import CallFailedError, FailureReason
from .state import ChargePointState

_LOGGER = logging.getLogger(__name__)


class LimitFailure(StrEnum):
    """`ChargerCommandError.reason` values (translation keys for repair issues)."""

    NOT_CONNECTED = "not_connected"
    TIMEOUT = "timeout"
    CALL_ERROR = "call_error"  # the charger answered with a CALLERROR
    INVALID_RESPONSE = "invalid_response"
    PROFILE_REJECTED = "profile_rejected"  # every profile purpose was rejected
    PAUSE_REJECTED = "pause_rejected"  # neither 0 A nor a remote stop
    RESUME_REJECTED = "resume_rejected"  # the remote start was refused


class LimitController:
    """Applies limits to one charger over whichever connection it has."""

    def __init__(self, config: ChargerConfig, state: ChargePointState) -> None:
        self._config = config
        self._state = state
        self.capabilities = Capabilities()
        self.failsafe_installed: bool | None = None
        self.applied_a: float | None = None
        # Learned per connection: None = not tried yet.
        self._tx_default_works: bool | None = None
        self._tx_profile_for: str | None = None
        self._remote_start_carries_profile = False
        # Another form of the limit that this connection accepts: (evse, unit).
        self._fallback: tuple[int, RateUnit] | None = None
        # What was tried when no form was accepted (empty: limits work).
        self.refused: tuple[str, ...] = ()
        # It took a profile above 0 A on this connection (refusing 0 A only).
        self._took_a_limit = False
        # The CALLERROR of the newest refusal, if it was one (the reason given).
        self._call_error: str | None = None

    def reconfigure(self, config: ChargerConfig) -> None:
        """New settings (failsafe current, phases, validity); the next setup
        and limit use them."""
        self._config = config

    def new_connection(self) -> None:
        """Forget what we learned: the charger may have rebooted or changed."""
        self._tx_default_works = None
        self._fallback = None
        self.refused = ()
        self._took_a_limit = False
        self.applied_a = None

    def transaction_started(self, transaction_id: str) -> None:
        """A remote start with a TxProfile governs the transaction it began."""
        if self._remote_start_carries_profile:
            self._tx_profile_for = transaction_id
            self._remote_start_carries_profile = False

    async def install_failsafe(self, commands: Commands) -> bool:
        """Put the failsafe profile in the charger; try the connector if 0 fails."""
        unit = rate_unit(self.capabilities)
        now = datetime.now(UTC)
        profile = failsafe_profile(self._config, unit, self._state, now)
        installed = await commands.set_charging_profile(profile) == ACCEPTED
        if not installed:
            profile = failsafe_profile(
                self._config, unit, self._state, now, evse_id=self._config.connector_id
            )
            installed = await commands.set_charging_profile(profile) == ACCEPTED
        if installed and profile.limit > 0:
            self._took_a_limit = True
        if not installed:
            _LOGGER.warning(
                "%s: charger rejected the failsafe profile", self._config.charger_id
            )
        self.failsafe_installed = installed
        return installed

    async def apply(self, commands: Commands, current_a: float) -> None:
        """Make the charger keep to current_a; raise ChargerCommandError.

        CallFailedError from the commands propagates; the caller maps it.
        """
        transaction = self._state.transaction_id
        resuming = self.applied_a == 0 and current_a > 0
        self._call_error = None
        if self._fallback is not None:
            applied = await self._set_fallback(commands, current_a, *self._fallback)
        elif transaction is not None and self._tx_profile_for == transaction:
            applied = await self._on_governed_transaction(
                commands, current_a, transaction
            )
        else:
            applied = await self._set_default(commands, current_a)
            if transaction is not None and (resuming or not applied):
                if await self._set_tx(commands, current_a, transaction):
                    self._tx_profile_for = transaction
                    applied = True
            elif not applied and transaction is None and self._call_error is None:
                # Nothing charges now; the limit goes on the transaction when
                # one starts (the backend re-applies then). Not for a charger
                # that cannot take profiles at all (a CALLERROR).
                _LOGGER.debug("%s: limit deferred", self._config.charger_id)
                applied = True
        if not applied:
            applied = await self._other_forms(commands, current_a)
        if not applied:
            await self._fail_or_stop(commands, current_a, transaction)
        self.refused = ()
        self.applied_a = current_a
        if resuming and transaction is None and self._state.stopped_while_paused:
            await self._remote_start(commands, current_a)

    async def _on_governed_transaction(
        self, commands: Commands, current_a: float, transaction: str
    ) -> bool:
        if await self._set_tx(commands, current_a, transaction):
            return True
        # Our old TxProfile would keep its old limit: remove it and let the
        # default profile speak instead.
        await commands.clear_charging_profile(TX_PROFILE_ID)
        self._tx_profile_for = None
        return await self._set_default(commands, current_a)

    async def _other_forms(self, commands: Commands, current_a: float) -> bool:
        """The same limit on connector 0, then in the other unit."""
        unit = rate_unit(self.capabilities)
        other = RateUnit.WATT if unit is RateUnit.AMPERE else RateUnit.AMPERE
        connector = self._config.connector_id
        for evse, form_unit in ((0, unit), (connector, other)):
            if await self._set_fallback(commands, current_a, evse, form_unit):
                _LOGGER.info(
                    "%s: takes its limit as a default profile on %s in %s",
                    self._config.charger_id,
                    f"connector {evse}" if evse else "the whole station",
                    form_unit.value,
                )
                self._fallback = (evse, form_unit)
                return True
        return False

    async def _set_fallback(
        self, commands: Commands, current_a: float, evse: int, unit: RateUnit
    ) -> bool:
        limit = limit_value(current_a, unit, self._state, self._config)
        profile = dynamic_profile(
            self._config, unit, limit, datetime.now(UTC), evse_id=evse
        )
        return await self._offer(commands, profile)

    async def _offer(self, commands: Commands, profile: ChargingProfile) -> bool:
        """Whether the charger took the profile; NotImplemented and other
        CALLERRORs are refusals too (the next form may still work)."""
        try:
            accepted = await commands.set_charging_profile(profile) == ACCEPTED
        except CallFailedError as err:
            if err.reason is not FailureReason.CALL_ERROR:
                raise
            _LOGGER.debug("%s: %s", self._config.charger_id, err.detail)
            self._call_error = err.detail
            return False
        if accepted and profile.limit > 0:
            self._took_a_limit = True
        return accepted

    async def _fail_or_stop(
        self, commands: Commands, current_a: float, transaction: str | None
    ) -> None:
        tried = ("TxDefaultProfile", "TxProfile", "connector 0", "W and A")
        # A charger that takes limits but not 0 A is paused by a stop; one
        # that takes none is escalation's (only while the fuse needs it).
        if current_a == 0 and transaction is not None and self._took_a_limit:
            if await commands.remote_stop(transaction) == ACCEPTED:
                _LOGGER.debug("%s: paused by stopping", self._config.charger_id)
                self.refused = ()
                return
            self.refused = (*tried, "RemoteStop")
            raise ChargerCommandError(
                LimitFailure.PAUSE_REJECTED, "0 A and RemoteStop were rejected"
            )
        self.refused = tried
        if self._call_error is not None:  # e.g. NotImplemented: say so
            raise ChargerCommandError(LimitFailure.CALL_ERROR, self._call_error)
        raise ChargerCommandError(
            LimitFailure.PROFILE_REJECTED,
            "TxDefaultProfile, TxProfile, connector 0, W and A were all rejected",
        )

    async def _set_default(self, commands: Commands, current_a: float) -> bool:
        max_level = self.capabilities.max_stack_level
        if max_level is not None and max_level < DYNAMIC_STACK_LEVEL:
            return False  # no room above the failsafe
        if self._tx_default_works is False:
            return False
        unit = rate_unit(self.capabilities)
        limit = limit_value(current_a, unit, self._state, self._config)
        profile = dynamic_profile(self._config, unit, limit, datetime.now(UTC))
        accepted = await self._offer(commands, profile)
        if current_a > 0:  # some chargers refuse only 0 A: learn from others
            self._tx_default_works = accepted
        return accepted

    def _tx_profile(self, current_a: float, transaction: str | None) -> ChargingProfile:
        unit = rate_unit(self.capabilities)
        limit = limit_value(current_a, unit, self._state, self._config)
        return tx_profile(
            self._config,
            capabilities=self.capabilities,
            unit=unit,
            limit=limit,
            now=datetime.now(UTC),
            transaction_id=transaction,
        )

    async def _set_tx(
        self, commands: Commands, current_a: float, transaction: str
    ) -> bool:
        profile = self._tx_profile(current_a, transaction)
        return await self._offer(commands, profile)

    async def _remote_start(self, commands: Commands, current_a: float) -> None:
        id_tag = self._state.id_tag or self._config.id_tag
        status = await commands.remote_start(
            evse_id=self._config.connector_id,
            id_tag=id_tag,
            profile=self._tx_profile(current_a, None),
        )
        if status != ACCEPTED:
            raise ChargerCommandError(
                LimitFailure.RESUME_REJECTED, f"remote start answered {status}"
            )
        self._remote_start_carries_profile = True
