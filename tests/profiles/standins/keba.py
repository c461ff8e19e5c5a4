"""Stand-in for Home Assistant's `keba` integration (set up from YAML).

No config entry, no device: unique ids `keba_wallbox_<serial>_<type>`; the
charging state's word in its `status` attribute; the plug binary sensor;
power in kW with `current_i1..3` as text attributes; `keba.set_current`
without a schema or a target, which, like the real one, only logs a value
it cannot take.
"""

from __future__ import annotations

import logging

from homeassistant.const import UnitOfPower
from homeassistant.core import HomeAssistant, ServiceCall

from ..physics import Building, StandInCharger
from ..standin import Service, Shape, StandIn, power_kw

DOMAIN = "keba"
_LOGGER = logging.getLogger(__name__)


def state_word(charger: StandInCharger) -> str:
    if charger.ev is None:
        return "not ready for charging"
    return "charging" if max(charger.draw()) > 0 else "ready for charging"


def keba(hass: HomeAssistant, building: Building, charger: StandInCharger) -> StandIn:
    standin = StandIn(DOMAIN, building, yaml=True)
    prefix = f"keba_wallbox_{charger.key}"

    def set_current(call: ServiceCall) -> None:
        try:
            current = float(call.data["current"])
            if (current < 6 and current != 0) or current >= 63:
                raise ValueError(current)
        except (KeyError, ValueError) as err:
            _LOGGER.warning("Current value is not correct. %s", err)
            return
        charger.limit_a = current
        building.publish()

    standin.shapes += [
        Shape(
            platform="binary_sensor",
            unique_id=f"{prefix}_charging_state",
            name="KEBA P30 Charging State",
            device_class="power",
            value=lambda: max(charger.draw()) > 0,
            attributes=lambda: {
                "status": state_word(charger),
                "max_charging_rate": "16.0",
            },
        ),
        Shape(
            platform="binary_sensor",
            unique_id=f"{prefix}_plug_state",
            name="KEBA P30 Plug",
            device_class="plug",
            value=lambda: charger.ev is not None,
        ),
        Shape(
            platform="sensor",
            unique_id=f"{prefix}_charging_power",
            name="KEBA P30 Charging Power",
            unit=UnitOfPower.KILO_WATT,
            device_class="power",
            value=lambda: power_kw(230, charger.draw()),
            attributes=lambda: {
                f"current_i{i + 1}": str(value)
                for i, value in enumerate(charger.draw())
            },
        ),
    ]
    standin.services = [Service("set_current", set_current)]
    return standin
