"""What HA's services and buttons ask of an adopted charger.

Each is one OCPP CALL on the live connection; a failure is raised as a
ChargerCommandError (not connected, a timeout, a CALLERROR, ...).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Awaitable, Callable

from ..chargers.base import ChargerCommandError
from .commands import Commands
from .config import ChargerConfig
from .state import ChargePointState


class OperatorCommands:
    """Reset, unlock, remote start and stop, configuration and profiles
    (mixed into the charger's backend, which runs them)."""

    charger_id: str
    config: ChargerConfig
    state: ChargePointState

    @abstractmethod
    async def _command[T](self, operation: Callable[[Commands], Awaitable[T]]) -> T:
        """Run one command on the live connection."""

    async def async_reset(self, *, hard: bool = False) -> str:
        """Reboot the charger."""
        return await self._command(lambda commands: commands.reset(hard=hard))

    async def async_unlock(self) -> str:
        """Release the cable of the balanced connector."""
        connector = self.config.connector_id
        return await self._command(
            lambda commands: commands.unlock_connector(connector)
        )

    async def async_remote_start(self, id_tag: str | None = None) -> str:
        """Start a session on the balanced connector."""
        tag = id_tag or self.config.id_tag
        connector = self.config.connector_id
        return await self._command(
            lambda commands: commands.remote_start(
                evse_id=connector, id_tag=tag, profile=None
            )
        )

    async def async_remote_stop(self) -> str:
        """Stop the running session."""
        transaction = self.state.transaction_id
        if transaction is None:
            raise ChargerCommandError("no_transaction", self.charger_id)
        return await self._command(lambda commands: commands.remote_stop(transaction))

    async def async_trigger_message(self, message: str) -> str:
        """Ask the charger to send a message now (e.g. MeterValues)."""
        return await self._command(lambda commands: commands.trigger_message(message))

    async def async_get_configuration(
        self, keys: list[str] | None = None
    ) -> dict[str, str | None]:
        """Read settings (2.0.1 keys: 'Component.Variable')."""
        return await self._command(
            lambda commands: commands.get_configuration(keys or [])
        )

    async def async_change_configuration(self, key: str, value: str) -> str:
        """Write one setting."""
        return await self._command(
            lambda commands: commands.change_configuration(key, value)
        )

    async def async_clear_profile(self, profile_id: int) -> str:
        """Remove a charging profile by id."""
        return await self._command(
            lambda commands: commands.clear_charging_profile(profile_id)
        )
