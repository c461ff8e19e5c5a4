"""Tesla Wall Connector through Home Assistant's own integration: read only.

Facts read from its source: unique ids are `<serial>-<key>`; `status` is an
enum sensor (`not_connected`, `connected`, `ready`, `negotiating`,
`charging`, `charging_reduced`, `charging_finished`, `waiting_car`,
`booting`, `error`); `vehicle_connected` a binary sensor; `current_a_a`,
`current_b_a`, `current_c_a` the phase currents (A); `total_power_w` (W)
exists in 2026.2, not in 2025.4 (power then comes from the currents). The
integration cannot set a current: the balancer shows the charger and counts
its draw as building load.
"""

from __future__ import annotations

from ...balancer import ChargerState
from .model import ChargerProfile, EntitySpec, Role, StatusWords

_S = ChargerState
WORDS = {
    "booting": _S.FAULTED,
    "not_connected": _S.NO_EV,
    "connected": _S.CONNECTED,
    "ready": _S.CONNECTED,
    "negotiating": _S.CONNECTED,
    "error": _S.FAULTED,
    "charging_finished": _S.EV_FULL,
    "waiting_car": _S.CONNECTED,
    "charging_reduced": _S.CHARGING,
    "charging": _S.CHARGING,
}

PROFILE = ChargerProfile(
    key="tesla_wall_connector",
    title="Tesla Wall Connector",
    integration="tesla_wall_connector",
    entities={
        Role.STATUS: EntitySpec("sensor", ("{id}-status",), required=True),
        Role.PLUG: EntitySpec("binary_sensor", ("{id}-vehicle_connected",)),
        Role.CURRENT_L1: EntitySpec("sensor", ("{id}-current_a_a",)),
        Role.CURRENT_L2: EntitySpec("sensor", ("{id}-current_b_a",)),
        Role.CURRENT_L3: EntitySpec("sensor", ("{id}-current_c_a",)),
        Role.POWER: EntitySpec("sensor", ("{id}-total_power_w",)),
    },
    status=StatusWords(WORDS),
    current=None,
    max_a=48.0,
    verified=(
        "home-assistant/core 2025.4.4 and 2026.2.3: homeassistant/components/"
        "tesla_wall_connector/sensor.py (EVSE_STATE, total_power_w only in "
        "2026.2), binary_sensor.py, entity.py"
    ),
)
