"""Whether a switchable 3-phase charger should run its EV on one phase or three.

Pure: given what the site can give this charger on each phase after the
baseline (and after the other chargers' limits), one phase wins when three
phases cannot reach the minimum current but the charger's L1 phase can; back
to three once every wired phase has the minimum plus some headroom and three
phases bring more power. A switch is followed by a dwell time in which the
choice stands, so that a capacity hovering at the threshold never toggles
the contactors. A switch that comes as soon as the dwell time allows it
doubles the next dwell time (hysteresis, see PhaseSwitchSettings).
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import IEC_MIN_CURRENT_A

ONE_PHASE = 1
THREE_PHASES = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class PhaseSwitchSettings:
    """Tunables of the 1p/3p choice."""

    # A choice stands at least this long after the last switch.
    dwell_s: float = 300.0
    # Back to three phases only with this much above the minimum on each.
    headroom_a: float = 1.0
    # Several chargers that see the same room switch together, then find it
    # shared and would switch back as soon as the dwell time ends, again and
    # again. So a switch within twice the dwell time of the one before
    # doubles the dwell time (the backoff, at most 2**max_backoff times); a
    # choice that stood that long resets it.
    max_backoff: int = 3

    def dwell_after(self, backoff: int) -> float:
        """The dwell time after `backoff` quick switches in a row."""
        return self.dwell_s * float(2 ** min(max(backoff, 0), self.max_backoff))


@dataclass(frozen=True, slots=True, kw_only=True)
class PhaseRoom:
    """One charger's view of the site this round.

    `room_a`: per site phase, what this charger could have if the others keep
    their limits (fuse - margin - baseline - the others' limits).
    `wiring`: the site phase of each charger conductor (L1 first).
    """

    room_a: tuple[float, ...]
    wiring: tuple[int, ...]
    min_a: float = IEC_MIN_CURRENT_A
    max_a: float = 32.0


def one_phase_power_a(room: PhaseRoom) -> float:
    """Current (A x phases) the EV gets on the charger's L1 phase alone."""
    available = min(room.room_a[room.wiring[0]], room.max_a)
    return available if available >= room.min_a else 0.0


def three_phase_power_a(room: PhaseRoom, extra_a: float = 0.0) -> float:
    """Current (A x phases) the EV gets on all three, needing min + extra on each."""
    available = min(*(room.room_a[p] for p in room.wiring), room.max_a)
    return 3 * available if available >= room.min_a + extra_a else 0.0


def decide_phases(
    current: int,
    last_switch_at: float,
    now: float,
    room: PhaseRoom | None,
    settings: PhaseSwitchSettings,
    *,
    backoff: int = 0,
) -> int:
    """1 or 3: what the charger should run on from now.

    `room` None: no EV asks for current: the charger goes back to three
    phases, the way a session starts, once the dwell time allows.
    `backoff`: quick switches in a row (PhaseSwitchSettings.max_backoff).
    """
    if now - last_switch_at < settings.dwell_after(backoff):
        return current
    if room is None:
        return THREE_PHASES
    one = one_phase_power_a(room)
    if current == THREE_PHASES:
        return ONE_PHASE if one > three_phase_power_a(room) else THREE_PHASES
    three = three_phase_power_a(room, settings.headroom_a)
    return THREE_PHASES if three > one else ONE_PHASE
