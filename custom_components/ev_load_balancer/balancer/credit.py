"""How much of a charger's reported draw counts as EV load, not building load.

For sharing, the reading of a charging EV is believed, never beyond its limit:
a charger that overshoots leaves the rest in the baseline, where it is safe. An
EV that stopped by itself, left, or whose charger faulted gets no credit: its
last reading may still show the old draw and would hide building load.

A reading taken before our last raise had time to show (charger readings lag
the site meter by a meter interval, EVs take seconds to ramp) would make the
EV's own ramp look like the building's: the EV is then credited with its new
limit, never more than its reading plus the raise, until a reading from after
its ramp comes (a meter reading from before the raise is set against the EV's
reading of that time), and only as far as the meter has shown the ramp
(ramp_evidence.py). The site is settling meanwhile, so nobody is raised on
the strength of it.

An EV we just lowered is still ramping down: a site meter reading taken
before the decrease holds its old draw, and so does its reading of that time,
up to its old limit. For a reading taken within ramp_s after the decrease it
may or may not have followed: for telling a building overload its old draw is
still EV load (one cut is not the building's), but sharing takes it to have
followed, since crediting a draw it no longer has would hide as much building
load (found by the simulator: a queue rotation hid a 4.4 A rise and limits
went above the fuse). For a meter reading taken later, the EV has followed:
up to the new limit only.
"""

from __future__ import annotations

from typing import NamedTuple

from .memory import ChargerMemory
from .model import BalancerSettings, ChargerInput, ChargerState


class UnconfirmedRaise(NamedTuple):
    """A raise the meter read after and the charger's reading cannot show yet."""

    raised_to_a: float
    base_a: float
    # The site's raw building estimate while the limit was at `base_a`
    # (None: unknown), what the ramp's evidence is measured from.
    reference_a: tuple[float, ...] | None


def credited_draw(
    charger: ChargerInput,
    memory: ChargerMemory,
    now: float,
    settings: BalancerSettings,
    conductors: tuple[int, ...],
    *,
    site_measured_at: float | None = None,
    assume_followed: bool = False,
    raise_credit: bool = True,
) -> tuple[float, ...]:
    """Credited current per charger conductor.

    `conductors`: those the EV is taken to draw on. `site_measured_at`: when
    the site meter took the reading the credit is set against (None: now).
    `assume_followed`: an EV lowered before the meter read is taken to have
    followed (the fuse's side: see lowering_unclear). `raise_credit`: False
    leaves an unconfirmed raise out (its reading is all, ramp_evidence.py).
    """
    count = len(charger.wiring)
    none = (0.0,) * count
    if not charger.controllable:
        return none
    limit = memory.limit_a
    meter_at = now if site_measured_at is None else site_measured_at
    raised = (
        unconfirmed_raise(charger, memory, settings, meter_at) if raise_credit else None
    )
    if raised is not None:
        raised_to, base, _ = raised
        if not charger.measured_a:
            return tuple(raised_to if i in conductors else 0.0 for i in range(count))
        # It may have ramped by the raise, not beyond: an EV that drew less
        # than its old limit is not credited with the whole new one.
        raise_a = raised_to - base
        return tuple(
            min(raised_to, value + raise_a) if i in conductors else 0.0
            for i, value in enumerate(charger.measured_a)
        )
    if not charger.measured_a:
        return none
    # When the meter read, an EV lowered less than ramp_s before may still
    # have drawn its old limit; one lowered earlier has followed.
    ramping_down = meter_at - memory.lowered_at < settings.ramp_s and not (
        assume_followed and meter_at > memory.lowered_at
    )
    if (
        ramping_down
        and limit is not None
        and charger.state
        in (
            ChargerState.CONNECTED,
            ChargerState.CHARGING,
        )
    ):
        cap = max(limit, memory.before_lower_a)
    elif charger.state is ChargerState.CHARGING:
        # Unknown last limit (first round after a start): the reading is all.
        cap = charger.max_a if limit is None else limit
    else:
        return none
    return tuple(min(value, cap) for value in charger.measured_a)


def unconfirmed_raise(
    charger: ChargerInput,
    memory: ChargerMemory,
    settings: BalancerSettings,
    meter_at: float,
) -> UnconfirmedRaise | None:
    """The raise the meter read after and the charger's reading of that moment
    cannot show yet (the EV may have ramped, or not): the limit it went to as
    the meter read, and the limit before it. None: no such raise.

    A meter reading from before the latest raise holds the old draw, which
    the charger's own reading of that time shows; the raise before may still
    be unconfirmed at that moment (a second round in the same second, after a
    raise, must credit what the first did).
    """
    limit = memory.limit_a
    if limit is None or charger.state not in (
        ChargerState.CONNECTED,
        ChargerState.CHARGING,
    ):
        return None
    if meter_at > memory.raised_at:
        raised_at, raised_to, base = memory.raised_at, limit, memory.before_raise_a
        reference = memory.raise_reference_a
        # A cut since the meter read (the queue making room) has not reached
        # its reading: the ramp it saw is credited whole.
        if meter_at <= memory.lowered_at:
            raised_to = max(limit, memory.before_lower_a)
    elif meter_at > memory.prior_raised_at:
        raised_at = memory.prior_raised_at
        raised_to, base = memory.prior_raised_to_a, memory.prior_before_raise_a
        reference = memory.prior_raise_reference_a
    else:
        return None
    if (
        # Counted on the meter's clock: the charger reading set against a
        # meter reading is the one of the meter's moment (loop/track.py), so
        # the question is whether that reading shows the ramp, however late
        # the round runs (a round 16 s after a raise, on a meter reading of
        # 8 s, took the EV's ramp for the building's and cut it).
        meter_at - raised_at < settings.follow_s
        and _older_than(charger, raised_at + settings.ramp_s)
    ):
        return UnconfirmedRaise(raised_to, base, reference)
    return None


def lowering_unclear(
    memory: ChargerMemory, meter_at: float, settings: BalancerSettings
) -> bool:
    """Whether the meter read while the EV may or may not have followed a cut.

    Its old draw is then EV load for telling a building overload (a cut is
    not the building's), but sharing takes it to have followed: if it had,
    crediting its old draw would hide as much building load.
    """
    return (
        memory.lowered_at < meter_at < memory.lowered_at + settings.ramp_s
        and memory.before_lower_a > (memory.limit_a or 0.0)
    )


def _older_than(charger: ChargerInput, moment: float) -> bool:
    """Whether the charger's reading was taken before `moment`."""
    taken = charger.measured_at
    return not charger.measured_a or (taken is not None and taken < moment)
