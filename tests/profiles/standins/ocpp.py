"""Stand-in for lbbrhzn/ocpp: one charge point with one connector.

Sensor unique ids `ocpp.<cpid>.<metric>.sensor`, the number
`number.ocpp.<cpid>.maximum_current` (0 A up, its entity id set by the
integration), OCPP 1.6 connector status words, `Current.Import` as the
average of the phases with each phase as an attribute, power in kW.
"""

from __future__ import annotations

from homeassistant.const import UnitOfPower
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceInfo

from ..physics import Building, StandInCharger
from ..standin import Shape, StandIn, power_kw

DOMAIN = "ocpp"


def connector_status(charger: StandInCharger) -> str:
    if charger.ev is None:
        return "Available"
    if charger.ev.full:
        return "SuspendedEV"
    if max(charger.draw()) > 0:
        return "Charging"
    return "SuspendedEVSE" if charger.allowed_a() == 0 else "Preparing"


def ocpp(hass: HomeAssistant, building: Building, charger: StandInCharger) -> StandIn:
    standin = StandIn(DOMAIN, building)
    cpid = f"CP{charger.key}"
    device = DeviceInfo(identifiers={(DOMAIN, cpid)}, name=cpid)

    def set_current(value: float) -> None:
        charger.limit_a = float(value)
        building.publish()

    def phases() -> dict[str, float]:
        draw = charger.draw()
        return {"unit": "A", **{f"L{i + 1}": draw[i] for i in range(len(draw))}}

    def average() -> float:
        nonzero = [v for v in charger.draw() if v]
        return sum(nonzero) / len(nonzero) if nonzero else 0.0

    standin.shapes += [
        Shape(
            platform="number",
            unique_id=f"number.ocpp.{cpid}.maximum_current",
            name="Maximum Current",
            device=device,
            unit="A",
            minimum=0,
            maximum=32,
            value=lambda: charger.limit_a,
            set_value=set_current,
        ),
        Shape(
            platform="sensor",
            unique_id=f"ocpp.{cpid}.status_connector.sensor",
            name="Status Connector",
            device=device,
            value=lambda: connector_status(charger),
        ),
        Shape(
            platform="sensor",
            unique_id=f"ocpp.{cpid}.current_import.sensor",
            name="Current Import",
            device=device,
            unit="A",
            device_class="current",
            value=average,
            attributes=phases,
        ),
        Shape(
            platform="sensor",
            unique_id=f"ocpp.{cpid}.power_active_import.sensor",
            name="Power Active Import",
            device=device,
            unit=UnitOfPower.KILO_WATT,
            device_class="power",
            value=lambda: power_kw(230, charger.draw()),
        ),
    ]
    return standin
