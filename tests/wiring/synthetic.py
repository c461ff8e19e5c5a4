"""A small synthetic site for the detector's tests: chargers whose EVs step,
a building with noise and loads that step at random, a meter and charger
samples as a host would hand them over (each a lag late, on its own period)."""

from __future__ import annotations

from dataclasses import dataclass, field
import random

from custom_components.ev_load_balancer.wiring import ChargerSample, WiringDetector


@dataclass
class Ev:
    """One session: the conductors the EV draws on and its steps (time, A)."""

    conductors: int
    steps: list[tuple[float, float]]
    end_s: float


@dataclass
class SimCharger:
    charger_id: str
    actual: tuple[int, ...]
    per_phase: bool = True
    sessions: list[Ev] = field(default_factory=list)

    def draw_at(self, t: float) -> tuple[tuple[float, ...], bool]:
        """Per conductor draw and whether an EV is plugged at t."""
        for ev in self.sessions:
            if ev.steps[0][0] <= t < ev.end_s:
                current = 0.0
                for at, value in ev.steps:
                    if at <= t:
                        current = value
                return (
                    tuple(
                        current if k < ev.conductors else 0.0
                        for k in range(len(self.actual))
                    ),
                    True,
                )
        return (0.0,) * len(self.actual), False


def session(
    rng: random.Random, start: float, conductors: int, *, changes: int = 4
) -> Ev:
    """Plug in at start, draw from a few seconds later, change limits, stop."""
    t = start + 20.0
    steps = [(start, 0.0), (t, rng.choice([6.0, 10.0, 16.0]))]
    for _ in range(changes):
        t += rng.uniform(120.0, 900.0)
        steps.append((t, rng.choice([0.0, 6.0, 8.0, 11.0, 16.0])))
    t += rng.uniform(300.0, 1800.0)
    steps.append((t, 0.0))
    return Ev(conductors, steps, t + 60.0)


@dataclass
class Building:
    """Noise per reading plus random step loads (kettles, a heat pump)."""

    rng: random.Random
    noise_a: float = 0.5
    spikes_per_hour: float = 20.0
    loads: list[tuple[float, float, int, float]] = field(default_factory=list)

    def plan(self, until_s: float) -> None:
        t = 0.0
        while t < until_s:
            t += self.rng.expovariate(self.spikes_per_hour / 3600.0)
            length = self.rng.uniform(60.0, 600.0)
            phases = self.rng.choice([0, 1, 2, 3])  # 3: all phases
            self.loads.append(
                (t, t + length, phases, self.rng.choice([2.0, 9.0, 13.0]))
            )

    def at(self, t: float) -> list[float]:
        value = [20.0 + self.rng.gauss(0.0, self.noise_a) for _ in range(3)]
        for start, end, phase, amps in self.loads:
            if start <= t < end:
                for p in range(3) if phase == 3 else (phase,):
                    value[p] += amps
        return value


def run(
    detector: WiringDetector,
    chargers: list[SimCharger],
    building: Building,
    until_s: float,
    *,
    meter_s: float = 10.0,
    sample_s: float = 5.0,
    meter_lag_s: float = 1.0,
) -> None:
    """Feed the detector a meter reading every meter_s and samples every sample_s."""
    t = 0.0
    step = 1.0
    while t <= until_s:
        if round(t) % round(meter_s) == 0:
            seen = t - meter_lag_s
            site = building.at(seen)
            for charger in chargers:
                draw, _ = charger.draw_at(seen)
                for conductor, value in enumerate(draw):
                    site[charger.actual[conductor]] += value
            detector.add_meter(t, tuple(site))
        for index, charger in enumerate(chargers):
            if round(t + index) % round(sample_s) == 0:
                draw, plugged = charger.draw_at(t)
                total = sum(draw)
                detector.add_charger(
                    charger.charger_id,
                    ChargerSample(
                        taken_at=t,
                        currents_a=draw if charger.per_phase else (0.0,) * len(draw),
                        total_a=total,
                        per_phase=charger.per_phase,
                        plugged=plugged,
                    ),
                )
        detector.process(t)
        t += step
