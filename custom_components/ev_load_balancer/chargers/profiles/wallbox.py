"""Wallbox chargers through Home Assistant's own `wallbox` integration (cloud).

Facts read from its source: unique ids are `<key>-<serial>`; the status
sensor (`status_description`) holds the English description of the status
code (`Charging`, `Locked, car connected`, `Waiting in queue by Power
Sharing`, ...; not translated); `charging_power` is in kW; there are no
per-phase currents. `max_charging_current` is a number (6 A up, step 1;
negative on a bidirectional Quasar); the `paused` switch (translation key
`pause_resume`) is on while charging, off paused, and unavailable while no
EV can charge. The coordinator reads every 30 s per charger and backs off on
HTTP 429: raising faster than that is not seen.
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
)

_S = ChargerState
WORDS = {
    "charging": _S.CHARGING,
    # A Quasar feeding the building draws nothing from the fuse.
    "discharging": _S.EV_FULL,
    "paused": _S.CONNECTED,
    "scheduled": _S.CONNECTED,
    "waiting_for_car_demand": _S.EV_FULL,
    "waiting": _S.CONNECTED,
    "disconnected": _S.NO_EV,
    "error": _S.FAULTED,
    "ready": _S.NO_EV,
    "locked": _S.NO_EV,
    "locked_car_connected": _S.CONNECTED,
    "updating": _S.FAULTED,
    "waiting_in_queue_by_power_sharing": _S.CONNECTED,
    "waiting_in_queue_by_power_boost": _S.CONNECTED,
    "waiting_mid_failed": _S.FAULTED,
    "waiting_mid_safety_margin_exceeded": _S.CONNECTED,
    "waiting_in_queue_by_eco_smart": _S.CONNECTED,
}

PROFILE = ChargerProfile(
    key="wallbox",
    title="Wallbox",
    integration="wallbox",
    entities={
        Role.CURRENT: EntitySpec(
            "number", ("max_charging_current-{id}",), required=True
        ),
        Role.PAUSE: EntitySpec("switch", ("paused-{id}",)),
        Role.STATUS: EntitySpec("sensor", ("status_description-{id}",)),
        Role.POWER: EntitySpec("sensor", ("charging_power-{id}",)),
    },
    status=StatusWords(WORDS),
    current=NumberCurrent(),
    pause=SwitchPause(),
    change_interval_s=30.0,
    verified=(
        "home-assistant/core 2025.4.4 and 2026.2.3: homeassistant/components/"
        "wallbox/const.py (ChargerStatus), coordinator.py (status codes, 30 s), "
        "sensor.py, number.py, switch.py, entity.py"
    ),
)
