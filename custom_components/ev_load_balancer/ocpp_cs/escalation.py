"""The last steps for a charger that takes no form of limit.

Profiles refused in every form (limit_control.py) leave a charger drawing
what its EV wants. While the fuse needs that current back, its session is
stopped (1.6 RemoteStopTransaction, 2.0.1 RequestStopTransaction) if the site
allows it, otherwise (or when the stop is refused) its connector is set
Inoperative with ChangeAvailability. Availability is restored as soon as the
fuse allows. Each step says what it did, for the repair issue.
"""

from __future__ import annotations

import logging

from .commands import Commands
from .const import ACCEPTED, OcppVersion
from .state import ChargePointState

_LOGGER = logging.getLogger(__name__)
SCHEDULED = "Scheduled"  # a 1.6 ChangeAvailability during a transaction
NO_ANSWER = "no answer"


class Escalation:
    """What was done to a charger beyond its limit, kept across reconnections
    (a charger keeps its availability across reboots)."""

    def __init__(self, charger_id: str, connector_id: int) -> None:
        self._charger_id = charger_id
        self._connector_id = connector_id
        self.unavailable = False
        self._steps: list[str] = []

    @property
    def steps(self) -> tuple[str, ...]:
        """What the newest enforcement did, each step named before it goes out
        (a step without an answer yet, or never answered, says "no answer")."""
        return tuple(self._steps)

    def forget(self) -> None:
        """The charger takes limits again: nothing done to it is current."""
        self._steps.clear()

    async def enforce(
        self,
        commands: Commands,
        state: ChargePointState,
        *,
        allow_stop: bool,
    ) -> tuple[str, ...]:
        """Stop or switch off the connector; the steps taken, with answers.

        `steps` names each step before its CALL goes out, so that a stop the
        charger received is listed even when its answer is late or lost.
        """
        steps = self._steps
        steps.clear()
        transaction = state.transaction_id
        if allow_stop and transaction is not None:
            stop = (
                "RemoteStopTransaction"
                if state.version is OcppVersion.V16
                else "RequestStopTransaction"
            )
            steps.append(f"{stop}: {NO_ANSWER}")
            status = await commands.remote_stop(transaction)
            steps[-1] = f"{stop}: {status or NO_ANSWER}"
            if status == ACCEPTED:
                _LOGGER.warning(
                    "%s takes no limit: its session was stopped for the fuse",
                    self._charger_id,
                )
                return tuple(steps)
        if not self.unavailable:
            steps.append(f"ChangeAvailability Inoperative: {NO_ANSWER}")
            status = await commands.change_availability(
                self._connector_id, operative=False
            )
            steps[-1] = f"ChangeAvailability Inoperative: {status or NO_ANSWER}"
            self.unavailable = status in (ACCEPTED, SCHEDULED)
            if self.unavailable:
                _LOGGER.warning(
                    "%s takes no limit: set unavailable for the fuse", self._charger_id
                )
        return tuple(steps)

    async def restore(self, commands: Commands) -> bool:
        """Make the connector operative again; whether it is."""
        if not self.unavailable:
            return True
        status = await commands.change_availability(self._connector_id, operative=True)
        if status in (ACCEPTED, SCHEDULED):
            self.unavailable = False
            _LOGGER.info("%s is available again", self._charger_id)
        return not self.unavailable
