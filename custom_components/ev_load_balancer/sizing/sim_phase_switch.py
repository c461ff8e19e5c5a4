"""Simulated chargers that run a 3-phase EV on one phase or three (go-e `psm`).

A SwitchingCharger is a SimulatedCharger that hands the loop its phase
switch in its report (ChargerReport.controls), as Home Assistant's entity
chargers do: the loop's one hook (chargers/phase_control.py) decides 1 or 3
phases and moves the switch sequence on (chargers/phase_sequence.py). The
charger carries out the steps the sequence asks for right after the round,
as HA's back end does in a task of its own:

- Pause: the charger's own pause (its limit stays); the EV stops drawing
  after its decrease delay.
- SetPhases: the contactors switch; from then on the EV draws on the
  charger's L1 alone, or on all three. The switch is answered at once.
- Resume: at the limit the sequence computed with three phases reserved, or
  the loop's latest limit if that is lower.

While the charger is paused for a switch, a cut from the loop lowers its
limit at once and a raise waits for the resume (as chargers/
entity_commands.py does).

The hook decides on the previous round's allocation. Home Assistant runs a
round at every meter reading; the replay skips rounds that change nothing
(replay.py), so a switching charger asks for the round that follows a new
allocation, and for every meter reading while it runs on one phase (a
falling baseline may then bring it back to three).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
import math

from ..balancer import Allocation, ChargerLimit
from ..balancer.phase_switch import ONE_PHASE, THREE_PHASES, PhaseSwitchSettings
from ..chargers.base import ChargerGroup
from ..chargers.phase_sequence import (
    PAUSE_TIMEOUT_S,
    SETTLE_S,
    Pause,
    PhaseAction,
    PhaseSwitching,
    Resume,
    SetPhases,
    Step,
)
from ..loop import ChargerReport
from .ev import SimulatedEv
from .model import ChargerSpec, ControlTiming, EvModel, Session, ev_load_phases
from .sim_charger import SimulatedCharger

# Wake a hair after a timer of the sequence so that the round sees it expired.
_TIMER_SLACK_S = 0.001


class SwitchingCharger(SimulatedCharger):
    """A simulated charger with a 1p/3p switch, driven by the loop's hook."""

    __slots__ = (
        "_actions",
        "_contactors",
        "_follow_up_at",
        "_latest_a",
        "_paused",
        "_plain",
        "_seen",
        "_with_controls",
        "switch_log",
        "switching",
    )

    def __init__(self, spec: ChargerSpec, index: int, model: EvModel) -> None:
        super().__init__(spec, index, model)
        self._actions: list[PhaseAction] = []
        self.switching = PhaseSwitching(
            execute=self._actions.extend,
            settings=PhaseSwitchSettings(dwell_s=spec.phase_dwell_s),
        )
        # Paused by its own pause for a switch (its limit stays as it was).
        self._paused = False
        # What the contactors are set to (the sequence learns it at resume).
        self._contactors = THREE_PHASES
        # The loop's latest limit (a raise during a switch waits for it).
        self._latest_a: float | None = None
        self._plain: ChargerReport | None = None
        # What the last round's allocation said about its room, and when the
        # hook should look at it (the next round).
        self._seen: tuple[object, ...] | None = None
        self._follow_up_at = math.inf
        self._with_controls: ChargerReport | None = None
        # Switches carried out: (time, phases switched to).
        self.switch_log: list[tuple[float, int]] = []

    # What the loop's hook asks of a charger (chargers/phase_control.py).

    @property
    def phase_switching(self) -> PhaseSwitching:
        return self.switching

    def observe_allocation(self, limit: ChargerLimit | None) -> None:
        """Not a group member: nothing to do with the last allocation."""

    @property
    def read_only(self) -> bool:
        """It takes limits."""
        return False

    @property
    def group(self) -> ChargerGroup | None:
        """Not part of a group."""
        return None

    @property
    def phases(self) -> int:
        """What the contactors are set to."""
        return self._contactors

    def report(self, now: float, timing: ControlTiming) -> ChargerReport:
        """The plain charger's report, with the switch handed to the loop."""
        plain = super().report(now, timing)
        if plain is not self._plain or self._with_controls is None:
            self._plain = plain
            self._with_controls = replace(plain, controls=self)
        return self._with_controls

    def plug_in(
        self, session: Session, model: EvModel, voltage_v: float
    ) -> SimulatedEv:
        """An EV arrives on whatever the contactors are set to."""
        held = self.limit_a
        if self._paused:
            self.limit_a = 0.0  # paused for a switch: the EV does not start
        ev = super().plug_in(session, model, voltage_v)
        self.limit_a = held
        if self.phases == ONE_PHASE:
            self._set_load_phases(session.arrival_s, ONE_PHASE)
        return ev

    def accept(self, now: float, limit_a: float) -> None:
        """A limit from the loop; held back while paused for a switch."""
        self._latest_a = limit_a
        if not self._paused:
            super().accept(now, limit_a)
        elif limit_a < self.limit_a:
            self.limit_a = limit_a  # it stays paused; resumes at most at this

    def after_round(self, now: float, allocation: Allocation | None) -> None:
        """Carry out the steps the round asked for; note what it allocated."""
        self._carry_out(now)
        seen = (
            None
            if allocation is None or not self.wants_energy(now)
            else (
                allocation.limits.get(self.spec.charger_id),
                allocation.available_a,
                allocation.allocated_a,
            )
        )
        if seen != self._seen:
            self._seen = seen
            if seen is not None:
                self._follow_up_at = now + _TIMER_SLACK_S

    def watches_room(self, now: float) -> bool:
        """Whether any change of the building may bring it back to three."""
        return self.phases == ONE_PHASE and self.wants_energy(now)

    def _carry_out(self, now: float) -> None:
        actions = self._actions.copy()
        self._actions.clear()
        for action in actions:
            if isinstance(action, Pause):
                self._pause(now)
            elif isinstance(action, SetPhases):
                if action.phases != self._contactors:
                    self.switch_log.append((now, action.phases))
                self._contactors = action.phases
                self._set_load_phases(now, action.phases)
                self.switching.sequence.answered(action.phases)
            elif isinstance(action, Resume):
                self._resume(now, action.limit_a)

    def next_wake_s(self, now: float) -> float:
        """When the sequence can take its next step, or the dwell time ends
        for an EV that still wants energy (inf: nothing to wait for)."""
        follow_up = self._follow_up_at
        if follow_up <= now:
            follow_up = self._follow_up_at = math.inf
        sequence = self.switching.sequence
        if sequence.step is Step.PAUSING:
            due = sequence.step_at + PAUSE_TIMEOUT_S
        elif sequence.step is Step.SWITCHING:
            due = sequence.step_at + SETTLE_S
        elif self.wants_energy(now):
            due = sequence.last_switch_at + self.switching.settings.dwell_s
        else:
            return follow_up
        due += _TIMER_SLACK_S
        return min(follow_up, due if due > now else math.inf)

    def _pause(self, now: float) -> None:
        self._paused = True
        ev = self.ev
        if ev is not None:
            ev.command(now, 0.0)
            ev.advance(now)
            self.next_event_s = ev.next_event_s()

    def _resume(self, now: float, limit_a: float) -> None:
        self._paused = False
        if self._latest_a is not None:
            limit_a = min(limit_a, self._latest_a)
        super().accept(now, limit_a)

    def _set_load_phases(self, now: float, phases: int) -> None:
        ev = self.ev
        if ev is None:
            return
        wired = ev_load_phases(self.spec, ev.session)
        self.load_phases = wired[:1] if phases == ONE_PHASE else wired
        ev.set_phase_count(now, len(self.load_phases))
        self.next_event_s = ev.next_event_s()
        self._key = ()  # its next report shows the new phases


def simulated_chargers(
    specs: Sequence[ChargerSpec], model: EvModel, *, switching: bool
) -> list[SimulatedCharger]:
    """A simulated charger per spec; with `switching`, those marked
    `phase_switching` switch 1p/3p (else every charger stays on three)."""
    return [
        (SwitchingCharger if switching and spec.phase_switching else SimulatedCharger)(
            spec, index, model
        )
        for index, spec in enumerate(specs)
    ]


def phase_log(
    chargers: Sequence[SwitchingCharger],
) -> tuple[tuple[float, str, int], ...]:
    """Every switch carried out, in time order: (time, charger id, phases)."""
    return tuple(
        sorted(
            (time_s, charger.spec.charger_id, phases)
            for charger in chargers
            for time_s, phases in charger.switch_log
        )
    )


def switching_chargers(
    chargers: Sequence[SimulatedCharger],
) -> list[SwitchingCharger]:
    """Those of `chargers` with a phase switch."""
    return [c for c in chargers if isinstance(c, SwitchingCharger)]
