"""Stand-in for Home Assistant's `peblar` integration.

Unique ids `<serial>_<key>`; the charge current number from 6 A; the
`charge` switch (off sets 0 A, on restores); `force_single_phase`; the cp
state words; currents in mA, disabled by default; power in W.
"""

from __future__ import annotations

from homeassistant.const import EntityCategory, UnitOfPower
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceInfo

from ..physics import Building, StandInCharger
from ..standin import Shape, StandIn

DOMAIN = "peblar"


def cp_state(charger: StandInCharger) -> str:
    if charger.ev is None:
        return "no_ev_connected"
    return "charging" if max(charger.draw()) > 0 else "suspended"


def peblar(hass: HomeAssistant, building: Building, charger: StandInCharger) -> StandIn:
    standin = StandIn(DOMAIN, building)
    serial = f"23-45-{charger.key}"
    device = DeviceInfo(identifiers={(DOMAIN, serial)}, name="Peblar EV Charger")

    def set_current(value: float) -> None:
        charger.limit_a = float(value)
        charger.paused = False  # its limit is also its start
        building.publish()

    def set_charge(on: bool) -> None:
        charger.paused = not on
        building.publish()

    def set_single(on: bool) -> None:
        phases = 1 if on else 3
        charger.phase_switches += phases != charger.phases_mode
        charger.phases_mode = phases
        building.publish()

    standin.shapes += [
        Shape(
            platform="number",
            unique_id=f"{serial}_charge_current_limit",
            name="Charge limit",
            translation_key="charge_current_limit",
            device=device,
            category=EntityCategory.CONFIG,
            unit="A",
            minimum=6,
            maximum=16,
            value=lambda: charger.limit_a,
            set_value=set_current,
        ),
        Shape(
            platform="switch",
            unique_id=f"{serial}_charge",
            name="Charge",
            translation_key="charge",
            device=device,
            category=EntityCategory.CONFIG,
            value=lambda: not charger.paused,
            set_value=set_charge,
        ),
        Shape(
            platform="switch",
            unique_id=f"{serial}_force_single_phase",
            name="Force single phase",
            translation_key="force_single_phase",
            device=device,
            category=EntityCategory.CONFIG,
            value=lambda: charger.phases_mode == 1,
            set_value=set_single,
        ),
        Shape(
            platform="sensor",
            unique_id=f"{serial}_cp_state",
            name="State",
            translation_key="cp_state",
            device=device,
            device_class="enum",
            options=[
                "charging",
                "error",
                "fault",
                "invalid",
                "no_ev_connected",
                "suspended",
            ],
            value=lambda: cp_state(charger),
        ),
        *(
            Shape(
                platform="sensor",
                unique_id=f"{serial}_current_phase_{p + 1}",
                name=f"Current phase {p + 1}",
                translation_key=f"current_phase_{p + 1}",
                device=device,
                unit="mA",
                device_class="current",
                enabled_default=False,
                value=lambda p=p: round(charger.draw()[p] * 1000),
            )
            for p in range(3)
        ),
        Shape(
            platform="sensor",
            unique_id=f"{serial}_power_total",
            name="Power",
            device=device,
            unit=UnitOfPower.WATT,
            device_class="power",
            value=lambda: round(sum(charger.draw()) * 230),
        ),
    ]
    return standin
