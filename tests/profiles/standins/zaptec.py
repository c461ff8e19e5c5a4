"""Stand-in for custom-components/zaptec: an installation and its chargers.

Unique ids `<Zaptec id>_<key>`; charger devices hang under the installation
device (`via_device`); the charger mode's native words in lower case; the
installation-wide `limit_current` (device_id list, `available_current` or
all three `available_current_phase1..3`, whole amperes up to the
installation's max current) spread over its chargers as Zaptec would;
`stop_charging` / `resume_charging` per charger.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from homeassistant.const import UnitOfPower
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.util import dt as dt_util
import voluptuous as vol

from ..physics import Building, StandInCharger, spread_group_limit
from ..standin import Service, Shape, StandIn, device_refs

DOMAIN = "zaptec"
MODES = [
    "unknown",
    "disconnected",
    "connected_requesting",
    "connected_charging",
    "connected_finished",
]


@dataclass
class Installation:
    id: str = "inst-0001"
    name: str = "Home installation"
    max_current: float = 32.0
    limit: tuple[float, float, float] = (32.0, 32.0, 32.0)
    # Every limit_current call, for the tests: (when, per-phase limit).
    calls: list[tuple[float, tuple[float, ...]]] = field(default_factory=list)


def charger_id(charger: StandInCharger) -> str:
    return f"zap-{charger.key}"


def mode(charger: StandInCharger) -> str:
    if charger.ev is None:
        return "disconnected"
    if charger.ev.full:
        return "connected_finished"
    if max(charger.draw()) > 0:
        return "connected_charging"
    return "connected_requesting"


def zaptec(
    hass: HomeAssistant,
    building: Building,
    chargers: list[StandInCharger],
    installation: Installation | None = None,
) -> StandIn:
    inst = installation or Installation()
    standin = StandIn(DOMAIN, building)
    standin.before_push = lambda: spread_group_limit(inst.limit, chargers)
    inst_device = DeviceInfo(
        identifiers={(DOMAIN, inst.id)}, name=inst.name, manufacturer="Zaptec"
    )
    standin.shapes += [
        Shape(
            platform="sensor",
            unique_id=f"{inst.id}_max_current",
            name="Max current",
            translation_key="max_current",
            device=inst_device,
            unit="A",
            device_class="current",
            value=lambda: inst.max_current,
        ),
        *(
            Shape(
                platform="sensor",
                unique_id=f"{inst.id}_available_current_phase{p + 1}",
                name=f"Available current phase {p + 1}",
                translation_key=f"available_current_phase{p + 1}",
                device=inst_device,
                unit="A",
                device_class="current",
                value=lambda p=p: inst.limit[p],
            )
            for p in range(3)
        ),
    ]
    by_id = {charger_id(c): c for c in chargers}
    for charger in chargers:
        cid = charger_id(charger)
        device = DeviceInfo(
            identifiers={(DOMAIN, cid)},
            name=f"Zaptec {charger.key}",
            manufacturer="Zaptec",
            via_device=(DOMAIN, inst.id),
        )
        standin.shapes += [
            Shape(
                platform="sensor",
                unique_id=f"{cid}_charger_operation_mode",
                name="Charger mode",
                translation_key="charger_operation_mode",
                device=device,
                device_class="enum",
                options=MODES,
                value=lambda charger=charger: mode(charger),
            ),
            *(
                Shape(
                    platform="sensor",
                    unique_id=f"{cid}_current_phase{p + 1}",
                    name=f"Current phase {p + 1}",
                    translation_key=f"current_phase{p + 1}",
                    device=device,
                    unit="A",
                    device_class="current",
                    value=lambda charger=charger, p=p: (
                        charger.draw()[p] if p < len(charger.draw()) else 0.0
                    ),
                )
                for p in range(3)
            ),
            Shape(
                platform="sensor",
                unique_id=f"{cid}_total_charge_power",
                name="Charge power",
                translation_key="total_charge_power",
                device=device,
                unit=UnitOfPower.WATT,
                device_class="power",
                value=lambda charger=charger: round(sum(charger.draw()) * 230),
            ),
        ]

    def limit_current(call: ServiceCall) -> None:
        refs = device_refs(hass, call.data["device_id"], DOMAIN)
        if inst.id not in refs:
            raise HomeAssistantError("Not an installation")
        if "available_current" in call.data:
            values = (call.data["available_current"],) * 3
        else:
            values = tuple(call.data[f"available_current_phase{p}"] for p in (1, 2, 3))
        for value in values:
            if not 0 <= value <= inst.max_current:
                top = f"{inst.max_current:.0f}"
                raise HomeAssistantError(f"Limit current failed: 0 to {top} A")
        inst.limit = tuple(float(v) for v in values)  # type: ignore[assignment]
        inst.calls.append((dt_util.utcnow().timestamp(), inst.limit))
        building.publish()

    def pause(paused: bool) -> Callable[[ServiceCall], None]:
        def handler(call: ServiceCall) -> None:
            for ref in device_refs(hass, call.data["device_id"], DOMAIN):
                charger = by_id[ref]
                if charger.ev is None:
                    raise HomeAssistantError("Command failed: no car")
                charger.paused = paused
            building.publish()

        return handler

    charger_schema = vol.Schema(
        {vol.Required("device_id"): vol.All(cv.ensure_list, [str])}
    )
    standin.services = [
        Service(
            "limit_current",
            limit_current,
            vol.Schema(
                vol.Any(
                    {
                        vol.Required("device_id"): vol.All(cv.ensure_list, [str]),
                        vol.Required("available_current"): int,
                    },
                    {
                        vol.Required("device_id"): vol.All(cv.ensure_list, [str]),
                        vol.Required("available_current_phase1"): int,
                        vol.Required("available_current_phase2"): int,
                        vol.Required("available_current_phase3"): int,
                    },
                )
            ),
        ),
        Service("stop_charging", pause(True), charger_schema),
        Service("resume_charging", pause(False), charger_schema),
    ]
    standin.model = inst
    return standin
