"""What every meter source provides: the latest reading, or why there is none.

No Home Assistant import here: HA sensors, Modbus meters and the simulator all
implement this, and the coordinator judges freshness and plausibility.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from ..listeners import Listeners


class MeterProblem(StrEnum):
    """Why a source has no usable reading now."""

    NOT_STARTED = "not_started"
    UNAVAILABLE = "unavailable"  # the sensor says unknown/unavailable
    NOT_NUMERIC = "not_numeric"
    UNSUPPORTED_UNIT = "unsupported_unit"
    ABSURD = "absurd"  # NaN, infinite, or far beyond the fuse
    NO_RESPONSE = "no_response"  # a bus meter did not answer
    DISCONNECTED = "disconnected"


@dataclass(frozen=True, slots=True, kw_only=True)
class MeterReading:
    """One per-phase measurement of the building's main feed.

    Currents are signed per site phase (negative: export, e.g. solar); a source
    that only knows power converts it with the voltage it knows.
    """

    current_a: tuple[float, ...]
    # When the source got it: time.time() from a source, on the loop clock
    # once the host hands it to the loop (see ha_clock.py).
    received_at: float
    voltage_v: tuple[float, ...] | None = None
    power_w: tuple[float, ...] | None = None
    energy_import_kwh: float | None = None


class MeterSource(ABC):
    """A source that pushes readings; subclasses call `_publish`/`_fail`."""

    def __init__(self) -> None:
        self._listeners = Listeners()
        self._reading: MeterReading | None = None
        self._problem: MeterProblem | None = MeterProblem.NOT_STARTED
        self._problem_detail = ""

    @property
    def reading(self) -> MeterReading | None:
        """The latest good reading (its age is for the caller to judge)."""
        return self._reading

    @property
    def problem(self) -> MeterProblem | None:
        """Why the latest attempt gave no reading; None when it did."""
        return self._problem

    @property
    def problem_detail(self) -> str:
        """Human-readable detail for logs and repair issues."""
        return self._problem_detail

    def add_listener(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call `callback` after every new reading or problem."""
        return self._listeners.add(callback)

    @abstractmethod
    async def async_start(self) -> None:
        """Start producing readings."""

    @abstractmethod
    async def async_stop(self) -> None:
        """Stop and release every connection, task and timer."""

    def poll(self) -> None:  # noqa: B027 (optional hook)
        """Look again, for sources whose freshness is only known by asking.

        Called by the loop before every round; sources that push need nothing.
        It must not notify listeners: that would ask for the next round.
        """

    def _publish(self, reading: MeterReading, *, notify: bool = True) -> None:
        self._reading = reading
        self._problem = None
        self._problem_detail = ""
        if notify:
            self._listeners.notify()

    def _fail(
        self, problem: MeterProblem, detail: str = "", *, notify: bool = True
    ) -> None:
        self._problem = problem
        self._problem_detail = detail
        if notify:
            self._listeners.notify()
