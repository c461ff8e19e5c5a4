"""Turns one round's facts into the snapshot that entities and dashboards show."""

from __future__ import annotations

from collections.abc import Mapping

from ..balancer import (
    Allocation,
    ChargerLimit,
    ChargerState,
    CircuitReading,
    Reason,
    Strategy,
)
from ..meter.base import MeterReading
from ..snapshot import ChargerView, CircuitView, SiteSnapshot
from .charger_input import effective_priority
from .config import LoopConfig
from .runtime import SiteRuntime
from .track import ChargerTrack


def build_snapshot(
    *,
    config: LoopConfig,
    runtime: SiteRuntime,
    strategy: Strategy,
    reading: MeterReading | None,
    allocation: Allocation | None,
    tracks: Mapping[str, ChargerTrack],
    meter_healthy: bool,
    wall_now: float,
    circuit_readings: Mapping[str, CircuitReading] | None = None,
    circuit_problems: Mapping[str, str] | None = None,
    margin_a: float | None = None,
) -> SiteSnapshot:
    phases = config.phases
    unknown: tuple[float | None, ...] = (None,) * phases
    measured = (
        allocation if allocation is not None and not allocation.failsafe else None
    )
    queue = allocation.queue if allocation is not None else ()
    chargers: dict[str, ChargerView] = {}
    charging = 0
    ev_power = 0.0
    for charger_id, track in tracks.items():
        status = track.status
        state = track.state
        charging += state is ChargerState.CHARGING
        ev_power += status.power_w or 0.0
        charger_runtime = runtime.charger(charger_id)
        limit = allocation.limits.get(charger_id) if allocation is not None else None
        if limit is None and allocation is not None and track.idle:
            limit = ChargerLimit(0.0, Reason.NO_EV, ())
        conductors = len(track.config.wiring)
        currents = status.current_a if status.phases_known else None
        power_w = status.power_w
        if power_w is None and state is ChargerState.NO_EV:
            power_w = 0.0  # nothing plugged in: the contactor is open
        chargers[charger_id] = ChargerView(
            charger_id=charger_id,
            limit_a=limit.current_a if limit is not None else None,
            reason=limit.reason if limit is not None else None,
            state=state,
            unknown_status=status.unknown_word,
            current_a=tuple(currents) if currents else (None,) * conductors,
            power_w=power_w,
            priority=effective_priority(track.config, charger_runtime),
            boosted=charger_runtime.boost,
            included=charger_runtime.included,
            unresponsive=track.link.failing_since is not None,
            ignores_limit=track.compliance.ignoring,
            queue_position=queue.index(charger_id) + 1 if charger_id in queue else None,
            energy_still_needed_kwh=charger_runtime.energy_wanted_kwh,
            departure=charger_runtime.departure,
        )
    site = config.site(runtime.active_site_limit(wall_now), margin_a)
    return SiteSnapshot(
        phases=phases,
        site_current_a=reading.current_a if reading is not None else unknown,
        baseline_a=measured.baseline_a if measured else unknown,
        available_a=measured.available_a if measured else unknown,
        usable_a=site.usable_a,
        margin_a=site.margin_a,
        headroom_a=min(measured.headroom_a) if measured else None,
        ev_power_w=ev_power,
        charging_count=charging,
        queued_count=len(queue),
        overload=bool(allocation and allocation.overload),
        meter_healthy=meter_healthy,
        failsafe=bool(allocation and allocation.failsafe),
        balancing_enabled=runtime.enabled,
        strategy=strategy,
        site_limit_a=runtime.user_site_limit(wall_now),
        peak_cap_a=runtime.peak_cap(wall_now),
        chargers=chargers,
        circuits=_circuit_views(
            config, allocation, circuit_readings or {}, circuit_problems or {}
        ),
    )


def _circuit_views(
    config: LoopConfig,
    allocation: Allocation | None,
    readings: Mapping[str, CircuitReading],
    problems: Mapping[str, str],
) -> dict[str, CircuitView]:
    """Each circuit as the round saw it, parents first."""
    site_of: dict[str | None, tuple[int, ...]] = {None: tuple(range(config.phases))}
    views: dict[str, CircuitView] = {}
    loads = allocation.circuits if allocation is not None else {}
    for circuit in config.circuits:
        parent = site_of.get(circuit.parent_id)
        if parent is None:
            continue
        phases = tuple(parent[p] for p in circuit.parent_phases)
        site_of[circuit.circuit_id] = phases
        unknown: tuple[float | None, ...] = (None,) * len(phases)
        load = loads.get(circuit.circuit_id)
        reading = readings.get(circuit.circuit_id)
        views[circuit.circuit_id] = CircuitView(
            circuit_id=circuit.circuit_id,
            parent_id=circuit.parent_id,
            phases=phases,
            rating_a=circuit.rating_a,
            usable_a=circuit.usable_a,
            metered=circuit.metered,
            current_a=tuple(reading.current_a) if reading is not None else unknown,
            baseline_a=load.baseline_a if load is not None else unknown,
            available_a=load.available_a if load is not None else unknown,
            allocated_a=load.allocated_a if load is not None else unknown,
            overload=bool(load is not None and load.overloaded_phases),
            failsafe=bool(load is not None and load.failsafe),
            meter_problem=problems.get(circuit.circuit_id),
            chargers=tuple(
                c.charger_id
                for c in config.chargers
                if c.circuit_id == circuit.circuit_id
            ),
        )
    return views
