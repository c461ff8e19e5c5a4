"""Stand-in for Home Assistant's `tesla_wall_connector` integration (read only).

Unique ids `<serial>-<key>`; the status enum; `vehicle_connected`; phase
currents in A; `total_power_w` only where Home Assistant has it (2026.2).
"""

from __future__ import annotations

from awesomeversion import AwesomeVersion
from homeassistant.const import UnitOfPower, __version__ as ha_version
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceInfo

from ..physics import Building, StandInCharger
from ..standin import Shape, StandIn

DOMAIN = "tesla_wall_connector"
HAS_TOTAL_POWER = AwesomeVersion(ha_version) >= AwesomeVersion("2026.1.0")
STATES = [
    "booting",
    "not_connected",
    "connected",
    "ready",
    "negotiating",
    "error",
    "charging_finished",
    "waiting_car",
    "charging_reduced",
    "charging",
]


def status(charger: StandInCharger) -> str:
    if charger.ev is None:
        return "not_connected"
    if charger.ev.full:
        return "charging_finished"
    return "charging" if max(charger.draw()) > 0 else "connected"


def tesla(hass: HomeAssistant, building: Building, charger: StandInCharger) -> StandIn:
    standin = StandIn(DOMAIN, building)
    serial = f"PGT{charger.key}"
    device = DeviceInfo(
        identifiers={(DOMAIN, serial)},
        name="Tesla Wall Connector",
        manufacturer="Tesla",
    )
    standin.shapes += [
        Shape(
            platform="sensor",
            unique_id=f"{serial}-status",
            name="Status",
            translation_key="status",
            device=device,
            device_class="enum",
            options=STATES,
            value=lambda: status(charger),
        ),
        Shape(
            platform="binary_sensor",
            unique_id=f"{serial}-vehicle_connected",
            name="Vehicle connected",
            translation_key="vehicle_connected",
            device=device,
            device_class="plug",
            value=lambda: charger.ev is not None,
        ),
        *(
            Shape(
                platform="sensor",
                unique_id=f"{serial}-current_{letter}_a",
                name=f"Phase {letter.upper()} current",
                translation_key=f"current_{letter}_a",
                device=device,
                unit="A",
                device_class="current",
                value=lambda p=p: charger.draw()[p],
            )
            for p, letter in enumerate("abc")
        ),
    ]
    if HAS_TOTAL_POWER:
        standin.shapes.append(
            Shape(
                platform="sensor",
                unique_id=f"{serial}-total_power_w",
                name="Power",
                translation_key="total_power_w",
                device=device,
                unit=UnitOfPower.WATT,
                device_class="power",
                value=lambda: round(sum(charger.draw()) * 230),
            )
        )
    return standin
