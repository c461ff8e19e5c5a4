"""The control loop: every meter change (and a periodic tick) is one round.

A round reads the meter and the chargers, asks the balancer (or the failsafe)
for limits, hands each limit to the charger's command worker, and publishes a
snapshot for the entities. Decisions about safety live here: stale or absurd
meter data leads to the failsafe, a charger that fails commands or ignores its
limit is no longer trusted (its draw counts against the fuse).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
import logging
import time
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .alerts import SiteAlerts
from .balancer import Allocation, Balancer, ChargerInput, ChargerState, Strategy
from .charger_inputs import build_input, derived_state
from .chargers.base import ChargerBackend, ChargerStatus
from .chargers.phase_control import prepared_input
from .compliance import ComplianceWatch
from .config_model import ChargerConfig, SiteConfig
from .const import DOMAIN, MIN_ROUND_INTERVAL_S, TICK_INTERVAL, UNRESPONSIVE_AFTER_S
from .dispatch import ChargerLink
from .meter.base import MeterSource
from .meter.validation import check_reading, is_stale
from .runtime_state import RuntimeStore, SiteRuntime
from .snapshot import SiteSnapshot
from .snapshot_builder import build_snapshot

_LOGGER = logging.getLogger(__name__)
QUEUE_SAVE_INTERVAL_S = 60.0


@dataclass(slots=True)
class ChargerHandle:
    """Everything the loop keeps for one charger."""

    config: ChargerConfig
    backend: ChargerBackend
    link: ChargerLink
    compliance: ComplianceWatch = field(default_factory=ComplianceWatch)


class BalancerCoordinator(DataUpdateCoordinator[SiteSnapshot]):
    """Owns the loop for one site."""

    def __init__(
        self,
        hass: HomeAssistant,
        *,
        entry_id: str,
        config: SiteConfig,
        meter: MeterSource,
        backends: list[ChargerBackend],
        store: RuntimeStore,
    ) -> None:
        entry = hass.config_entries.async_get_known_entry(entry_id)
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {config.name}",
            update_interval=TICK_INTERVAL,
        )
        self.site_config = config
        self.meter = meter
        self.store = store
        self.runtime: SiteRuntime = store.runtime
        by_id = {c.charger_id: c for c in config.chargers}
        self.handles = {
            backend.charger_id: ChargerHandle(
                by_id[backend.charger_id],
                backend,
                ChargerLink(backend, self.request_round, self._spawn_command),
            )
            for backend in backends
        }
        self.balancer = Balancer(config.tunables.balancer_settings())
        # The balancer runs on the monotonic clock: wall time can step back.
        self.balancer.restore_queue(self.runtime.queue, time.monotonic())
        self.alerts = SiteAlerts(hass, entry_id, config.name)
        self.last_allocation: Allocation | None = None
        self._failsafe_since: float | None = None
        self._queue_saved_at = 0.0
        self._unsubscribers: list[Callable[[], None]] = []
        self._debouncer = Debouncer(
            hass,
            _LOGGER,
            cooldown=MIN_ROUND_INTERVAL_S,
            immediate=True,
            function=self._async_round_now,
        )

    async def async_start(self) -> None:
        """Start the meter, the chargers and their command workers."""
        await self.meter.async_start()
        self._unsubscribers.append(self.meter.add_listener(self.request_round))
        for handle in self.handles.values():
            await handle.backend.async_start()
            self._unsubscribers.append(handle.backend.add_listener(self.request_round))

    async def async_stop(self) -> None:
        """Stop everything started, and keep the queue for the next start."""
        for unsubscribe in self._unsubscribers:
            unsubscribe()
        self._unsubscribers.clear()
        self._debouncer.async_shutdown()
        await self.meter.async_stop()
        for handle in self.handles.values():
            handle.link.cancel()
            await handle.backend.async_stop()
        self.runtime.queue = self.balancer.queue_entries(time.monotonic())
        await self.store.async_save()
        self.alerts.clear_all()

    def _spawn_command(self, command: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        assert self.config_entry is not None
        return self.config_entry.async_create_task(
            self.hass, command, f"{DOMAIN} charger command"
        )

    @callback
    def request_round(self) -> None:
        """Recompute soon (now, unless a round just ran)."""
        self._debouncer.async_schedule_call()

    @callback
    def apply_tunables(self, config: SiteConfig) -> None:
        """New options: applied at once, without losing what the loop learnt."""
        self.site_config = config
        self.balancer.configure(config.tunables.balancer_settings())
        self.request_round()

    @property
    def strategy(self) -> Strategy:
        return self.balancer.settings.strategy

    async def _async_round_now(self) -> None:
        self.async_set_updated_data(self._round())

    async def _async_update_data(self) -> SiteSnapshot:
        return self._round()

    def _round(self) -> SiteSnapshot:
        now = dt_util.utcnow().timestamp()
        clock = time.monotonic()
        config = self.site_config
        runtime = self.runtime
        self.meter.poll()
        meter_problem = self._meter_problem(now)
        statuses = {cid: handle.backend.status for cid, handle in self.handles.items()}
        inputs: list[ChargerInput] = []
        for charger_id, handle in self.handles.items():
            charger_runtime = runtime.charger(charger_id)
            status = statuses[charger_id]
            if derived_state(status) is ChargerState.NO_EV:
                charger_runtime.end_session()
            if (
                charger_runtime.boost_until is not None
                and now >= charger_runtime.boost_until
            ):
                charger_runtime.boost = False
                charger_runtime.boost_until = None
            charger_input = build_input(
                handle.config,
                status,
                charger_runtime,
                controllable=self._trusted(handle, charger_runtime.included),
                step_a=handle.backend.step_a,
                wall_to_clock_s=clock - now,
            )
            # Phase switching and group shares (chargers/phase_control.py).
            inputs.append(
                prepared_input(
                    charger_input, handle.backend, self.last_allocation, clock
                )
            )

        allocation: Allocation | None = None
        if runtime.enabled:
            site = config.site(runtime.active_site_limit(now))
            reading = self.meter.reading
            if meter_problem is None and reading is not None:
                allocation = self.balancer.allocate(
                    now, site, reading.current_a, inputs
                )
            else:
                tunables = config.tunables
                allocation = self.balancer.failsafe(
                    clock,
                    site,
                    inputs,
                    static_share=tunables.failsafe_static_share,
                    building_reserve_a=tunables.failsafe_reserve_a,
                )
            self._dispatch(allocation, now)
        self.last_allocation = allocation
        self._watch(statuses, now)
        self._track_failsafe(meter_problem, now)
        self._save_queue(now, clock)

        snapshot = build_snapshot(
            config=config,
            runtime=runtime,
            strategy=self.strategy,
            reading=self.meter.reading if meter_problem is None else None,
            allocation=allocation,
            statuses=statuses,
            handles=self.handles,
            meter_healthy=meter_problem is None,
            now=now,
        )
        self.alerts.compare(self.data, snapshot, self._describe)
        return snapshot

    def _meter_problem(self, now: float) -> str | None:
        """Why the meter cannot be trusted this round, or None."""
        meter = self.meter
        if meter.problem is not None:
            detail = meter.problem_detail
            return f"{meter.problem.value}: {detail}" if detail else meter.problem.value
        reading = meter.reading
        if is_stale(reading, now, self.site_config.tunables.stale_after_s):
            return "stale"
        assert reading is not None
        wrong = check_reading(reading, self.site_config.phases, self.site_config.fuse_a)
        if wrong is not None:
            problem, detail = wrong
            return f"{problem.value}: {detail}"
        return None

    def _trusted(self, handle: ChargerHandle, included: bool) -> bool:
        return (
            included
            and handle.backend.available
            and handle.link.failing_since is None
            and not handle.compliance.ignoring
        )

    def _dispatch(self, allocation: Allocation, now: float) -> None:
        for charger_id, handle in self.handles.items():
            if not self.runtime.charger(charger_id).included:
                continue  # excluded by the user: left alone
            if handle.compliance.ignoring:
                continue  # commands do not help; its draw is already counted
            limit = allocation.limits[charger_id]
            # An untrusted charger is asked to pause until it answers again.
            handle.link.request(limit.current_a, now)

    def _watch(self, statuses: dict[str, ChargerStatus], now: float) -> None:
        for charger_id, handle in self.handles.items():
            status = statuses[charger_id]
            draw = max(status.current_a) if status.current_a else None
            link = handle.link
            ignoring = handle.compliance.update(
                draw, link.applied_a, link.applied_at, now
            )
            failing_long = (
                link.failing_since is not None
                and now - link.failing_since >= UNRESPONSIVE_AFTER_S
            )
            self.alerts.charger_issues(
                charger_id,
                handle.config.name,
                unresponsive=link.first_error if failing_long else None,
                ignores=ignoring,
            )

    def _track_failsafe(self, problem: str | None, now: float) -> None:
        if problem is None:
            if self._failsafe_since is not None:
                _LOGGER.info("Meter of %s is healthy again", self.site_config.name)
            self._failsafe_since = None
            self.alerts.meter_issue(False, "")
            return
        if self._failsafe_since is None:
            _LOGGER.warning(
                "Meter of %s cannot be trusted (%s): failsafe limits",
                self.site_config.name,
                problem,
            )
            self._failsafe_since = now
        # A glitch of a few seconds is not worth a repair issue.
        grace = max(self.site_config.tunables.stale_after_s, 30.0)
        if now - self._failsafe_since >= grace:
            self.alerts.meter_issue(True, problem)

    def _save_queue(self, now: float, clock: float) -> None:
        if now - self._queue_saved_at >= QUEUE_SAVE_INTERVAL_S:
            self._queue_saved_at = now
            self.runtime.queue = self.balancer.queue_entries(clock)
            self.store.schedule_save()

    def _describe(self, charger_id: str) -> tuple[str, str | None]:
        """Name and device id of a charger, for event data."""
        device = dr.async_get(self.hass).async_get_device(
            identifiers={(DOMAIN, charger_id)}
        )
        return self.handles[charger_id].config.name, device.id if device else None
