"""What an adopted charger is told after each boot or reconnection."""

from __future__ import annotations

from .commands import Commands
from .config import ChargerConfig
from .const import MEASURAND_CHOICES
from .limit_control import LimitController
from .rpc import CallFailedError, FailureReason

# A charger that cannot answer at all makes the rest of a setup pointless;
# one that refuses a single request (CALLERROR) may still take the others.
_FATAL = frozenset({FailureReason.TIMEOUT, FailureReason.DISCONNECTED})


async def configure_charger(
    commands: Commands, controller: LimitController, config: ChargerConfig
) -> None:
    """Read capabilities, ask for meter values, install the failsafe profile.

    Every step is idempotent. Raises CallFailedError when the charger stops
    answering.
    """
    try:
        controller.capabilities = await commands.read_capabilities()
    except CallFailedError as err:
        if err.reason in _FATAL:
            raise
    for measurands in MEASURAND_CHOICES:
        try:
            if await commands.configure_metering(config.meter_interval_s, measurands):
                break
        except CallFailedError as err:
            if err.reason in _FATAL:
                raise
    try:
        await controller.install_failsafe(commands)
    except CallFailedError as err:
        controller.failsafe_installed = False
        if err.reason in _FATAL:
            raise
