"""A charger driven through the entities of the integration the user already has.

The limit goes to a `number`/`input_number` entity or to a service with a
current field (easee.set_charger_dynamic_limit, zaptec.limit_current, ...).
Chargers that do not accept 0 A are paused with their on/off switch.
"""

from __future__ import annotations

from collections.abc import Callable
import math
from typing import Any

from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_track_state_change_event

from ..config_model import ChargerConfig
from ..const import CONTROL_NUMBER
from ..units import Quantity, StateProblem, read_quantity
from .base import ChargerBackend, ChargerCommandError, ChargerStatus
from .status_map import state_from_status

ATTR_STEP = "step"
ATTR_MIN = "min"
ATTR_MAX = "max"
NUMBER_SERVICE_VALUE = "value"
DEFAULT_SERVICE_STEP_A = 1.0


class EntityChargerBackend(ChargerBackend):
    """Applies limits through HA entities or services; reads HA sensors."""

    def __init__(
        self, hass: HomeAssistant, config: ChargerConfig, voltage_v: float
    ) -> None:
        super().__init__(config.charger_id)
        self._hass = hass
        self._config = config
        self._voltage_v = voltage_v
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def watched_entities(self) -> list[str]:
        """Entities whose changes may change the charger's status.

        Not the current entity or the switch: their changes are mostly the echo
        of our own commands, and a round for each would only add load.
        """
        config = self._config
        candidates = [
            *config.current_sensors,
            config.power_sensor,
            config.status_entity,
        ]
        return [entity_id for entity_id in candidates if entity_id]

    async def async_start(self) -> None:
        self._unsubscribe = async_track_state_change_event(
            self._hass, self.watched_entities, self._on_state_change
        )

    async def async_stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    @callback
    def _on_state_change(self, event: Event[EventStateChangedData]) -> None:
        self._notify()

    @property
    def available(self) -> bool:
        config = self._config
        if config.control == CONTROL_NUMBER:
            state = self._hass.states.get(config.current_entity or "")
            return state is not None and state.state not in (
                STATE_UNAVAILABLE,
                STATE_UNKNOWN,
            )
        domain, _, service = (config.service or "").partition(".")
        return self._hass.services.has_service(domain, service)

    @property
    def step_a(self) -> float:
        if self._config.control != CONTROL_NUMBER:
            return DEFAULT_SERVICE_STEP_A
        attributes = self._number_attributes()
        step = attributes.get(ATTR_STEP)
        return float(step) if isinstance(step, int | float) and step > 0 else 1.0

    @property
    def status(self) -> ChargerStatus:
        config = self._config
        conductors = len(config.wiring)
        power = self._number(config.power_sensor, Quantity.POWER)
        measured = self._currents()
        phases_known = measured is not None and len(measured) == conductors
        if measured is None and power is not None:
            measured = (max(0.0, power) / (self._voltage_v * conductors),)
        if power is None and measured is not None and phases_known:
            power = sum(measured) * self._voltage_v
        currents = None
        if measured is not None:
            # With fewer readings than conductors, credit only what certainly
            # flows on L1 (a 3-phase EV draws at least this on each, a 1-phase
            # EV all of it on L1); unknown conductors count as building load.
            currents = (measured + (0.0,) * conductors)[:conductors]
        state = None
        if config.status_entity:
            status = self._hass.states.get(config.status_entity)
            if status is not None and status.state not in (
                STATE_UNAVAILABLE,
                STATE_UNKNOWN,
            ):
                state = state_from_status(status.state)
        return ChargerStatus(
            state=state,
            current_a=currents,
            power_w=power,
            updated_at=self._reading_time(),
            phases_known=phases_known or conductors == 1,
        )

    def _reading_time(self) -> float | None:
        """When the oldest of the readings in use was last reported (wall clock)."""
        config = self._config
        sources = config.current_sensors or (
            (config.power_sensor,) if config.power_sensor else ()
        )
        stamps = [
            state.last_reported.timestamp()
            for entity_id in sources
            if (state := self._hass.states.get(entity_id)) is not None
        ]
        return min(stamps) if stamps else None

    async def async_apply_limit(self, current_a: float) -> None:
        config = self._config
        if current_a <= 0 and config.switch_entity:
            await self._call_switch(SERVICE_TURN_OFF)
            return
        if config.control == CONTROL_NUMBER:
            await self._set_number(current_a)
        else:
            await self._call_limit_service(current_a)
        if current_a > 0 and config.switch_entity:
            switch = self._hass.states.get(config.switch_entity)
            if switch is None or switch.state == STATE_OFF:
                await self._call_switch(SERVICE_TURN_ON)

    async def _set_number(self, current_a: float) -> None:
        entity_id = self._config.current_entity or ""
        attributes = self._number_attributes()
        low = _as_float(attributes.get(ATTR_MIN), 0.0)
        high = _as_float(attributes.get(ATTR_MAX), math.inf)
        step = self.step_a
        # Never round up: the balancer's limit is a ceiling.
        value = math.floor(min(current_a, high) / step + 1e-9) * step
        if value < low:
            raise ChargerCommandError(
                "below_entity_minimum",
                f"{entity_id} accepts {low:g} A at least; add an on/off switch "
                "to pause this charger",
            )
        domain = entity_id.partition(".")[0]
        await self._call(
            domain,
            "set_value",
            {ATTR_ENTITY_ID: entity_id, NUMBER_SERVICE_VALUE: value},
        )

    async def _call_limit_service(self, current_a: float) -> None:
        config = self._config
        domain, _, service = (config.service or "").partition(".")
        value = math.floor(current_a / DEFAULT_SERVICE_STEP_A + 1e-9)
        data = {**config.service_data, config.service_field: value}
        await self._call(domain, service, data)

    async def _call_switch(self, service: str) -> None:
        entity_id = self._config.switch_entity or ""
        await self._call(
            entity_id.partition(".")[0], service, {ATTR_ENTITY_ID: entity_id}
        )

    async def _call(self, domain: str, service: str, data: dict[str, Any]) -> None:
        try:
            await self._hass.services.async_call(domain, service, data, blocking=True)
        except HomeAssistantError as err:
            # ServiceNotFound and ServiceValidationError are HomeAssistantErrors.
            raise ChargerCommandError(
                "service_call_failed", f"{domain}.{service}: {err}"
            ) from err

    def _number_attributes(self) -> dict[str, Any]:
        state = self._hass.states.get(self._config.current_entity or "")
        return dict(state.attributes) if state is not None else {}

    def _currents(self) -> tuple[float, ...] | None:
        values = [
            self._number(entity_id, Quantity.CURRENT)
            for entity_id in self._config.current_sensors
        ]
        if not values or any(value is None for value in values):
            return None
        return tuple(abs(value) for value in values if value is not None)

    def _number(self, entity_id: str | None, quantity: Quantity) -> float | None:
        if not entity_id:
            return None
        value = read_quantity(self._hass.states.get(entity_id), (quantity,))
        if isinstance(value, StateProblem):
            return None
        return value[1]


def _as_float(value: object, default: float) -> float:
    return float(value) if isinstance(value, int | float) else default
