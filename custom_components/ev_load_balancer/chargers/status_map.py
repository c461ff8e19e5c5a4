"""Raw charger status words -> the balancer's states, with an explicit fallback.

Each profile has the words of its own integration (profiles/*.py); a charger
set up by hand uses WORDS below, the words of the popular integrations
together, plus on/off of a cable-connected binary sensor. Words are compared
normalised (lower case, runs of anything else than letters and digits as
one `_`): "Locked, car connected" is `locked_car_connected`.

A word that is not known is not guessed: the charger "may be charging". It
is taken as an EV that wants current (the balancer reserves what it allows
it, and a draw makes it charging), shown as such, and the caller raises a
repair issue naming the word, once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import re

from ..balancer import ChargerState

_NO_EV = ChargerState.NO_EV
_CONNECTED = ChargerState.CONNECTED
_CHARGING = ChargerState.CHARGING
_FULL = ChargerState.EV_FULL
_FAULTED = ChargerState.FAULTED

# What an unknown word is taken for (see the module docstring).
UNKNOWN_WORD_STATE = _CONNECTED

WORDS: dict[str, ChargerState] = {
    # No EV plugged in
    "disconnected": _NO_EV,
    "available": _NO_EV,
    "reserved": _NO_EV,
    "unplugged": _NO_EV,
    "not_connected": _NO_EV,
    "no_car": _NO_EV,
    "no_ev_connected": _NO_EV,
    "idle": _NO_EV,
    "ready": _NO_EV,
    "locked": _NO_EV,
    "off": _NO_EV,
    "a": _NO_EV,  # IEC 61851 state A
    # EV plugged in, waiting for current
    "on": _CONNECTED,
    "connected": _CONNECTED,
    "awaiting_start": _CONNECTED,
    "awaiting_authorization": _CONNECTED,
    "awaiting_load_balancing": _CONNECTED,
    "awaiting_smart_start": _CONNECTED,
    "awaiting_scheduled_start": _CONNECTED,
    "paused_due_to_equalizer": _CONNECTED,
    "ready_to_charge": _CONNECTED,
    "preparing": _CONNECTED,
    "suspendedevse": _CONNECTED,
    "suspended_evse": _CONNECTED,
    "suspended": _CONNECTED,
    "connected_requesting": _CONNECTED,
    "waitcar": _CONNECTED,
    "wait_car": _CONNECTED,
    "waiting": _CONNECTED,
    "paused": _CONNECTED,
    "paused_by_user": _CONNECTED,
    "scheduled": _CONNECTED,
    "waiting_for_next_schedule": _CONNECTED,
    "locked_car_connected": _CONNECTED,
    "waiting_in_queue_by_power_sharing": _CONNECTED,
    "waiting_in_queue_by_power_boost": _CONNECTED,
    "waiting_in_queue_by_eco_smart": _CONNECTED,
    "waiting_mid_safety_margin_exceeded": _CONNECTED,
    "b": _CONNECTED,
    # Charging
    "charging": _CHARGING,
    "connected_charging": _CHARGING,
    "c": _CHARGING,
    "d": _CHARGING,
    # The EV stopped by itself (a bidirectional charger feeding the
    # building draws nothing from the fuse either)
    "completed": _FULL,
    "complete": _FULL,
    "finished": _FULL,
    "finishing": _FULL,
    "connected_finished": _FULL,
    "suspendedev": _FULL,
    "suspended_ev": _FULL,
    "connected_waiting_for_car_demand": _FULL,
    "waiting_for_car_demand": _FULL,
    "discharging": _FULL,
    "end": _FULL,
    # Faults
    "error": _FAULTED,
    "faulted": _FAULTED,
    "fault": _FAULTED,
    "offline": _FAULTED,
    "updating": _FAULTED,
    "waiting_mid_failed": _FAULTED,
    "e": _FAULTED,
    "f": _FAULTED,
}

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalise(word: str) -> str:
    """The form words are compared in."""
    return _NOT_WORD.sub("_", word.strip().lower()).strip("_")


@dataclass(frozen=True, slots=True)
class StatusReading:
    """What a status word means; `unknown_word` is set when it is not known."""

    state: ChargerState
    unknown_word: str | None = None


def read_word(word: str, words: Mapping[str, ChargerState] = WORDS) -> StatusReading:
    """The state a raw word stands for, or the "may be charging" fallback."""
    state = words.get(normalise(word))
    if state is None:
        return StatusReading(UNKNOWN_WORD_STATE, unknown_word=word)
    return StatusReading(state)
