"""KEBA KeContact P20/P30 through Home Assistant's own `keba` integration.

Facts read from its source (and keba-kecontact 1.3.0, which it uses): it is
set up from YAML, so its entities have no device and no config entry;
unique ids are `keba_wallbox_<serial>_<type>`. `charging_state` (binary) has
the library's state word in its `status` attribute (`starting`, `not ready
for charging`, `ready for charging`, `charging`, `error`, `authorization
rejected`); `plug_state` (binary) is on when the plug is in the EV;
`charging_power` is in kW with the phase currents as text attributes
`current_i1..3`. `keba.set_current` takes `current` (6-63 A, or 0, which
stops charging like `ena 0`) and has no target: one KEBA per Home Assistant.
"""

from __future__ import annotations

from ...balancer import ChargerState
from .model import (
    ChargerProfile,
    EntitySpec,
    PhaseAttributes,
    Role,
    ServiceCurrent,
    StatusWords,
)

WORDS = {
    "starting": ChargerState.CONNECTED,
    "not_ready_for_charging": ChargerState.CONNECTED,
    "ready_for_charging": ChargerState.CONNECTED,
    "charging": ChargerState.CHARGING,
    "error": ChargerState.FAULTED,
    "authorization_rejected": ChargerState.CONNECTED,
}

PROFILE = ChargerProfile(
    key="keba",
    title="KEBA",
    integration="keba",
    entities={
        Role.STATUS: EntitySpec(
            "binary_sensor", ("keba_wallbox_{id}_charging_state",), required=True
        ),
        Role.PLUG: EntitySpec("binary_sensor", ("keba_wallbox_{id}_plug_state",)),
        Role.POWER: EntitySpec("sensor", ("keba_wallbox_{id}_charging_power",)),
    },
    status=StatusWords(WORDS, attribute="status"),
    current=ServiceCurrent(
        "keba", "set_current", "current", device_field=None, minimum_a=6.0
    ),
    phase_attributes=PhaseAttributes(
        Role.POWER, ("current_i1", "current_i2", "current_i3")
    ),
    max_a=63.0,
    deviceless=True,
    verified=(
        "home-assistant/core 2025.4.4 and 2026.2.3: homeassistant/components/"
        "keba/__init__.py, sensor.py, binary_sensor.py, services.yaml; "
        "dannerph/keba-kecontact 1.3.0 (2d270e0): keba_protocol.py, connection.py"
    ),
)
