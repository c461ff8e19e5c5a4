"""Turns one round's facts into the snapshot the entities show."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .balancer import Allocation, ChargerState, Strategy
from .charger_inputs import derived_state, effective_priority
from .chargers.base import ChargerStatus
from .config_model import SiteConfig
from .meter.base import MeterReading
from .runtime_state import SiteRuntime
from .snapshot import ChargerView, SiteSnapshot

if TYPE_CHECKING:
    from .coordinator import ChargerHandle


def build_snapshot(
    *,
    config: SiteConfig,
    runtime: SiteRuntime,
    strategy: Strategy,
    reading: MeterReading | None,
    allocation: Allocation | None,
    statuses: Mapping[str, ChargerStatus],
    handles: Mapping[str, ChargerHandle],
    meter_healthy: bool,
    now: float,
) -> SiteSnapshot:
    phases = config.phases
    unknown: tuple[float | None, ...] = (None,) * phases
    measured_by_balancer = allocation is not None and not allocation.failsafe
    queue = allocation.queue if allocation is not None else ()
    chargers: dict[str, ChargerView] = {}
    charging = 0
    ev_power = 0.0
    for charger_id, handle in handles.items():
        status = statuses[charger_id]
        state = derived_state(status)
        charging += state is ChargerState.CHARGING
        ev_power += status.power_w or 0.0
        charger_runtime = runtime.charger(charger_id)
        limit = allocation.limits.get(charger_id) if allocation is not None else None
        conductors = len(handle.config.wiring)
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
            priority=effective_priority(handle.config, charger_runtime),
            boosted=charger_runtime.boost,
            included=charger_runtime.included,
            unresponsive=handle.link.failing_since is not None,
            ignores_limit=handle.compliance.ignoring,
            queue_position=queue.index(charger_id) + 1 if charger_id in queue else None,
        )
    site = config.site(runtime.active_site_limit(now))
    return SiteSnapshot(
        phases=phases,
        site_current_a=reading.current_a if reading is not None else unknown,
        baseline_a=allocation.baseline_a
        if measured_by_balancer and allocation
        else unknown,
        available_a=allocation.available_a
        if measured_by_balancer and allocation
        else unknown,
        usable_a=site.usable_a,
        headroom_a=min(allocation.headroom_a)
        if measured_by_balancer and allocation
        else None,
        ev_power_w=ev_power,
        charging_count=charging,
        queued_count=len(queue),
        overload=bool(allocation and allocation.overload),
        meter_healthy=meter_healthy,
        failsafe=bool(allocation and allocation.failsafe),
        balancing_enabled=runtime.enabled,
        strategy=strategy,
        site_limit_a=runtime.site_limit_a,
        chargers=chargers,
    )
