"""Which circuit meters a round may trust: the same checks as the site meter's.

A circuit's reading that is missing, stale or absurd is left out; the balancer
then gives that circuit's chargers failsafe limits while the rest of the site
keeps balancing (balancer/tree_round.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..balancer import Circuit, CircuitReading
from .inputs import MeterInput
from .meter_trust import reading_problem


def circuit_problem(
    circuit: Circuit, meter: MeterInput | None, now: float
) -> str | None:
    """Why a metered circuit's reading cannot be trusted this round, or None."""
    if meter is None:
        return "no meter"
    return reading_problem(
        meter,
        now,
        stale_after_s=circuit.stale_after_s,
        phases=circuit.phases,
        rating_a=circuit.rating_a,
    )


def trusted_readings(
    circuits: tuple[Circuit, ...],
    meters: Mapping[str, MeterInput],
    now: float,
) -> tuple[dict[str, CircuitReading], dict[str, str]]:
    """The readings to balance on, and why each other metered circuit has none."""
    readings: dict[str, CircuitReading] = {}
    problems: dict[str, str] = {}
    for circuit in circuits:
        if not circuit.metered:
            continue
        meter = meters.get(circuit.circuit_id)
        problem = circuit_problem(circuit, meter, now)
        if problem is not None:
            problems[circuit.circuit_id] = problem
            continue
        assert meter is not None
        assert meter.reading is not None
        readings[circuit.circuit_id] = CircuitReading(
            meter.reading.current_a, meter.reading.received_at
        )
    return readings, problems
