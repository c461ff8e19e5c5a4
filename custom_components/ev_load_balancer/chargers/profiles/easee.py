"""Easee chargers through nordicopen/easee_hass (cloud API, streamed states).

Facts read from its source: entity unique ids are `<product id>_<key>`;
the status sensor (`status`) holds the charger op mode as a word
(`awaiting_start`, `paused_due_to_equalizer`, ... or `unknown <code>`) with
the circuit's id in its `circuit_id` attribute; power is in kW. Per-phase
currents exist only as terminal readings (`state_inCurrentT2..T5`
attributes of the `current` sensor, disabled by default: the flow enables
it) whose phases depend on the grid (TN: T3-T5 are L1-L3, T2 is N; IT:
T2-T4): each conductor is credited the smaller of its two candidate
terminals, and the balancer reserves every phase.
`easee.set_charger_dynamic_limit` takes `device_id` and `current` (0-40 A,
whole amperes; 0 pauses), `easee.set_circuit_dynamic_limit` takes
`circuit_id` and `current_p1..3` for a circuit of several chargers.
"""

from __future__ import annotations

from ...balancer import ChargerState
from .model import (
    ChargerProfile,
    EntitySpec,
    GroupLimit,
    Role,
    ServiceCurrent,
    StatusWords,
    TerminalAttributes,
)

_S = ChargerState
WORDS = {
    "disconnected": _S.NO_EV,
    "awaiting_start": _S.CONNECTED,
    "ready_to_charge": _S.CONNECTED,
    "awaiting_authorization": _S.CONNECTED,
    "awaiting_authentication": _S.CONNECTED,
    "authenticating": _S.CONNECTED,
    "de_authorizing": _S.CONNECTED,
    "awaiting_load_balancing": _S.CONNECTED,
    "awaiting_smart_start": _S.CONNECTED,
    "awaiting_scheduled_start": _S.CONNECTED,
    "paused_due_to_equalizer": _S.CONNECTED,
    "stop_charging": _S.CONNECTED,
    "start_charging": _S.CHARGING,
    "charging": _S.CHARGING,
    "completed": _S.EV_FULL,
    "error": _S.FAULTED,
    "offline": _S.FAULTED,
    "searching_for_master": _S.FAULTED,
    "erratic_ev": _S.FAULTED,
    "error_temperature_too_high": _S.FAULTED,
    "error_dead_powerboard": _S.FAULTED,
    "error_overcurrent": _S.FAULTED,
    "error_pen_fault": _S.FAULTED,
}

PROFILE = ChargerProfile(
    key="easee",
    title="Easee",
    integration="easee",
    entities={
        Role.STATUS: EntitySpec("sensor", ("{id}_status",), required=True),
        Role.POWER: EntitySpec("sensor", ("{id}_power",)),
        Role.PHASE_CURRENTS: EntitySpec("sensor", ("{id}_current",), enable=True),
    },
    status=StatusWords(WORDS),
    terminal_attributes=TerminalAttributes(
        Role.PHASE_CURRENTS,
        (
            "state_inCurrentT2",
            "state_inCurrentT3",
            "state_inCurrentT4",
            "state_inCurrentT5",
        ),
    ),
    current=ServiceCurrent("easee", "set_charger_dynamic_limit", "current"),
    group=GroupLimit(
        kind="circuit",
        domain="easee",
        service="set_circuit_dynamic_limit",
        target_field="circuit_id",
        phase_fields=("current_p1", "current_p2", "current_p3"),
        ref_source="status_attribute",
        ref_attribute="circuit_id",
        members_limited=True,
    ),
    max_a=40.0,
    verified=(
        "nordicopen/easee_hass 0a95d0d: custom_components/easee/const.py "
        "(EASEE_STATUS, entity keys), entity.py (unique ids, attributes), "
        "services.py (service fields)"
    ),
)
