"""Stand-in for nordicopen/easee_hass: the shapes of its entities and services.

Unique ids `<product id>_<key>`; the status sensor's words; power in kW;
`set_charger_dynamic_limit` (device_id, current 0-40) and
`set_circuit_dynamic_limit` (circuit_id, current_p1..3) with the real schemas'
field names. A circuit's limit is spread over its chargers the way Easee's
own load balancing would (physics.spread_group_limit).
"""

from __future__ import annotations

from homeassistant.const import UnitOfPower
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.device_registry import DeviceInfo
import voluptuous as vol

from ..physics import Building, StandInCharger, spread_group_limit
from ..standin import Service, Shape, StandIn, device_refs, power_kw

DOMAIN = "easee"


def product_id(charger: StandInCharger) -> str:
    return f"EH{charger.key.upper()}"


def status_word(charger: StandInCharger) -> str:
    if charger.ev is None:
        return "disconnected"
    if charger.ev.full:
        return "completed"
    if max(charger.draw()) > 0:
        return "charging"
    return "awaiting_start"


def terminals(charger: StandInCharger) -> dict[str, float]:
    """A TN grid: T2 carries the neutral (the imbalance), T3-T5 are L1-L3."""
    draw = charger.draw()
    neutral = draw[0] if charger.conductors_used == 1 else 0.0
    return {
        "state_inCurrentT2": neutral,
        **{f"state_inCurrentT{3 + i}": draw[i] for i in range(3)},
    }


def easee(
    hass: HomeAssistant,
    building: Building,
    chargers: list[StandInCharger],
    circuit_id: int = 7,
) -> StandIn:
    standin = StandIn(DOMAIN, building)
    circuit = {"limit": (40.0, 40.0, 40.0), "words": {}}
    by_id = {product_id(c): c for c in chargers}

    def spread() -> None:
        spread_group_limit(circuit["limit"], chargers)

    standin.before_push = spread
    for charger in chargers:
        pid = product_id(charger)
        device = DeviceInfo(
            identifiers={(DOMAIN, pid)}, name=charger.key, manufacturer="Easee"
        )

        def word(charger: StandInCharger = charger) -> str:
            return circuit["words"].get(charger.key) or status_word(charger)

        standin.shapes += [
            Shape(
                platform="sensor",
                unique_id=f"{pid}_status",
                name="Status",
                translation_key="easee_status",
                device=device,
                value=word,
                attributes=lambda: {"circuit_id": circuit_id, "site_id": 1},
            ),
            Shape(
                platform="sensor",
                unique_id=f"{pid}_power",
                name="Power",
                translation_key="power",
                device=device,
                unit=UnitOfPower.KILO_WATT,
                device_class="power",
                value=lambda charger=charger: power_kw(230, charger.draw()),
            ),
            Shape(
                platform="sensor",
                unique_id=f"{pid}_current",
                name="Current",
                translation_key="current",
                device=device,
                unit="A",
                device_class="current",
                enabled_default=False,
                value=lambda charger=charger: max(charger.draw()),
                attributes=lambda charger=charger: terminals(charger),
            ),
        ]

    def set_charger(call: ServiceCall) -> None:
        for ref in device_refs(hass, call.data["device_id"], DOMAIN):
            by_id[ref].limit_a = float(call.data["current"])
        building.publish()

    def set_circuit(call: ServiceCall) -> None:
        if call.data["circuit_id"] != circuit_id:
            raise vol.Invalid(f"Could not find circuit {call.data['circuit_id']}")
        p1 = call.data["current_p1"]
        circuit["limit"] = (
            float(p1),
            float(call.data.get("current_p2", p1)),
            float(call.data.get("current_p3", p1)),
        )
        building.publish()

    standin.services = [
        Service(
            "set_charger_dynamic_limit",
            set_charger,
            vol.Schema(
                {
                    vol.Required("device_id"): cv.string,
                    vol.Required("current"): vol.All(
                        cv.positive_int, vol.Range(min=0, max=40)
                    ),
                    vol.Optional("time_to_live", default=0): cv.positive_int,
                }
            ),
        ),
        Service(
            "set_circuit_dynamic_limit",
            set_circuit,
            vol.Schema(
                {
                    vol.Required("circuit_id"): cv.positive_int,
                    vol.Optional("current_p1", default=16): cv.positive_int,
                    vol.Optional("current_p2"): cv.positive_int,
                    vol.Optional("current_p3"): cv.positive_int,
                    vol.Optional("time_to_live", default=0): cv.positive_int,
                }
            ),
        ),
    ]
    standin.model = circuit
    return standin
