"""What every charger back end provides, HA entities and OCPP alike.

No Home Assistant import here. The coordinator reads `status`, sends limits
with `async_apply_limit` (one command at a time per charger) and listens for
changes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass

from ..balancer import ChargerState
from ..listeners import Listeners


class ChargerCommandError(Exception):
    """A limit could not be applied; `reason` names why for the repair issue."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargerStatus:
    """What a charger reports about itself."""

    # None when the back end cannot tell: the coordinator derives it from current.
    state: ChargerState | None
    # Per charger conductor L1, L2, L3 (one value for a single-phase charger).
    current_a: tuple[float, ...] | None = None
    power_w: float | None = None
    energy_kwh: float | None = None
    # Wall-clock time (time.time()) the current reading was taken; the host
    # puts it on the loop clock (ha_clock.py). None: unknown.
    updated_at: float | None = None
    # False when `current_a` is only a safe lower bound (e.g. from a power
    # sensor): the balancer then reserves every wired phase for the EV.
    phases_known: bool = True


class ChargerBackend(ABC):
    """One charger that accepts a current limit (A per phase, 0 = pause)."""

    def __init__(self, charger_id: str) -> None:
        self.charger_id = charger_id
        self._listeners = Listeners()

    @property
    @abstractmethod
    def status(self) -> ChargerStatus:
        """The latest known status."""

    @property
    def available(self) -> bool:
        """Whether the charger can be reached for commands now."""
        return True

    @property
    def step_a(self) -> float:
        """Smallest change of limit the charger accepts."""
        return 0.1

    @abstractmethod
    async def async_apply_limit(self, current_a: float) -> None:
        """Apply a limit; raise ChargerCommandError when it was not accepted."""

    async def async_start(self) -> None:  # noqa: B027 (optional hook)
        """Start listening to the charger."""

    async def async_stop(self) -> None:  # noqa: B027 (optional hook)
        """Stop listening; release every task and timer."""

    def add_listener(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call `callback` whenever the status changes."""
        return self._listeners.add(callback)

    def _notify(self) -> None:
        self._listeners.notify()
