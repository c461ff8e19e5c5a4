"""OCPP connector status (and 2.0.1 charging state) -> the balancer's ChargerState."""

from __future__ import annotations

from ..balancer import ChargerState
from .state import ChargePointState

_FAULTED = frozenset({"Faulted", "Unavailable"})

# OCPP 1.6 ChargePointStatus of a connector.
_V16 = {
    "Available": ChargerState.NO_EV,
    "Reserved": ChargerState.NO_EV,
    "Preparing": ChargerState.CONNECTED,
    "Charging": ChargerState.CHARGING,
    # The charger holds the EV back (our 0 A pause among others): it still wants.
    "SuspendedEVSE": ChargerState.CONNECTED,
    "SuspendedEV": ChargerState.EV_FULL,
    "Finishing": ChargerState.EV_FULL,
    "Faulted": ChargerState.FAULTED,
    "Unavailable": ChargerState.FAULTED,
}

# OCPP 2.0.1 ChargingStateEnumType, while the connector is Occupied.
_V201_CHARGING = {
    "Charging": ChargerState.CHARGING,
    "EVConnected": ChargerState.CONNECTED,
    "SuspendedEVSE": ChargerState.CONNECTED,
    "SuspendedEV": ChargerState.EV_FULL,
    "Idle": ChargerState.CONNECTED,
}


def charger_state(state: ChargePointState) -> ChargerState | None:
    """The balancer's view of the charger; None until it has told us anything."""
    if state.station_status in _FAULTED:
        return ChargerState.FAULTED
    status = state.connector_status
    if status is None:
        return None
    if state.stopped_while_paused and status not in _FAULTED | {"Available"}:
        # We paused it and it ended the session: the EV still wants energy,
        # and a remote start will resume it.
        return ChargerState.CONNECTED
    if status in _V16:  # 2.0.1 shares Available, Reserved, Faulted, Unavailable
        return _V16[status]
    if status != "Occupied":
        return None
    if state.transaction_id is None:
        return ChargerState.EV_FULL if state.session_ended else ChargerState.CONNECTED
    return _V201_CHARGING.get(state.charging_state or "", ChargerState.CONNECTED)
