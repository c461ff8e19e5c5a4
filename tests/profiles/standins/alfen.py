"""Stand-in for leeyuentuen/alfen_wallbox (Alfen Eve, socket 1).

The device identifier is the charger's name, its id `alfen_<name>`; sensor
unique ids `<id>-<key>`, the number's `<id>_<key>`; the English status
descriptions; currents in A, power in W; the socket's max current 0-16 A.
"""

from __future__ import annotations

from homeassistant.const import UnitOfPower
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceInfo

from ..physics import Building, StandInCharger
from ..standin import Shape, StandIn

DOMAIN = "alfen_wallbox"


def status(charger: StandInCharger) -> str:
    if charger.ev is None:
        return "Available"
    if charger.ev.full:
        return "Finish Wait Disconnect"
    if max(charger.draw()) > 0:
        return "Charging Normal"
    return "Charge Point Ready, Waiting For Power"


def alfen(hass: HomeAssistant, building: Building, charger: StandInCharger) -> StandIn:
    standin = StandIn(DOMAIN, building)
    name = f"Eve {charger.key} (192.0.2.20)"
    device_id = f"alfen_{name}"
    device = DeviceInfo(identifiers={(DOMAIN, name)}, name=name, manufacturer="Alfen")

    def set_current(value: float) -> None:
        charger.limit_a = float(value)
        building.publish()

    standin.shapes += [
        Shape(
            platform="number",
            unique_id=f"{device_id}_main_normal_max_current_socket_1",
            name=f"{name} Power Connector Max Current Socket 1",
            device=device,
            unit="A",
            minimum=0,
            maximum=16,
            value=lambda: charger.limit_a,
            set_value=set_current,
        ),
        Shape(
            platform="sensor",
            unique_id=f"{device_id}-status_socket_1",
            name=f"{name} Status Code Socket 1",
            device=device,
            value=lambda: status(charger),
        ),
        *(
            Shape(
                platform="sensor",
                unique_id=f"{device_id}-current_l{p + 1}_socket_1",
                name=f"{name} Current L{p + 1} Socket 1",
                device=device,
                unit="A",
                device_class="current",
                value=lambda p=p: charger.draw()[p],
            )
            for p in range(3)
        ),
        Shape(
            platform="sensor",
            unique_id=f"{device_id}-active_power_total_socket_1",
            name=f"{name} Active Power Total Socket 1",
            device=device,
            unit=UnitOfPower.WATT,
            device_class="power",
            value=lambda: round(sum(charger.draw()) * 230),
        ),
    ]
    return standin
