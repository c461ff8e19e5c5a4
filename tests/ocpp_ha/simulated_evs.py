"""EVs behind real OCPP clients: they follow their charger's limit after a delay
and report what they draw; the meter shows the building plus every EV."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_load_balancer.config_model import connection_wiring
from evlb_sim.live.ocpp_charge_points import (
    RecordingChargePointV16,
    RecordingChargePointV201,
)
from tests.ocpp_cs.conftest import boot

from . import ev_messages as ev
from .site import advance, connected, drain, held_limit

VOLTAGE_V = 230.0
DEBOUNCE_S = 0.25  # just above the loop's minimum interval between rounds


@dataclass
class SimulatedEv:
    """One charger (an OCPP client) and the EV plugged into it."""

    charge_point_id: str
    connection: str
    ev_phases: int  # phases the EV draws on (from the charger's L1)
    follow_delay_s: float
    ev_max_a: float = 32.0
    charger: RecordingChargePointV16 | RecordingChargePointV201 | None = None
    plugged: bool = False
    draw_a: float = 0.0
    transaction: str | None = None
    energy_wh: float = 0.0
    _target_a: float = 0.0
    _target_since: float = 0.0

    @property
    def wiring(self) -> tuple[int, ...]:
        return connection_wiring(self.connection)

    @property
    def conductors(self) -> int:
        """Charger conductors the EV loads."""
        return min(self.ev_phases, len(self.wiring))

    @property
    def limit_a(self) -> float:
        """What the charger allows now (its top profile; none: nothing)."""
        assert self.charger is not None
        return held_limit(self.charger) or 0.0

    def follow(self, now: float, step_s: float) -> None:
        """The EV meters energy and, after its delay, settles on the limit."""
        self.energy_wh += self.draw_a * VOLTAGE_V * self.conductors * step_s / 3600
        limit = self.limit_a if self.plugged else 0.0
        if limit != self._target_a:
            self._target_a, self._target_since = limit, now
        if now - self._target_since >= self.follow_delay_s or not self.plugged:
            self.draw_a = min(self._target_a, self.ev_max_a)

    def site_load(self, phases: int, use: float) -> list[float]:
        """`use` A on each site phase the EV loads."""
        load = [0.0] * phases
        for conductor in range(self.conductors):
            load[self.wiring[conductor]] += use
        return load

    async def plug_in(self) -> None:
        assert self.charger is not None
        self.plugged = True
        await ev.status(self.charger, plugged=True)
        self.transaction = await ev.start(
            self.charger, f"TAG-{self.charge_point_id}", self.energy_wh
        )

    async def unplug(self) -> None:
        assert self.charger is not None
        assert self.transaction is not None
        self.plugged = False
        self.draw_a = 0.0
        await ev.stop(self.charger, self.transaction, self.energy_wh)
        self.transaction = None
        await ev.status(self.charger, plugged=False)

    async def report(self) -> None:
        """MeterValues: the current per charger conductor and the register."""
        assert self.charger is not None
        currents = [
            self.draw_a if conductor < self.conductors else 0.0
            for conductor in range(len(self.wiring))
        ]
        await ev.meter(self.charger, self.transaction, currents, self.energy_wh)


@dataclass
class SimulatedGarage:
    """The building (a baseline per phase) and its EVs, on one meter."""

    hass: HomeAssistant
    freezer: FrozenDateTimeFactory
    evs: list[SimulatedEv]
    baseline_a: list[float]
    now: float = 0.0

    def site_current(self) -> list[float]:
        site = list(self.baseline_a)
        for car in self.evs:
            for phase, value in enumerate(car.site_load(len(site), car.draw_a)):
                site[phase] += value
        return site

    def commanded(self) -> list[float]:
        """The building plus what every plugged EV is allowed to draw."""
        site = list(self.baseline_a)
        for car in self.evs:
            if car.plugged:
                for phase, value in enumerate(car.site_load(len(site), car.limit_a)):
                    site[phase] += value
        return site

    async def step(self, seconds: float = 1.0) -> None:
        """One meter interval: EVs follow and report, the meter reads, the loop
        runs (and, the debounce over, once more with every report in)."""
        self.freezer.tick(seconds - DEBOUNCE_S)
        self.now += seconds
        for car in self.evs:
            car.follow(self.now, seconds)
        await asyncio.gather(*(car.report() for car in self.evs))
        await advance(self.hass, self.freezer, 0, tuple(self.site_current()))
        await advance(self.hass, self.freezer, DEBOUNCE_S)


@asynccontextmanager
async def garage_online(
    hass: HomeAssistant, entry: MockConfigEntry, evs: Sequence[SimulatedEv]
) -> AsyncIterator[None]:
    """Every EV's charger connected, booted and set up."""
    async with AsyncExitStack() as stack:
        for index, car in enumerate(evs):
            factory = (
                RecordingChargePointV16 if index % 2 == 0 else RecordingChargePointV201
            )
            car.charger = await stack.enter_async_context(
                connected(entry, car.charge_point_id, factory)
            )
        answers = await asyncio.gather(
            *(boot(car.charger) for car in evs if car.charger)
        )
        assert set(answers) == {"Accepted"}
        await drain(hass)
        yield
