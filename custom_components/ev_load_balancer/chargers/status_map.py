"""Charger status words of popular integrations, mapped to the balancer's states.

Easee, Zaptec, go-e, Wallbox and the OCPP integration each name the same few
situations differently; unknown words return None and the state is then told
from the charger's current. Binary sensors (cable connected) map on/off.
"""

from __future__ import annotations

from ..balancer import ChargerState

_NO_EV = ChargerState.NO_EV
_CONNECTED = ChargerState.CONNECTED
_CHARGING = ChargerState.CHARGING
_FULL = ChargerState.EV_FULL
_FAULTED = ChargerState.FAULTED

STATUS_WORDS: dict[str, ChargerState] = {
    # No EV plugged in
    "disconnected": _NO_EV,
    "available": _NO_EV,
    "unplugged": _NO_EV,
    "not_connected": _NO_EV,
    "no_car": _NO_EV,
    "idle": _NO_EV,
    "ready": _NO_EV,
    "off": _NO_EV,
    "a": _NO_EV,  # IEC 61851 state A
    # EV plugged in, waiting for current
    "on": _CONNECTED,
    "connected": _CONNECTED,
    "awaiting_start": _CONNECTED,
    "ready_to_charge": _CONNECTED,
    "preparing": _CONNECTED,
    "suspendedevse": _CONNECTED,
    "suspended_evse": _CONNECTED,
    "connected_requesting": _CONNECTED,
    "waitcar": _CONNECTED,
    "wait_car": _CONNECTED,
    "waiting": _CONNECTED,
    "paused": _CONNECTED,
    "paused_by_user": _CONNECTED,
    "scheduled": _CONNECTED,
    "waiting_for_next_schedule": _CONNECTED,
    "b": _CONNECTED,
    # Charging
    "charging": _CHARGING,
    "connected_charging": _CHARGING,
    "discharging": _CHARGING,
    "c": _CHARGING,
    "d": _CHARGING,
    # The EV stopped by itself
    "completed": _FULL,
    "complete": _FULL,
    "finished": _FULL,
    "finishing": _FULL,
    "connected_finished": _FULL,
    "suspendedev": _FULL,
    "suspended_ev": _FULL,
    "connected_waiting_for_car_demand": _FULL,
    "waiting_for_car_demand": _FULL,
    "end": _FULL,
    # Faults
    "error": _FAULTED,
    "faulted": _FAULTED,
    "fault": _FAULTED,
    "e": _FAULTED,
    "f": _FAULTED,
}


def state_from_status(word: str) -> ChargerState | None:
    """The balancer's state for a status word, or None when it is unknown."""
    key = word.strip().lower().replace(" ", "_").replace("-", "_").replace(":", "")
    return STATUS_WORDS.get(key)
