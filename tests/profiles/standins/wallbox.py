"""Stand-in for Home Assistant's `wallbox` integration.

Unique ids `<key>-<serial>`; the English status descriptions; power in kW;
the `max_charging_current` number from 6 A and the `paused` switch, which
is unavailable while no EV can charge.
"""

from __future__ import annotations

from homeassistant.const import UnitOfPower
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceInfo

from ..physics import Building, StandInCharger
from ..standin import Shape, StandIn, power_kw

DOMAIN = "wallbox"


def description(charger: StandInCharger) -> str:
    if charger.ev is None:
        return "Ready"
    if charger.paused:
        return "Paused"
    if charger.ev.full:
        return "Waiting for car demand"
    return "Charging" if max(charger.draw()) > 0 else "Waiting"


def wallbox(
    hass: HomeAssistant, building: Building, charger: StandInCharger
) -> StandIn:
    standin = StandIn(DOMAIN, building)
    serial = f"1{charger.key}"
    device = DeviceInfo(
        identifiers={(DOMAIN, serial)},
        name=f"Wallbox {charger.key}",
        manufacturer="Wallbox",
    )
    words = {"override": None}

    def set_current(value: float) -> None:
        charger.limit_a = float(value)
        building.publish()

    def set_running(on: bool) -> None:
        charger.paused = not on
        building.publish()

    standin.shapes += [
        Shape(
            platform="number",
            unique_id=f"max_charging_current-{serial}",
            name="Maximum charging current",
            translation_key="maximum_charging_current",
            device=device,
            unit="A",
            minimum=6,
            maximum=32,
            value=lambda: charger.limit_a,
            set_value=set_current,
        ),
        Shape(
            platform="switch",
            unique_id=f"paused-{serial}",
            name="Pause/resume",
            translation_key="pause_resume",
            device=device,
            value=lambda: (
                description(charger)
                in ("Charging", "Waiting", "Waiting for car demand")
            ),
            available=lambda: charger.ev is not None,
            set_value=set_running,
        ),
        Shape(
            platform="sensor",
            unique_id=f"status_description-{serial}",
            name="Status description",
            translation_key="status_description",
            device=device,
            value=lambda: words["override"] or description(charger),
        ),
        Shape(
            platform="sensor",
            unique_id=f"charging_power-{serial}",
            name="Charging power",
            translation_key="charging_power",
            device=device,
            unit=UnitOfPower.KILO_WATT,
            device_class="power",
            value=lambda: power_kw(230, charger.draw()),
        ),
    ]
    standin.model = words
    return standin
