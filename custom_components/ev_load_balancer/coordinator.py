"""Home Assistant's host of the control loop (loop/): inputs in, effects out.

Every meter change (and a periodic tick) is one round. This gathers the
meter's reading and every charger's report on the loop clock, runs the shared
loop, and applies what it decided: commands go to the chargers, the snapshot
to the entities, events to the bus, issues to the repairs, run-time settings
to storage. The decisions (safety included) all live in the loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
import logging
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .alerts import SiteAlerts
from .balancer import Strategy
from .chargers.base import ChargerBackend
from .circuit_host import CircuitMeters, meter_input
from .circuit_model import CircuitConfig
from .config_model import ChargerConfig, SiteConfig
from .const import DOMAIN, MIN_ROUND_INTERVAL_S, TICK_INTERVAL
from .dispatch import CommandSender
from .ha_clock import ReadingStamps, loop_now, round_time
from .loop import ChargerReport, ControlLoop, RoundResult, SiteRuntime
from .loop.meter_trust import meter_problem
from .meter.base import MeterSource
from .peak_site import PeakSite
from .runtime_state import RuntimeStore
from .snapshot import SiteSnapshot
from .wiring_host import WiringHost

_LOGGER = logging.getLogger(__name__)


@dataclass(slots=True)
class ChargerHandle:
    """A charger's configuration and the back end that drives it."""

    config: ChargerConfig
    backend: ChargerBackend


class BalancerCoordinator(DataUpdateCoordinator[SiteSnapshot]):
    """Runs the loop for one site."""

    def __init__(
        self,
        hass: HomeAssistant,
        *,
        entry_id: str,
        config: SiteConfig,
        meter: MeterSource,
        backends: list[ChargerBackend],
        store: RuntimeStore,
        peak: PeakSite | None = None,
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
        by_id = {c.charger_id: c for c in config.chargers}
        self.handles = {
            backend.charger_id: ChargerHandle(by_id[backend.charger_id], backend)
            for backend in backends
        }
        self.loop = ControlLoop(config.loop_config(), store.runtime, now=loop_now())
        # Peak shaving (capacity tariff; None: off): sets its cap before rounds.
        self.peak = peak
        self._stamps = ReadingStamps()
        self.alerts = SiteAlerts(hass, entry_id, config.name)
        self.alerts.circuit_gone_issue(config.chargers_on_missing_circuits())
        # Which phase each charger really loads, from the same round inputs.
        self.wiring = WiringHost(
            hass,
            entry_id,
            site_name=config.name,
            site_phases=config.phases,
            voltage_v=config.voltage_v,
            chargers=config.chargers,
        )
        # Live: chargers added or removed in place are seen by the sender.
        self._backends: dict[str, ChargerBackend] = {
            charger_id: h.backend for charger_id, h in self.handles.items()
        }
        self._listening: dict[str, Callable[[], None]] = {}
        self._sender = CommandSender(
            self.loop,
            self._backends,
            self._spawn_command,
            self.request_round,
        )
        self._unsubscribers: list[Callable[[], None]] = []
        # The circuits' own meters (circuit_host.py).
        self.circuit_meters = CircuitMeters(hass, config.voltage_v, self.request_round)
        self._debouncer = Debouncer(
            hass,
            _LOGGER,
            cooldown=MIN_ROUND_INTERVAL_S,
            immediate=True,
            function=self._async_round_now,
        )

    @property
    def runtime(self) -> SiteRuntime:
        return self.loop.runtime

    @property
    def strategy(self) -> Strategy:
        return self.loop.strategy

    async def async_start(self) -> None:
        """Start the meter, the chargers and their command workers."""
        await self.meter.async_start()
        self._unsubscribers.append(self.meter.add_listener(self.request_round))
        await self.circuit_meters.async_set(self.site_config.circuits)
        for handle in self.handles.values():
            await self._async_start_backend(handle.backend)

    async def _async_start_backend(self, backend: ChargerBackend) -> None:
        await backend.async_start()
        self._listening[backend.charger_id] = backend.add_listener(self.request_round)

    async def async_stop(self) -> None:
        """Stop everything started, and keep the queue for the next start."""
        for unsubscribe in self._unsubscribers:
            unsubscribe()
        self._unsubscribers.clear()
        for unsubscribe in self._listening.values():
            unsubscribe()
        self._listening.clear()
        self._debouncer.async_shutdown()
        await self.meter.async_stop()
        await self.circuit_meters.async_stop()
        self._sender.cancel()
        for handle in self.handles.values():
            await handle.backend.async_stop()
        self.runtime.queue = self.loop.queue_entries(loop_now())
        await self.store.async_save()
        self.alerts.clear_all()
        self.wiring.clear_all()

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
        """New options: applied at once, without losing what the loop learnt.

        The chargers stay as they are (async_set_charger changes those).
        """
        self.site_config = replace(
            config,
            chargers=tuple(handle.config for handle in self.handles.values()),
        )
        loop_config = self.site_config.loop_config()
        self.loop.configure(loop_config)
        if self.peak is not None:
            self.peak.configure(loop_config)
        self.request_round()

    async def async_set_charger(
        self, config: ChargerConfig, backend: ChargerBackend | None = None
    ) -> None:
        """Add a charger, or change one in place; the others are left alone.

        A new `backend` replaces (and stops) the old one; without one, the
        charger keeps its back end and only its configuration changes. The
        loop keeps what it learnt of every charger that stays.
        """
        charger_id = config.charger_id
        old = self.handles.get(charger_id)
        if backend is None:
            assert old is not None, f"{charger_id} needs a back end"
            backend = old.backend
        elif old is not None and old.backend is not backend:
            await self._async_stop_backend(charger_id, old.backend)
        self.handles[charger_id] = ChargerHandle(config, backend)
        self._configure_loop()
        if self._backends.get(charger_id) is not backend:
            self._backends[charger_id] = backend
            await self._async_start_backend(backend)
        self.request_round()

    async def async_set_circuits(self, circuits: tuple[CircuitConfig, ...]) -> None:
        """New or changed circuits, applied in place (the chargers stay)."""
        self.site_config = replace(self.site_config, circuits=circuits)
        await self.circuit_meters.async_set(circuits)
        self._configure_loop()
        self.request_round()

    async def async_remove_charger(self, charger_id: str) -> None:
        """Stop balancing a charger; the others are left alone."""
        handle = self.handles.pop(charger_id, None)
        if handle is None:
            return
        await self._async_stop_backend(charger_id, handle.backend)
        self.runtime.chargers.pop(charger_id, None)
        self._configure_loop()
        self.request_round()

    async def _async_stop_backend(
        self, charger_id: str, backend: ChargerBackend
    ) -> None:
        self._sender.forget(charger_id)
        unsubscribe = self._listening.pop(charger_id, None)
        if unsubscribe is not None:
            unsubscribe()
        self._backends.pop(charger_id, None)
        await backend.async_stop()

    def _configure_loop(self) -> None:
        self.site_config = replace(
            self.site_config,
            chargers=tuple(handle.config for handle in self.handles.values()),
        )
        loop_config = self.site_config.loop_config()
        self.loop.configure(loop_config)
        if self.peak is not None:
            self.peak.configure(loop_config)
        self.wiring.configure(self.site_config.chargers)
        self.alerts.circuit_gone_issue(self.site_config.chargers_on_missing_circuits())

    async def _async_round_now(self) -> None:
        self.async_set_updated_data(self._round())

    async def _async_update_data(self) -> SiteSnapshot:
        return self._round()

    def _round(self) -> SiteSnapshot:
        """Gather, run the loop, apply."""
        time = round_time()
        stamps = self._stamps
        site_meter = meter_input(self.meter, stamps, "meter")
        reading = site_meter.reading
        reports: dict[str, ChargerReport] = {}
        for charger_id, handle in self.handles.items():
            backend = handle.backend
            status = backend.status
            reports[charger_id] = ChargerReport(
                status=replace(
                    status, updated_at=stamps.stamp(charger_id, status.updated_at)
                ),
                available=backend.available,
                step_a=backend.step_a,
                controls=backend,
            )
        if self.peak is not None:
            # As the simulator does: peak shaving's cap first, from a meter
            # the loop would trust (stale or absurd: it decides nothing).
            trusted = meter_problem(site_meter, time.now, self.loop.config) is None
            self.peak.before_round(
                time, reading if trusted else None, reports, self.runtime
            )
        result = self.loop.run_round(
            time, site_meter, reports, self.circuit_meters.inputs()
        )
        snapshot = self.loop.snapshot()
        self._apply(result, time.now)
        # After the commands are out: the detector never delays them.
        self.wiring.observe(time.now, site_meter, reports)
        return snapshot

    def _apply(self, result: RoundResult, now: float) -> None:
        for charger_id, current_a in result.sends:
            self._sender.send(charger_id, current_a)
        names = {cid: handle.config.name for cid, handle in self.handles.items()}
        self.alerts.apply(self.loop.issues, names)
        circuit_names = {c.circuit_id: c.name for c in self.site_config.circuits}
        self.alerts.circuit_issues(
            self.circuit_meters.issues(
                self.loop.circuit_problems,
                now,
                self.site_config.tunables.stale_after_s,
                circuit_names,
            ),
            circuit_names,
        )
        self.alerts.fire(result.events, self._describe)
        if result.save_due:
            self.store.schedule_save()

    def _describe(self, charger_id: str) -> tuple[str, str | None]:
        """Name and device id of a charger, for event data."""
        device = dr.async_get(self.hass).async_get_device(
            identifiers={(DOMAIN, charger_id)}
        )
        return self.handles[charger_id].config.name, device.id if device else None
