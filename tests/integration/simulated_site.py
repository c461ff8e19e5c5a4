"""A building made of real HA entities, for end-to-end tests.

The meter is three `sensor` states (A); each charger is an `input_number` for
its limit, three current sensors and a status sensor. EVs follow their limit
at once (draw = min(limit, what the EV takes)), and the meter shows baseline
plus every EV's draw: a closed loop inside the HA test harness.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT, UnitOfElectricCurrent
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.setup import async_setup_component

from custom_components.ev_load_balancer.config_model import connection_wiring

AMPS = {ATTR_UNIT_OF_MEASUREMENT: UnitOfElectricCurrent.AMPERE}
METER = ("sensor.main_l1", "sensor.main_l2", "sensor.main_l3")


@dataclass
class SimulatedCharger:
    """One charger and the EV plugged into it."""

    key: str
    connection: str = "three_phase_l1l2l3"
    ev_max_a: float = 16.0
    ev_phases: int = 3
    plugged: bool = True
    limit_a: float = 0.0
    # False: wired in the garage but not yet added to the integration.
    installed: bool = True
    # A faulty charger that lets its EV take what it wants.
    ignores_limit: bool = False
    # How it is really wired, when not as configured (a miswired charger).
    installed_connection: str | None = None

    @property
    def number(self) -> str:
        return f"input_number.{self.key}_limit"

    @property
    def status(self) -> str:
        return f"sensor.{self.key}_status"

    def sensor(self, conductor: int) -> str:
        return f"sensor.{self.key}_current_l{conductor + 1}"

    @property
    def wiring(self) -> tuple[int, ...]:
        return connection_wiring(self.connection)

    @property
    def installed_wiring(self) -> tuple[int, ...]:
        return connection_wiring(self.installed_connection or self.connection)

    def draw(self) -> tuple[float, ...]:
        """Current per charger conductor."""
        allowed = (
            self.ev_max_a if self.ignores_limit else min(self.limit_a, self.ev_max_a)
        )
        current = allowed if self.plugged else 0.0
        return tuple(
            current if i < self.ev_phases else 0.0 for i in range(len(self.wiring))
        )

    def status_word(self) -> str:
        if not self.plugged:
            return "disconnected"
        return "charging" if max(self.draw()) > 0 else "awaiting_start"


@dataclass
class SimulatedSite:
    """The building: a baseline per phase and its chargers."""

    hass: HomeAssistant
    chargers: list[SimulatedCharger]
    baseline_a: list[float] = field(default_factory=lambda: [10.0, 10.0, 10.0])
    meter_frozen: bool = False
    # Chargers whose sensors stop reporting (a charger that lags or hangs).
    silent: set[str] = field(default_factory=set)

    async def async_setup(self) -> None:
        await async_setup_component(
            self.hass,
            "input_number",
            {
                "input_number": {
                    f"{c.key}_limit": {"min": 0, "max": 32, "step": 1, "initial": 0}
                    for c in self.chargers
                }
            },
        )
        async_track_state_change_event(
            self.hass, [c.number for c in self.chargers], self._on_limit
        )
        self.publish()

    @callback
    def _on_limit(self, event: Event[EventStateChangedData]) -> None:
        new_state = event.data["new_state"]
        for charger in self.chargers:
            if new_state is not None and charger.number == event.data["entity_id"]:
                charger.limit_a = float(new_state.state)
        self.publish()

    def charger(self, key: str) -> SimulatedCharger:
        return next(c for c in self.chargers if c.key == key)

    def site_current(self) -> list[float]:
        site = list(self.baseline_a)
        for charger in self.chargers:
            for conductor, value in enumerate(charger.draw()):
                site[charger.installed_wiring[conductor]] += value
        return site

    @callback
    def publish(self) -> None:
        """Write every sensor: charger currents and statuses, then the meter."""
        states = self.hass.states
        for charger in self.chargers:
            if charger.key in self.silent:
                continue
            for conductor, value in enumerate(charger.draw()):
                states.async_set(charger.sensor(conductor), str(value), AMPS)
            states.async_set(charger.status, charger.status_word())
        if not self.meter_frozen:
            for entity_id, value in zip(METER, self.site_current(), strict=True):
                states.async_set(entity_id, f"{value:.2f}", AMPS, force_update=True)

    def subentry_data(self, charger: SimulatedCharger) -> dict[str, Any]:
        return {
            "connection": charger.connection,
            "min_current": 6,
            "max_current": 16,
            "priority": 5,
            "control": "number",
            "current_entity": charger.number,
            "current_sensors": [charger.sensor(i) for i in range(len(charger.wiring))],
            "power_sensor": None,
            "status_entity": charger.status,
            "switch_entity": None,
            "min_change_interval": 0,
        }
