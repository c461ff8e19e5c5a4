"""Zaptec chargers through custom-components/zaptec (cloud API).

Facts read from its source: unique ids are `<Zaptec object id>_<key>`; a
charger's device has its installation's device as `via_device`. The charger
mode sensor (`charger_operation_mode`) holds Zaptec's own mode names in
lower case (`disconnected`, `connected_requesting`, `connected_charging`,
`connected_finished`); currents per phase are `current_phase1..3` (A),
power `total_charge_power` (W). A charger has no current limit of its own:
`zaptec.limit_current` sets the *installation's* available current
(`device_id` of the installation, `available_current_phase1..3`, whole
amperes, at most the installation's `max_current`), shared by all its
chargers. `zaptec.stop_charging` / `zaptec.resume_charging` act on one
charger. Zaptec asks for at most one change of the available current per
15 minutes (its README, "Setting charging current").
"""

from __future__ import annotations

from ...balancer import ChargerState
from .model import (
    ChargerProfile,
    EntitySpec,
    GroupCurrent,
    GroupLimit,
    Role,
    ServicePause,
    StatusWords,
)

WORDS = {
    "disconnected": ChargerState.NO_EV,
    "connected_requesting": ChargerState.CONNECTED,
    "connected_charging": ChargerState.CHARGING,
    "connected_finished": ChargerState.EV_FULL,
}

PROFILE = ChargerProfile(
    key="zaptec",
    title="Zaptec",
    integration="zaptec",
    entities={
        Role.STATUS: EntitySpec(
            "sensor", ("{id}_charger_operation_mode",), required=True
        ),
        Role.CURRENT_L1: EntitySpec("sensor", ("{id}_current_phase1",)),
        Role.CURRENT_L2: EntitySpec("sensor", ("{id}_current_phase2",)),
        Role.CURRENT_L3: EntitySpec("sensor", ("{id}_current_phase3",)),
        Role.POWER: EntitySpec("sensor", ("{id}_total_charge_power",)),
        Role.GROUP_MAX: EntitySpec("sensor", ("{id}_max_current",), on_group=True),
    },
    status=StatusWords(WORDS),
    current=GroupCurrent(),
    pause=ServicePause("zaptec", "stop_charging", "resume_charging", needs_ev=True),
    group=GroupLimit(
        kind="installation",
        domain="zaptec",
        service="limit_current",
        target_field="device_id",
        phase_fields=(
            "available_current_phase1",
            "available_current_phase2",
            "available_current_phase3",
        ),
        ref_source="via_device",
        target_as_list=True,
    ),
    change_interval_s=900.0,
    verified=(
        "custom-components/zaptec b1a02b3: custom_components/zaptec/entity.py "
        "(unique ids), sensor.py, number.py, manager.py (via_device), "
        "services.py (limit_current schema), zaptec/api.py (set_limit_current), "
        "README.md (15 minutes)"
    ),
)
