"""The circuits' own meters in Home Assistant: read each round, watched for issues.

Each metered circuit has a meter source of its own (HA sensors, as the
site's); a change of any of them asks for a round, as the site meter's does.
The loop judges each reading (loop/circuit_meters.py); a circuit whose meter
stays untrusted past a grace gets a repair issue, and its chargers run on
failsafe limits meanwhile while the rest of the site keeps balancing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
import logging

from homeassistant.core import HomeAssistant

from .circuit_model import CircuitConfig
from .ha_clock import ReadingStamps
from .loop import MeterInput
from .loop.meter_trust import METER_ISSUE_GRACE_S
from .meter.base import MeterSource
from .meter.ha_sensors import HaSensorMeter

_LOGGER = logging.getLogger(__name__)


def build_circuit_meter(
    hass: HomeAssistant, circuit: CircuitConfig, voltage_v: float
) -> MeterSource:
    """A circuit's meter, not yet started."""
    return HaSensorMeter(hass, circuit.meter_entities, (), voltage_v)


def meter_input(meter: MeterSource, stamps: ReadingStamps, key: str) -> MeterInput:
    """A source's latest reading on the loop clock, or why it has none."""
    meter.poll()
    problem = meter.problem
    detail = meter.problem_detail
    reading = meter.reading
    if reading is not None:
        received = stamps.stamp(key, reading.received_at)
        assert received is not None
        reading = replace(reading, received_at=received)
    return MeterInput(
        reading=reading,
        problem=None
        if problem is None
        else (f"{problem.value}: {detail}" if detail else problem.value),
    )


class CircuitMeters:
    """The meters of the metered circuits, started and stopped with them."""

    def __init__(
        self,
        hass: HomeAssistant,
        voltage_v: float,
        on_change: Callable[[], None],
    ) -> None:
        self._hass = hass
        self._voltage_v = voltage_v
        self._on_change = on_change
        self.meters: dict[str, MeterSource] = {}
        self._entities: dict[str, tuple[str, ...]] = {}
        self._unsubscribers: dict[str, Callable[[], None]] = {}
        self._stamps = ReadingStamps()
        # Since when each circuit's meter has not been trusted.
        self._untrusted_since: dict[str, float] = {}

    async def async_set(self, circuits: tuple[CircuitConfig, ...]) -> None:
        """Meters for these circuits; one whose sensors are unchanged stays."""
        wanted = {c.circuit_id: c for c in circuits if c.metered}
        for circuit_id in list(self.meters):
            circuit = wanted.get(circuit_id)
            if circuit is None or circuit.meter_entities != self._entities[circuit_id]:
                await self._async_drop(circuit_id)
        for circuit_id, circuit in wanted.items():
            if circuit_id in self.meters:
                continue
            meter = build_circuit_meter(self._hass, circuit, self._voltage_v)
            await meter.async_start()
            self.meters[circuit_id] = meter
            self._entities[circuit_id] = circuit.meter_entities
            self._unsubscribers[circuit_id] = meter.add_listener(self._on_change)

    async def async_stop(self) -> None:
        for circuit_id in list(self.meters):
            await self._async_drop(circuit_id)

    async def _async_drop(self, circuit_id: str) -> None:
        self._unsubscribers.pop(circuit_id)()
        self._entities.pop(circuit_id)
        self._stamps.forget(f"circuit {circuit_id}")
        self._untrusted_since.pop(circuit_id, None)
        await self.meters.pop(circuit_id).async_stop()

    def inputs(self) -> dict[str, MeterInput]:
        """Every circuit meter's latest reading, for this round."""
        return {
            circuit_id: meter_input(meter, self._stamps, f"circuit {circuit_id}")
            for circuit_id, meter in self.meters.items()
        }

    def issues(
        self,
        problems: Mapping[str, str],
        now: float,
        stale_after_s: float,
        names: Mapping[str, str],
    ) -> dict[str, str]:
        """The circuits whose meter problem is worth a repair issue now."""
        grace = max(stale_after_s, METER_ISSUE_GRACE_S)
        raised: dict[str, str] = {}
        for circuit_id in list(self._untrusted_since):
            if circuit_id not in problems:
                _LOGGER.info(
                    "Meter of circuit %s is trusted again",
                    names.get(circuit_id, circuit_id),
                )
                del self._untrusted_since[circuit_id]
        for circuit_id, problem in problems.items():
            since = self._untrusted_since.get(circuit_id)
            if since is None:
                _LOGGER.warning(
                    "Meter of circuit %s cannot be trusted (%s): its chargers "
                    "get failsafe limits",
                    names.get(circuit_id, circuit_id),
                    problem,
                )
                self._untrusted_since[circuit_id] = since = now
            if now - since >= grace:
                raised[circuit_id] = problem
        return raised
