"""Peblar chargers through Home Assistant's own `peblar` integration (local API).

Facts read from its source: unique ids are `<serial>_<key>`;
`charge_current_limit` is a number from 6 A (step 1); the `charge` switch
pauses (off sets 0 A) and resumes (on restores the last limit);
`force_single_phase` (a switch, only where the charger allows it and has
more than one phase) forces one phase. `cp_state` holds `no_ev_connected`,
`suspended`, `charging`, `error`, `fault` or `invalid`. Currents are in mA:
`current_phase_1..3` on multi-phase chargers, `current_total` on single-phase
ones (all disabled by default, so the flow enables them); `power_total` is W.
"""

from __future__ import annotations

from ...balancer import ChargerState
from .model import (
    ChargerProfile,
    EntitySpec,
    NumberCurrent,
    Role,
    StatusWords,
    SwitchPause,
    SwitchPhases,
)

WORDS = {
    "no_ev_connected": ChargerState.NO_EV,
    "suspended": ChargerState.CONNECTED,
    "charging": ChargerState.CHARGING,
    "error": ChargerState.FAULTED,
    "fault": ChargerState.FAULTED,
    "invalid": ChargerState.FAULTED,
}

PROFILE = ChargerProfile(
    key="peblar",
    title="Peblar",
    integration="peblar",
    entities={
        Role.CURRENT: EntitySpec(
            "number", ("{id}_charge_current_limit",), required=True
        ),
        Role.PAUSE: EntitySpec("switch", ("{id}_charge",), required=True),
        Role.PHASES: EntitySpec("switch", ("{id}_force_single_phase",)),
        Role.STATUS: EntitySpec("sensor", ("{id}_cp_state",)),
        Role.CURRENT_L1: EntitySpec(
            "sensor", ("{id}_current_phase_1", "{id}_current_total"), enable=True
        ),
        Role.CURRENT_L2: EntitySpec("sensor", ("{id}_current_phase_2",), enable=True),
        Role.CURRENT_L3: EntitySpec("sensor", ("{id}_current_phase_3",), enable=True),
        Role.POWER: EntitySpec("sensor", ("{id}_power_total",)),
    },
    status=StatusWords(WORDS),
    current=NumberCurrent(),
    pause=SwitchPause(),
    phases=SwitchPhases(),
    verified=(
        "home-assistant/core 2025.4.4 and 2026.2.3: homeassistant/components/"
        "peblar/const.py (cp states), sensor.py, number.py, switch.py, entity.py"
    ),
)
