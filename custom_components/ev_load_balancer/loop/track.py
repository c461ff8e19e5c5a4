"""Everything the loop keeps for one charger between rounds."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
import logging
import math

from ..balancer import ChargerLimit, ChargerState
from ..chargers.base import ChargerStatus
from .charger_input import InputCache, derived_state
from .clock import RoundTime
from .compliance import ComplianceWatch
from .config import LoopCharger
from .energy import EnergyCounter
from .events import EventKind, LoopEvent
from .inputs import ChargerReport
from .link import CommandLink
from .plausibility import plausible_status
from .runtime import ChargerRuntime

_LOGGER = logging.getLogger(__name__)
# Readings kept to line a charger up with an older meter reading.
READINGS_KEPT = 8
# One warning per charger and kind of implausible value this often (s).
WARN_EVERY_S = 3600.0
_NO_STATUS = ChargerStatus(state=None)
WANTS_ENERGY = frozenset({ChargerState.CONNECTED, ChargerState.CHARGING})


@dataclass(slots=True)
class ChargerTrack:
    """One charger: its link, its watch, its session energy, its last report."""

    config: LoopCharger
    link: CommandLink = field(default_factory=CommandLink)
    compliance: ComplianceWatch = field(default_factory=ComplianceWatch)
    energy: EnergyCounter = field(default_factory=EnergyCounter)
    # Its balancer input, rebuilt only when something it is made of changes.
    inputs: InputCache = field(default_factory=InputCache)
    status: ChargerStatus = _NO_STATUS
    state: ChargerState = ChargerState.CONNECTED
    available: bool = False
    step_a: float = 0.1
    # Paused (0 A while its EV wants energy) after the last allocation.
    paused: bool | None = None
    # No EV, at 0 A, nothing on its way: it sits out rounds until that changes.
    idle: bool = False
    # The limit the last allocation gave it (it may not have been sent yet).
    last_limit_a: float | None = None
    # It only reports (a Tesla Wall Connector): never commanded, its draw is
    # building load (it is never available, so never trusted).
    read_only: bool = False
    # The group whose one limit it shares (a Zaptec installation), if any.
    group: str | None = None
    # The energy still needed as the last round left it (see take()).
    _wanted_left_kwh: float | None = None
    _raw: ChargerStatus | None = None
    # The back end the read-only flag was last taken from.
    _controls: object = None
    # Recent readings (taken at, currents), oldest first, for reading_at().
    _readings: deque[tuple[float, tuple[float, ...] | None]] = field(
        default_factory=lambda: deque(maxlen=READINGS_KEPT)
    )
    _warned_at: dict[str, float] = field(default_factory=dict)

    def take(
        self,
        report: ChargerReport | None,
        runtime: ChargerRuntime,
        time: RoundTime,
        voltage_v: float,
        events: list[LoopEvent],
    ) -> bool:
        """This round's report: checked, and the session's facts updated.

        True when the run-time settings changed (a session ended, a boost or a
        departure ran out): worth saving.
        """
        now = time.now
        if report is None:
            # A host may pass only what changed: the last report still holds.
            status, available, step = self.status, self.available, self.step_a
        elif report.status is self._raw:
            # The same report as last round (a host that caches them).
            status, available, step = self.status, report.available, report.step_a
        else:
            self._raw = report.status
            status, dropped = plausible_status(report.status, self.config.max_a)
            available, step = report.available, report.step_a
            for kind in dropped:
                self._warn(kind, report.status, now)
        if report is not None and report.controls is not self._controls:
            controls = self._controls = report.controls
            self.read_only = controls is not None and controls.read_only
            group = controls.group if controls is not None else None
            self.group = group.key if group is not None else None
        self.status, self.available = status, available
        taken = status.updated_at
        if taken is not None and (not self._readings or taken > self._readings[-1][0]):
            self._readings.append((taken, status.current_a))
        self.step_a = step if math.isfinite(step) and step > 0 else 0.1
        self.state = derived_state(status)
        if available and self.link.out_of_reach:
            self.link.back_within_reach()
        if self.state is ChargerState.NO_EV:
            self.energy.reset()
            self._wanted_left_kwh = None
            had_session = runtime.boost or runtime.departure is not None
            runtime.end_session()
            return had_session
        changed = False
        delivered = self.energy.step(status, now, voltage_v)
        if runtime.boost_until is not None and time.wall >= runtime.boost_until:
            runtime.boost = False
            runtime.boost_until = None
            changed = True
        if runtime.departure is not None and time.wall >= runtime.departure:
            events.append(
                LoopEvent(
                    EventKind.DEPARTURE_PASSED,
                    self.config.charger_id,
                    {"energy_still_needed": runtime.energy_wanted_kwh},
                )
            )
            runtime.clear_departure()
            changed = True
        wanted = runtime.energy_wanted_kwh
        # A figure set since the last round (a service call) is what the EV
        # needed when it was given: what came before it is already counted.
        if wanted is not None and wanted == self._wanted_left_kwh:
            wanted = max(0.0, wanted - delivered)
            runtime.energy_wanted_kwh = wanted
        self._wanted_left_kwh = wanted
        return changed

    def reading_at(
        self, moment: float | None
    ) -> tuple[tuple[float, ...] | None, float | None] | None:
        """The currents as they were when the meter took its reading, and when
        they were taken; None when the newest are as old as the meter's.

        A charger that reported after the meter did would otherwise be set
        against a site total that does not contain its change yet: a charger
        ramping down would make the rest of the building look that much
        bigger (and an EV be paused for it) until the meter catches up.
        """
        readings = self._readings
        if moment is None or not readings or readings[-1][0] <= moment:
            return None
        earlier = None
        for taken, currents in readings:
            if taken > moment:
                break
            earlier = (currents, taken)
        return earlier

    def stays_idle(self, report: ChargerReport) -> bool:
        """Whether a new report leaves an idle charger idle (still no EV)."""
        return (
            report.status.state is ChargerState.NO_EV
            and report.available == self.available
        )

    def may_rest(self, limit: ChargerLimit | None) -> bool:
        """Whether it can sit out rounds: no EV, told 0 A, accepted, all well."""
        link = self.link
        return (
            self.state is ChargerState.NO_EV
            and limit is not None
            and limit.current_a == 0
            and (
                self.read_only
                or (link.applied_a == 0 and link.desired_a == 0 and not link.busy)
            )
            and link.failing_since is None
            and not self.compliance.ignoring
        )

    def trusted(self, included: bool) -> bool:
        """Whether its draw may be credited as EV load and its limit relied on."""
        return (
            included
            and self.available
            and self.link.failing_since is None
            and not self.compliance.ignoring
        )

    def _warn(self, kind: str, raw: ChargerStatus, now: float) -> None:
        last = self._warned_at.get(kind)
        if last is not None and now - last < WARN_EVERY_S:
            return
        self._warned_at[kind] = now
        _LOGGER.warning(
            "Charger %s reported an implausible %s (%s); ignored",
            self.config.name,
            kind,
            repr(_raw_value(kind, raw))[:40],
        )


def _raw_value(kind: str, status: ChargerStatus) -> object:
    return {
        "current": status.current_a,
        "power": status.power_w,
        "energy": status.energy_kwh,
        "timestamp": status.updated_at,
    }.get(kind)
