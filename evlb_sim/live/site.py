"""The simulated site: a building, its chargers and EVs, and its main meter.

Every tick the chargers and EVs move to the present, and the meter's
registers get the building's load plus what the EVs draw, per phase. The
chargers talk OCPP 1.6J to `ocpp_url`; the meter is served over Modbus TCP by
a `MeterServer` (modbus_server.py) that the caller runs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
import logging

from custom_components.ev_load_balancer.config_model import connection_wiring
from custom_components.ev_load_balancer.meter.meter_models import SDM630
from custom_components.ev_load_balancer.meter.registers import RegisterMap
from custom_components.ev_load_balancer.sizing import ChargerSpec, EvModel

from .building import Building, BuildingSpec
from .charger_hardware import ChargerHardware, ConnectorStatus
from .charger_link import ChargerLink
from .clock import SimClock
from .ev_arrivals import household_sessions
from .modbus_meter import SimulatedMeter
from .site_stats import LoadStats

_LOGGER = logging.getLogger(__name__)

TICK_S = 0.2  # wall seconds between updates of the EVs and the meter
# Three-phase chargers, wired in rotation so that one-phase EVs spread out
# (the integration's names for these connections).
CONNECTIONS = ("three_phase_l1l2l3", "three_phase_l2l3l1", "three_phase_l3l1l2")


def charger_id(index: int) -> str:
    """The charge point id of charger `index` (0-based): CP001, CP002, ..."""
    return f"CP{index + 1:03d}"


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteSpec:
    """The whole simulated site."""

    chargers: int = 12
    fuse_a: float = 63.0
    speed: float = 1.0
    # A winter weekday at teatime: the evening peak is about to start.
    origin: datetime = datetime(2026, 1, 14, 16, 30)  # noqa: DTZ001 (local time)
    charger_max_a: float = 16.0
    # What a charger offers before the central system has given it any
    # profile: installed for load management, it waits (0 A) instead of
    # charging at its maximum until it is adopted and limited.
    unmanaged_a: float | None = 0.0
    voltage_v: float = 230.0
    # More plug-ins than the data's 0.6 a day: a demo should have EVs.
    sessions_per_day: float = 1.2
    # The EV follows a lower limit after this many real seconds, a higher one
    # after the other (IEC 61851 allows the EV 5 s to reduce).
    ev_decrease_s: float = 2.0
    ev_increase_s: float = 5.0
    building: BuildingSpec = field(default_factory=BuildingSpec)
    register_map: RegisterMap = SDM630
    seed: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.chargers <= 999:
            raise ValueError("between 1 and 999 chargers")
        if self.fuse_a <= 0 or self.speed <= 0:
            raise ValueError("fuse and speed-up must be positive")

    def connection(self, index: int) -> str:
        """How charger `index` is wired, as the integration names it."""
        return CONNECTIONS[index % len(CONNECTIONS)]

    def charger_specs(self) -> list[ChargerSpec]:
        return [
            ChargerSpec(
                charger_id=charger_id(index),
                wiring=connection_wiring(self.connection(index)),
                max_a=self.charger_max_a,
            )
            for index in range(self.chargers)
        ]

    def ev_model(self) -> EvModel:
        """Delays in simulated seconds, so that they last as long in real time."""
        return EvModel(
            decrease_delay_s=self.ev_decrease_s * self.speed,
            increase_delay_s=self.ev_increase_s * self.speed,
            measurement_lag_s=0.0,
        )


@dataclass(frozen=True, slots=True)
class SiteSnapshot:
    """The site now, for summaries and tests."""

    sim_time: datetime
    wall_s: float
    feed_a: tuple[float, ...]
    building_a: tuple[float, ...]
    charging: int
    waiting: int  # plugged in, wanting energy, drawing nothing
    full: int
    ev_power_w: float
    delivered_kwh: float
    online: int  # accepted by the central system


class LiveSite:
    """Runs the building, the chargers and the meter registers."""

    def __init__(
        self,
        spec: SiteSpec,
        *,
        ocpp_url: str,
        meter: SimulatedMeter,
        on_links: Callable[[], None] | None = None,
    ) -> None:
        self.spec = spec
        self.meter = meter
        self.clock = SimClock(spec.origin, spec.speed)
        self.building = Building(spec.building, spec.origin)
        self.stats = LoadStats(spec.fuse_a)
        model = spec.ev_model()
        self.chargers = [
            ChargerHardware(
                charger,
                household_sessions(
                    charger,
                    spec.origin,
                    seed=spec.seed,
                    sessions_per_day=spec.sessions_per_day,
                    voltage_v=spec.voltage_v,
                    ev_model=model,
                ),
                ev_model=model,
                voltage_v=spec.voltage_v,
                register_wh=1_000_000 + 7919 * index,
                unmanaged_a=spec.unmanaged_a,
            )
            for index, charger in enumerate(spec.charger_specs())
        ]
        self.links = [
            ChargerLink(hardware, ocpp_url, on_state=on_links)
            for hardware in self.chargers
        ]
        self.feed_a: tuple[float, ...] = (0.0, 0.0, 0.0)
        self.building_a: tuple[float, ...] = (0.0, 0.0, 0.0)
        self._energy_kwh = 2_000.0  # the main meter's import register
        self._last_wall = 0.0
        self.on_tick: Callable[[], None] | None = None  # after every tick
        self.tick()

    def tick(self) -> None:
        """Move everything to now and write the meter's registers."""
        sim_s, wall_s = self.clock.now_s(), self.clock.wall_s()
        wall_now = datetime.now(UTC)
        for charger in self.chargers:
            charger.tick(sim_s, wall_now)
        building = self.building.current_a(sim_s, wall_s)
        feed = list(building)
        for charger in self.chargers:
            for phase, current in enumerate(charger.site_currents(len(feed))):
                feed[phase] += current
        elapsed = max(0.0, wall_s - self._last_wall)
        self._last_wall = wall_s
        self.building_a, self.feed_a = building, tuple(feed)
        self.stats.record(self.feed_a, elapsed)
        self._serve_meter(elapsed * self.spec.speed)
        if self.on_tick is not None:
            self.on_tick()

    def _serve_meter(self, sim_elapsed_s: float) -> None:
        voltage = [231.0 - 0.02 * current for current in self.feed_a]
        power = [v * i for v, i in zip(voltage, self.feed_a, strict=True)]
        self._energy_kwh += sum(power) * sim_elapsed_s / 3.6e6
        self.meter.serve(
            self.spec.register_map,
            current=self.feed_a,
            voltage=voltage,
            power=power,
            total_power=sum(power),
            energy=self._energy_kwh,
        )

    async def run(self) -> None:
        """Tick and keep every charger connected, until cancelled."""
        async with asyncio.TaskGroup() as group:
            for link in self.links:
                group.create_task(link.run(), name=f"charger {link.charger_id}")
            group.create_task(self._tick_forever(), name="site ticks")

    async def _tick_forever(self) -> None:
        while True:
            self.tick()
            await asyncio.sleep(TICK_S)

    def snapshot(self) -> SiteSnapshot:
        statuses = [charger.status for charger in self.chargers]
        return SiteSnapshot(
            sim_time=self.clock.at(self.clock.now_s()),
            wall_s=self.clock.wall_s(),
            feed_a=self.feed_a,
            building_a=self.building_a,
            charging=statuses.count(ConnectorStatus.CHARGING),
            waiting=sum(
                1
                for charger in self.chargers
                if charger.wants_energy and charger.draw_a == 0
            ),
            full=statuses.count(ConnectorStatus.SUSPENDED_EV),
            ev_power_w=sum(charger.power_w for charger in self.chargers),
            delivered_kwh=sum(charger.delivered_kwh for charger in self.chargers),
            online=sum(1 for link in self.links if link.accepted),
        )
