"""What every charger back end provides, HA entities and OCPP alike.

No Home Assistant import here. The coordinator reads `status`, sends limits
with `async_apply_limit` (one command at a time per charger) and listens for
changes.

Optional capabilities (defaults keep a back end that knows nothing of them
working as before):
- `read_only`: the charger only reports (Tesla Wall Connector). It is never
  `available` for commands, reports its draw as power only (there is no limit
  to comply with), so the loop counts what it draws as building load.
- `phase_switching`: the charger can run a 3-phase EV on one phase; the loop
  asks it once per round through chargers/phase_control.py.
- `group`: the charger's limit is part of one per-phase limit for several
  chargers (a Zaptec installation, an Easee circuit), shown on its device.
- `observe_allocation`: the limit and the phases the balancer assumed for
  this charger in the last round (group shares are summed per site phase).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..balancer import ChargerLimit, ChargerState
from ..balancer.frozen import fast_init
from ..listeners import Listeners

if TYPE_CHECKING:
    from .phase_sequence import PhaseSwitching


class ChargerCommandError(Exception):
    """A limit could not be applied; `reason` names why for the repair issue."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@fast_init
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
    # The charger reported a status word nobody knows: `state` is the "may be
    # charging" fallback (see status_map.py) and this is the word.
    unknown_word: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargerGroup:
    """Several chargers behind one per-phase limit, for display.

    `device_identifier` is the group's device in this integration; a future
    fuse tree (circuits) can take the group as one of its nodes.
    """

    key: str
    name: str
    kind: str
    device_identifier: tuple[str, str]
    member_ids: tuple[str, ...]


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

    @property
    def read_only(self) -> bool:
        """True: the charger only reports; see the module docstring."""
        return False

    @property
    def phase_switching(self) -> PhaseSwitching | None:
        """How the charger switches between 1 and 3 phases, if it can."""
        return None

    @property
    def group(self) -> ChargerGroup | None:
        """The group whose per-phase limit this charger shares, if any."""
        return None

    def observe_allocation(self, limit: ChargerLimit | None) -> None:  # noqa: B027
        """The balancer's last decision for this charger (optional hook)."""

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
