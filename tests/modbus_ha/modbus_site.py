"""A garage whose main meter is a real Modbus server on 127.0.0.1.

The chargers are the HA entities of `tests/integration/simulated_site.py`;
what the building draws (baseline plus every EV) is served as an Eastron
SDM630 would: per-phase current, voltage, power and import energy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import callback
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_load_balancer.const import DOMAIN
from custom_components.ev_load_balancer.meter.meter_models import SDM630
from evlb_sim.live.modbus_meter import SimulatedMeter
from tests.integration.simulated_site import SimulatedCharger, SimulatedSite

FUSE_A = 40.0
MARGIN_A = 2.0
VOLTAGE_V = (230.5, 231.0, 229.5)


@dataclass
class ModbusSite(SimulatedSite):
    """The simulated garage; its meter answers over Modbus TCP."""

    meter: SimulatedMeter = field(default_factory=SimulatedMeter)
    energy_kwh: float = 1234.567
    meter_frozen: bool = True  # no HA meter sensors: the meter is on Modbus

    @callback
    def publish(self) -> None:
        super().publish()
        current = self.site_current()
        power = [amps * volts for amps, volts in zip(current, VOLTAGE_V, strict=True)]
        self.meter.serve(
            SDM630,
            current=current,
            voltage=VOLTAGE_V,
            power=power,
            total_power=sum(power),
            energy=self.energy_kwh,
        )


def garage_chargers() -> list[SimulatedCharger]:
    """Three 3-phase chargers with an EV each (one EV single-phase)."""
    return [
        SimulatedCharger("cp1"),
        SimulatedCharger("cp2", connection="three_phase_l2l3l1", ev_phases=1),
        SimulatedCharger("cp3", connection="three_phase_l3l1l2"),
    ]


def tcp_settings(port: int, **overrides: Any) -> dict[str, Any]:
    """The `modbus` dict of a site entry, as the flow stores it."""
    return {
        "connection": "tcp",
        "host": "127.0.0.1",
        "port": port,
        "rtu_framing": False,
        "unit_id": 1,
        "model": "sdm630",
        **overrides,
    }


def modbus_entry(
    site: SimulatedSite, settings: dict[str, Any], options: dict[str, Any]
) -> MockConfigEntry:
    """A site entry metered over Modbus, one subentry per simulated charger."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Garage",
        unique_id=f"modbus:127.0.0.1:{settings['port']}:unit{settings['unit_id']}",
        data={
            "name": "Garage",
            "phases": 3,
            "fuse_current": FUSE_A,
            "nominal_voltage": 230,
            "meter_type": "modbus",
            "modbus": settings,
            "meter_entities": [],
            "voltage_entities": [],
        },
        options=options,
        subentries_data=[
            ConfigSubentryData(
                data=site.subentry_data(charger),
                subentry_id=f"sub_{charger.key}",
                subentry_type="charger",
                title=charger.key.upper(),
                unique_id=charger.number,
            )
            for charger in site.chargers
        ],
    )
