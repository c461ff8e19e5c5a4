"""Stand-in for marq24/ha-goecharger-api2 (go-e, local API v2).

Unique ids `goecharger_api2.goe_<serial>_<key>`; the device's identifier a
4-tuple (domain, serial, host, title) as the real one; `amp` 6-32 A; `frc`
and `psm` selects with options "0", "1", "2"; the raw `car` code (disabled
by default) next to the localised `car_value` text; `nrg_4..6` in A,
`nrg_11` in W.
"""

from __future__ import annotations

from homeassistant.const import EntityCategory, UnitOfPower
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceInfo

from ..physics import Building, StandInCharger
from ..standin import Shape, StandIn

DOMAIN = "goecharger_api2"
CAR_TEXT = {1: "Idle", 2: "Charging", 3: "Wait for car", 4: "Complete", 5: "Error"}


def car_code(charger: StandInCharger) -> int:
    if charger.ev is None:
        return 1
    if charger.ev.full:
        return 4
    return 2 if max(charger.draw()) > 0 else 3


def goe(hass: HomeAssistant, building: Building, charger: StandInCharger) -> StandIn:
    standin = StandIn(DOMAIN, building)
    serial = f"40{charger.key}"
    state = {"frc": "0", "psm": "2"}
    device = DeviceInfo(
        identifiers={(DOMAIN, serial, "192.0.2.10", f"go-e {charger.key}")},  # type: ignore[arg-type]
        name=f"go-e {charger.key}",
        manufacturer="go-e",
    )

    def uid(key: str) -> str:
        return f"{DOMAIN}.goe_{serial}_{key}"

    def set_amp(value: float) -> None:
        charger.limit_a = float(value)
        building.publish()

    def set_frc(option: str) -> None:
        state["frc"] = option
        charger.paused = option == "1"
        building.publish()

    def set_psm(option: str) -> None:
        phases = 1 if option == "1" else 3
        if phases != charger.phases_mode:
            charger.phase_switches += 1
        state["psm"] = option
        charger.phases_mode = phases
        building.publish()

    standin.shapes += [
        Shape(
            platform="number",
            unique_id=uid("amp"),
            name="Requested current",
            translation_key="amp",
            device=device,
            unit="A",
            minimum=6,
            maximum=32,
            step=1,
            value=lambda: charger.limit_a,
            set_value=set_amp,
        ),
        Shape(
            platform="select",
            unique_id=uid("frc"),
            name="Force state",
            translation_key="frc",
            device=device,
            options=["0", "1", "2"],
            value=lambda: state["frc"],
            set_value=set_frc,
        ),
        Shape(
            platform="select",
            unique_id=uid("psm"),
            name="Phase switch mode",
            translation_key="psm",
            device=device,
            options=["0", "1", "2"],
            value=lambda: state["psm"],
            set_value=set_psm,
        ),
        Shape(
            platform="sensor",
            unique_id=uid("car"),
            name="Car state [CODE]",
            translation_key="car",
            device=device,
            category=EntityCategory.DIAGNOSTIC,
            enabled_default=False,
            value=lambda: car_code(charger),
        ),
        Shape(
            platform="sensor",
            unique_id=uid("car_value"),
            name="Car state",
            translation_key="car_value",
            device=device,
            value=lambda: CAR_TEXT[car_code(charger)],
        ),
        *(
            Shape(
                platform="sensor",
                unique_id=uid(f"nrg_{4 + p}"),
                name=f"Current L{p + 1}",
                translation_key=f"nrg_{4 + p}",
                device=device,
                unit="A",
                device_class="current",
                value=lambda p=p: charger.draw()[p],
            )
            for p in range(3)
        ),
        Shape(
            platform="sensor",
            unique_id=uid("nrg_11"),
            name="Power total",
            translation_key="nrg_11",
            device=device,
            unit=UnitOfPower.WATT,
            device_class="power",
            value=lambda: round(sum(charger.draw()) * 230),
        ),
    ]
    standin.model = state
    return standin
