"""The steps of one 1p/3p switch, and which phases the balancer must reserve.

No Home Assistant import. A switch is make-before-break for the fuse: while
it runs, and until the charger is known to run on one phase, the balancer
reserves all three. The charger is paused first (its own pause: go-e `frc`,
Peblar's charge switch), the phases are switched once it has stopped
drawing, and it resumes only after a settle time, at a limit the balancer
computed with three phases reserved: whatever the charger ends up on, that
limit is safe on every phase.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
import math

from ..balancer import ChargerInput, ChargerState
from ..balancer.phase_switch import (
    ONE_PHASE,
    THREE_PHASES,
    PhaseSwitchSettings,
)
from ..balancer.phases import DRAWING_MIN_A, drawing_conductors

# The charger has this long to stop drawing after its pause, then the switch
# goes ahead (a charger that keeps drawing at pause is not waited for forever).
PAUSE_TIMEOUT_S = 10.0
# Between switching the phases and resuming: the charger's relays and the
# EV's onboard charger settle.
SETTLE_S = 5.0
# A switch command with no answer by then is taken as failed.
CONFIRM_TIMEOUT_S = 30.0


class Step(StrEnum):
    IDLE = "idle"
    PAUSING = "pausing"
    SWITCHING = "switching"


@dataclass(frozen=True, slots=True)
class Pause:
    """Pause the charger with its own pause."""


@dataclass(frozen=True, slots=True)
class SetPhases:
    """Switch to this many phases (the charger is paused)."""

    phases: int


@dataclass(frozen=True, slots=True)
class Resume:
    """Resume at this limit (0: stay paused; the next limit resumes it)."""

    limit_a: float


type PhaseAction = Pause | SetPhases | Resume


@dataclass(slots=True)
class PhaseSequence:
    """Where a charger stands between one and three phases."""

    phases: int = THREE_PHASES  # what the charger runs on, as far as known
    target: int = THREE_PHASES
    step: Step = Step.IDLE
    step_at: float = -math.inf
    last_switch_at: float = -math.inf
    # Switched since the EV was plugged in: it may draw on any phase now.
    switched_in_session: bool = False
    # Switches in a row, each within twice the dwell time of the one before
    # (see PhaseSwitchSettings.max_backoff); a new EV starts afresh.
    backoff: int = 0
    # Set by the back end once the switch command was accepted (or refused).
    _switched_to: int | None = None
    _switch_answered: bool = False

    @property
    def reserved(self) -> int:
        """Phases the balancer must reserve this round."""
        settled = self.step is Step.IDLE and self.phases == self.target
        return ONE_PHASE if settled and self.phases == ONE_PHASE else THREE_PHASES

    def answered(self, phases: int | None) -> None:
        """The switch command's outcome: the phases now set, or None (refused)."""
        if self.step is not Step.SWITCHING:
            # Too late, the switch was given up: a charger that went to three
            # phases after all must be reserved three.
            if phases == THREE_PHASES:
                self.phases = self.target = THREE_PHASES
            return
        self._switched_to = phases
        self._switch_answered = True

    def advance(
        self,
        now: float,
        target: int,
        *,
        drawing_a: tuple[float, ...],
        ev_present: bool,
        safe_limit_a: float,
        measured_at: float | None = None,
    ) -> list[PhaseAction]:
        """One round: the actions to take now, in order.

        `measured_at`: when `drawing_a` was taken (None: just now). Only a
        reading taken after the pause was asked shows that the EV stopped:
        an older one may show a draw that ended before a resume, and the
        phases would then switch under load.
        """
        if not ev_present:
            self.switched_in_session = False
            self.backoff = 0
        drawing = drawing_conductors(drawing_a)
        if self.phases == ONE_PHASE and drawing - {0}:
            # It draws on L2 or L3: whatever we believed (a switch answered
            # too late, say), it runs on three; no new switch this round.
            self.phases = THREE_PHASES
            if self.step is Step.IDLE:
                self.target = THREE_PHASES
                return []
        if self.step is Step.IDLE:
            if target == self.phases:
                self.target = target
                return []
            self.target = target
            self.step, self.step_at = Step.PAUSING, now
            self.last_switch_at = now
            self.switched_in_session = ev_present
            return [Pause()]
        if self.step is Step.PAUSING:
            fresh = measured_at is None or measured_at > self.step_at
            stopped = fresh and max(drawing_a, default=0.0) < DRAWING_MIN_A
            if stopped or now - self.step_at >= PAUSE_TIMEOUT_S:
                self.step, self.step_at = Step.SWITCHING, now
                self._switched_to, self._switch_answered = None, False
                return [SetPhases(self.target)]
            return []
        # SWITCHING
        if now - self.step_at < SETTLE_S:
            return []
        if not self._switch_answered and now - self.step_at < CONFIRM_TIMEOUT_S:
            return []
        # Refused or unanswered: the charger may be on either; three is safe.
        switched = self._switched_to
        self.phases = (
            switched if switched in (ONE_PHASE, THREE_PHASES) else THREE_PHASES
        )
        self.target = self.phases
        self.step = Step.IDLE
        return [Resume(safe_limit_a)]


@dataclass(slots=True)
class PhaseSwitching:
    """A charger's switch: its sequence, and how its actions are carried out.

    `execute` runs the actions on the charger (without blocking the round);
    the back end reports the switch command's outcome to `sequence.answered`.
    """

    execute: Callable[[list[PhaseAction]], None]
    settings: PhaseSwitchSettings = field(default_factory=PhaseSwitchSettings)
    sequence: PhaseSequence = field(default_factory=PhaseSequence)

    def advance(
        self, now: float, target: int, charger: ChargerInput, safe_limit_a: float
    ) -> int:
        """Move the switch on one round; the phases to reserve this round."""
        sequence = self.sequence
        before = sequence.last_switch_at
        backoff = sequence.backoff
        actions = sequence.advance(
            now,
            target,
            drawing_a=charger.measured_a,
            ev_present=charger.state is not ChargerState.NO_EV,
            safe_limit_a=safe_limit_a,
            measured_at=charger.measured_at,
        )
        if sequence.last_switch_at != before:  # a switch begins
            quick = now - before < 2 * self.settings.dwell_after(backoff)
            sequence.backoff = backoff + 1 if quick else 0
        if actions:
            self.execute(actions)
        return sequence.reserved
