"""Alfen Eve chargers through leeyuentuen/alfen_wallbox (local HTTPS API).

Facts read from its source: the device identifier is the charger's name,
its id `alfen_<name>`; sensor unique ids are `<id>-<key>`, number unique ids
`<id>_<key>`. `status_socket_1` holds the English description of the status
code (`Charging Normal`, `Finish Wait Disconnect`, `Error Power Failure`,
...); `current_l1..3_socket_1` are in A, `active_power_total_socket_1` in W.
`main_normal_max_current_socket_1` is the socket's current number (0-16 A,
more with the high-power licence, step 1). Only socket 1 is profiled.
"""

from __future__ import annotations

from ...balancer import ChargerState
from .model import ChargerProfile, EntitySpec, NumberCurrent, Role, StatusWords

_S = ChargerState
WORDS = {
    "off": _S.FAULTED,
    "booting": _S.FAULTED,
    "check_mains": _S.FAULTED,
    "available": _S.NO_EV,
    "authorizing": _S.CONNECTED,
    "authorized": _S.CONNECTED,
    "cable_connected": _S.CONNECTED,
    "ev_connected": _S.CONNECTED,
    "preparing_charging": _S.CONNECTED,
    "wait_vehicle_charging": _S.CONNECTED,
    "charging_normal": _S.CHARGING,
    "charging_simplified": _S.CHARGING,
    "suspended_over_current": _S.CONNECTED,
    "suspended_hf_switching": _S.CONNECTED,
    "suspended_ev_disconnected": _S.NO_EV,
    "finish_wait_vehicle": _S.EV_FULL,
    "finish_wait_disconnect": _S.EV_FULL,
    "error_protective_earth": _S.FAULTED,
    "error_power_failure": _S.FAULTED,
    "error_contactor_fault": _S.FAULTED,
    "error_charging": _S.FAULTED,
    "error_error_temperature": _S.FAULTED,
    "error_illegal_cp_value": _S.FAULTED,
    "error_illegal_pp_value": _S.FAULTED,
    "error_too_many_restarts": _S.FAULTED,
    "error": _S.FAULTED,
    "error_message": _S.FAULTED,
    "error_message_not_authorised": _S.FAULTED,
    "error_message_cable_not_supported": _S.FAULTED,
    "error_message_s2_not_opened": _S.FAULTED,
    "error_message_time_out": _S.FAULTED,
    "reserved": _S.NO_EV,
    "in_operative": _S.FAULTED,
    "load_balancing_limited": _S.CHARGING,
    "load_balancing_forced_off": _S.CONNECTED,
    "not_charging": _S.CONNECTED,
    "solar_charging_wait": _S.CONNECTED,
    "charging_non_charging": _S.CONNECTED,
    "solar_charging": _S.CHARGING,
    "charge_point_ready_waiting_for_power": _S.CONNECTED,
    "partial_solar_charging": _S.CHARGING,
}

PROFILE = ChargerProfile(
    key="alfen",
    title="Alfen",
    integration="alfen_wallbox",
    entities={
        Role.CURRENT: EntitySpec(
            "number", ("alfen_{id}_main_normal_max_current_socket_1",), required=True
        ),
        Role.STATUS: EntitySpec("sensor", ("alfen_{id}-status_socket_1",)),
        Role.CURRENT_L1: EntitySpec("sensor", ("alfen_{id}-current_l1_socket_1",)),
        Role.CURRENT_L2: EntitySpec("sensor", ("alfen_{id}-current_l2_socket_1",)),
        Role.CURRENT_L3: EntitySpec("sensor", ("alfen_{id}-current_l3_socket_1",)),
        Role.POWER: EntitySpec("sensor", ("alfen_{id}-active_power_total_socket_1",)),
    },
    status=StatusWords(WORDS),
    current=NumberCurrent(),
    verified=(
        "leeyuentuen/alfen_wallbox bc96986: custom_components/alfen_wallbox/"
        "entity.py (identifiers), alfen.py (device id), sensor.py (STATUS_DICT, "
        "unique ids), number.py"
    ),
)
