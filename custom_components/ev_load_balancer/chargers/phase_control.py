"""The one place a round's charger input meets the charger's own controls.

No Home Assistant import: the control loop (loop/control_loop.py) calls
`prepared_input` for each charger right after building its input, before
the balancer allocates, with the previous round's allocation and the
charger's controls (its back end, handed over in its ChargerReport). It

- tells the back end what the balancer decided for it last round (group
  members sum their shares per site phase from it), and
- for a switchable 3-phase charger, decides 1 or 3 phases (balancer/
  phase_switch.py), moves the switch on (phase_sequence.py) and returns the
  input with the phases to reserve: one conductor while the charger runs on
  one phase, all three while it switches and after a switch in the session.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Protocol

from ..balancer import Allocation, ChargerInput, ChargerLimit
from ..balancer.phase_switch import (
    ONE_PHASE,
    THREE_PHASES,
    PhaseRoom,
    decide_phases,
)
from ..balancer.phases import drawing_conductors
from .base import ChargerGroup
from .phase_sequence import CONFIRM_TIMEOUT_S, PhaseSwitching, Step

# A switch that has not come back to idle by then is not waited for (a
# charger removed mid-switch, say).
_UNDER_WAY_S = 2 * CONFIRM_TIMEOUT_S


class ChargerControls(Protocol):
    """What the loop needs of a charger's back end (every ChargerBackend has it)."""

    @property
    def phase_switching(self) -> PhaseSwitching | None: ...

    @property
    def read_only(self) -> bool: ...

    @property
    def group(self) -> ChargerGroup | None: ...

    def observe_allocation(self, limit: ChargerLimit | None) -> None: ...


@dataclass(slots=True)
class SiteSwitches:
    """The 1p/3p switches under way on one site: one at a time.

    Chargers that see the same room would all switch together, then find it
    shared and switch back. One at a time, each next decision sees the last
    switch in the allocation (the charger's new limit on its new phases).
    """

    # Charger id -> when its switch began, and the round it ended (None:
    # under way). A switch that ended this round still counts: its new limit
    # is in the allocation only from the next round on.
    _switches: dict[str, tuple[float, float | None]] = field(default_factory=dict)

    def may_begin(self, charger_id: str, now: float) -> bool:
        """Whether this charger may begin a switch now."""
        for other, (began, ended) in self._switches.items():
            if other == charger_id:
                continue
            if (ended is None and now - began < _UNDER_WAY_S) or ended == now:
                return False
        return True

    def note(self, charger_id: str, switching: PhaseSwitching, now: float) -> None:
        """The charger's switch after this round's step."""
        sequence = switching.sequence
        known = self._switches.get(charger_id)
        if sequence.step is not Step.IDLE:
            if known is None or known[1] is not None:
                self._switches[charger_id] = (sequence.last_switch_at, None)
        elif known is not None:
            if known[1] is None:
                self._switches[charger_id] = (known[0], now)
            elif known[1] < now:
                del self._switches[charger_id]


def prepared_input(
    charger: ChargerInput,
    controls: ChargerControls | None,
    last: Allocation | None,
    now: float,
    site: SiteSwitches | None = None,
) -> ChargerInput:
    """The charger's input for this round, with its phase switch applied.

    `site`: the site's switches, when one switch at a time is to begin.
    """
    if controls is None:
        return charger
    limit = last.limits.get(charger.charger_id) if last is not None else None
    controls.observe_allocation(limit)
    switching = controls.phase_switching
    if switching is None or len(charger.wiring) != 3:
        return charger
    target = _target(charger, switching, last, limit, now)
    sequence = switching.sequence
    if (
        site is not None
        and sequence.step is Step.IDLE
        and target != sequence.phases
        and not site.may_begin(charger.charger_id, now)
    ):
        target = sequence.phases  # another charger switches: see its effect first
    safe_limit = limit.current_a if limit is not None else 0.0
    reserved = switching.advance(now, target, charger, safe_limit)
    if site is not None:
        site.note(charger.charger_id, switching, now)
    if reserved == ONE_PHASE:
        return replace(
            charger,
            wiring=charger.wiring[:1],
            measured_a=charger.measured_a[:1],
            ev_phases=None,
        )
    if switching.sequence.switched_in_session:
        # Its EV may now draw on phases it was not seen on.
        return replace(charger, ev_phases=THREE_PHASES)
    return charger


def _target(
    charger: ChargerInput,
    switching: PhaseSwitching,
    last: Allocation | None,
    limit: ChargerLimit | None,
    now: float,
) -> int:
    sequence = switching.sequence
    if not charger.wants_energy:
        return decide_phases(
            sequence.target,
            sequence.last_switch_at,
            now,
            None,
            switching.settings,
            backoff=sequence.backoff,
        )
    if last is None or last.failsafe or limit is None:
        return sequence.target  # nothing known of the site: no new switch
    if sequence.phases == THREE_PHASES and drawing_conductors(
        charger.measured_a
    ) == frozenset({0}):
        return THREE_PHASES  # a one-phase EV: switching gains nothing
    room = PhaseRoom(
        room_a=_room(last, limit),
        wiring=charger.wiring,
        min_a=charger.min_a,
        max_a=charger.max_a,
    )
    return decide_phases(
        sequence.target,
        sequence.last_switch_at,
        now,
        room,
        switching.settings,
        backoff=sequence.backoff,
    )


def _room(last: Allocation, own: ChargerLimit) -> tuple[float, ...]:
    """Per site phase: what is left, plus what this charger holds itself."""
    room = [
        available - allocated
        for available, allocated in zip(last.available_a, last.allocated_a, strict=True)
    ]
    for phase in own.load_phases:
        room[phase] += own.current_a
    return tuple(room)
