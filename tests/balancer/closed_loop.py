"""A tiny closed loop for multi-round tests: EVs follow their limits, the meter
sees baseline plus what the EVs draw."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from custom_components.ev_load_balancer.balancer import (
    Allocation,
    Balancer,
    ChargerInput,
    ChargerState,
    Site,
)


@dataclass
class SimulatedEv:
    """An EV on a charger: draws min(limit, its own maximum) on its phases."""

    charger: ChargerInput
    ev_max_a: float = 80.0
    conductors: int = 3
    draw_a: float = 0.0

    def follow(self, limit_a: float) -> None:
        self.draw_a = min(limit_a, self.ev_max_a)

    def reading(self) -> ChargerInput:
        drawing = min(self.conductors, len(self.charger.wiring))
        measured = tuple(
            self.draw_a if i < drawing else 0.0 for i in range(len(self.charger.wiring))
        )
        state = ChargerState.CHARGING if self.draw_a else ChargerState.CONNECTED
        if self.charger.state in (ChargerState.NO_EV, ChargerState.EV_FULL):
            state = self.charger.state
        return replace(self.charger, measured_a=measured, state=state)


@dataclass
class ClosedLoop:
    """Runs the balancer against simulated EVs and a simulated meter."""

    site: Site
    balancer: Balancer
    evs: list[SimulatedEv]
    baseline_a: list[float]
    now: float = 0.0
    history: list[tuple[float, Allocation]] = field(default_factory=list)

    def meter(self) -> tuple[float, ...]:
        measured = list(self.baseline_a)
        for ev in self.evs:
            reading = ev.reading()
            for conductor, value in enumerate(reading.measured_a):
                measured[reading.wiring[conductor]] += value
        return tuple(measured)

    def step(self, seconds: float) -> Allocation:
        """Advance time, balance once, let every EV follow its new limit."""
        self.now += seconds
        allocation = self.balancer.allocate(
            self.now, self.site, self.meter(), [ev.reading() for ev in self.evs]
        )
        for ev in self.evs:
            ev.follow(allocation.limits[ev.charger.charger_id].current_a)
        self.history.append((self.now, allocation))
        return allocation
