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
    # Seconds an EV takes to settle on a new limit (0: at once).
    lag_s: float = 0.0
    # Seconds the charger's reported current lags behind the real one.
    report_lag_s: float = 0.0
    # The EV stopped by itself (battery full): it draws nothing.
    full: bool = False
    _pending: list[tuple[float, float]] = field(default_factory=list)
    _history: list[tuple[float, float]] = field(default_factory=list)

    def follow(self, limit_a: float, now: float = 0.0) -> None:
        """Every command takes effect `lag_s` after it came, as a real EV
        follows each new limit (sizing/ev.py): a limit that changes every
        round is still followed, `lag_s` late."""
        target = 0.0 if self.full else min(limit_a, self.ev_max_a)
        if self.lag_s <= 0:
            self.draw_a = target
            return
        last = self._pending[-1][1] if self._pending else self.draw_a
        if target != last:
            self._pending.append((now + self.lag_s, target))

    def catch_up(self, now: float) -> None:
        while self._pending and now >= self._pending[0][0]:
            self.draw_a = self._pending.pop(0)[1]

    def record(self, now: float) -> None:
        """Remember the real draw, for a charger that reports it late."""
        self._history.append((now, self.draw_a))

    def reported_draw(self, now: float) -> tuple[float, float]:
        """The draw the charger reports now, and when it was measured."""
        if self.report_lag_s <= 0 or not self._history:
            return self.draw_a, now
        seen = [(draw, t) for t, draw in self._history if t <= now - self.report_lag_s]
        return seen[-1] if seen else (self._history[0][1], self._history[0][0])

    def reading(self, now: float = 0.0) -> ChargerInput:
        drawing = min(self.conductors, len(self.charger.wiring))
        reported, measured_at = self.reported_draw(now)
        measured = tuple(
            reported if i < drawing else 0.0 for i in range(len(self.charger.wiring))
        )
        state = ChargerState.CHARGING if reported else ChargerState.CONNECTED
        if self.full:
            state = ChargerState.EV_FULL
        if self.charger.state in (ChargerState.NO_EV, ChargerState.EV_FULL):
            state = self.charger.state
        return replace(
            self.charger, measured_a=measured, measured_at=measured_at, state=state
        )

    def real_draw(self) -> tuple[float, ...]:
        drawing = min(self.conductors, len(self.charger.wiring))
        return tuple(
            self.draw_a if i < drawing else 0.0 for i in range(len(self.charger.wiring))
        )


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
        """The site meter sees the real draws at once."""
        measured = list(self.baseline_a)
        for ev in self.evs:
            for conductor, value in enumerate(ev.real_draw()):
                measured[ev.charger.wiring[conductor]] += value
        return tuple(measured)

    def step(self, seconds: float) -> Allocation:
        """Advance time, balance once, let every EV follow its new limit."""
        self.now += seconds
        for ev in self.evs:
            ev.catch_up(self.now)
            ev.record(self.now)
        allocation = self.balancer.allocate(
            self.now, self.site, self.meter(), [ev.reading(self.now) for ev in self.evs]
        )
        for ev in self.evs:
            ev.follow(allocation.limits[ev.charger.charger_id].current_a, self.now)
        self.history.append((self.now, allocation))
        return allocation
