"""A meter made of Home Assistant sensors: one per phase, current or power."""

from __future__ import annotations

from collections.abc import Callable
import math

from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.event import async_track_state_change_event

from ..units import Quantity, StateProblem, read_quantity
from .base import MeterProblem, MeterReading, MeterSource
from .validation import PLAUSIBLE_VOLTAGE_V

_PROBLEMS = {
    StateProblem.MISSING: MeterProblem.UNAVAILABLE,
    StateProblem.UNAVAILABLE: MeterProblem.UNAVAILABLE,
    StateProblem.NOT_NUMERIC: MeterProblem.NOT_NUMERIC,
    StateProblem.UNSUPPORTED_UNIT: MeterProblem.UNSUPPORTED_UNIT,
}


class HaSensorMeter(MeterSource):
    """Per-phase current (A, mA) or power (W, kW) sensors of the main feed.

    Power is turned into current with the phase's voltage sensor when there is
    one, else the nominal voltage. A reading is as old as its stalest phase.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        phase_entities: tuple[str, ...],
        voltage_entities: tuple[str, ...],
        nominal_voltage_v: float,
    ) -> None:
        super().__init__()
        self._hass = hass
        self._phase_entities = phase_entities
        self._voltage_entities = voltage_entities
        self._nominal_voltage_v = nominal_voltage_v
        self._unsubscribe: Callable[[], None] | None = None

    async def async_start(self) -> None:
        self._unsubscribe = async_track_state_change_event(
            self._hass,
            [*self._phase_entities, *self._voltage_entities],
            self._on_state_change,
        )
        self.refresh()

    async def async_stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    @callback
    def _on_state_change(self, event: Event[EventStateChangedData]) -> None:
        self.refresh()

    def poll(self) -> None:
        # Sensors that report an unchanged value only move `last_reported`.
        self.refresh(notify=False)

    def refresh(self, *, notify: bool = True) -> None:
        """Read every phase again; publish a reading or the first problem."""
        currents: list[float] = []
        powers: list[float] = []
        voltages: list[float] = []
        oldest = math.inf
        for phase, entity_id in enumerate(self._phase_entities):
            state = self._hass.states.get(entity_id)
            value = read_quantity(state, (Quantity.CURRENT, Quantity.POWER))
            if isinstance(value, StateProblem):
                self._fail(
                    _PROBLEMS[value], f"{entity_id}: {value.value}", notify=notify
                )
                return
            assert state is not None  # read_quantity answered MISSING otherwise
            oldest = min(oldest, state.last_reported.timestamp())
            quantity, number = value
            voltage = self._voltage(phase, notify)
            if voltage is None:
                return
            voltages.append(voltage)
            if quantity is Quantity.POWER:
                powers.append(number)
                currents.append(number / voltage)
            else:
                currents.append(number)
        self._publish(
            MeterReading(
                current_a=tuple(currents),
                received_at=oldest,
                voltage_v=tuple(voltages) if self._voltage_entities else None,
                power_w=tuple(powers) if powers else None,
            ),
            notify=notify,
        )

    def _voltage(self, phase: int, notify: bool) -> float | None:
        if not self._voltage_entities:
            return self._nominal_voltage_v
        entity_id = self._voltage_entities[phase]
        value = read_quantity(self._hass.states.get(entity_id), (Quantity.VOLTAGE,))
        if isinstance(value, StateProblem):
            self._fail(_PROBLEMS[value], f"{entity_id}: {value.value}", notify=notify)
            return None
        low, high = PLAUSIBLE_VOLTAGE_V
        if not low <= value[1] <= high:
            self._fail(MeterProblem.ABSURD, f"{entity_id}: {value[1]} V", notify=notify)
            return None
        return value[1]
