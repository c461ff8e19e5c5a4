"""Time one balancing round for n chargers on a congested site.

The garage is sized so that the fuse binds: 60 % of the EVs are plugged in, a
third of them draw on one phase only, wiring is rotated, the building's load
moves every round and the EVs follow their new limits (closed loop), so that
queue, reclaim and hysteresis all do their work while being timed.
"""

from __future__ import annotations

from dataclasses import replace
import random
import time

from custom_components.ev_load_balancer.balancer import (
    Allocation,
    Balancer,
    ChargerInput,
    ChargerState,
    Rotation,
    Site,
)

from .report import bench_line

SIZES = (10, 50, 200, 1000, 5000)


def garage(
    rng: random.Random, count: int
) -> tuple[Site, list[ChargerInput], list[int]]:
    site = Site(phases=3, fuse_a=63.0 * max(1.0, count / 20), margin_a=3.0)
    chargers: list[ChargerInput] = []
    ev_phases: list[int] = []
    for index in range(count):
        wiring = (
            rng.choice(list(Rotation)).wiring
            if rng.random() < 0.8
            else (rng.randrange(3),)
        )
        plugged = rng.random() < 0.6
        chargers.append(
            ChargerInput(
                charger_id=f"cp{index}",
                wiring=wiring,
                state=ChargerState.CONNECTED if plugged else ChargerState.NO_EV,
                max_a=rng.choice((16.0, 32.0)),
                priority=1 if rng.random() < 0.05 else 0,
            )
        )
        ev_phases.append(1 if rng.random() < 0.33 else len(wiring))
    return site, chargers, ev_phases


def run(count: int, rounds: int) -> list[float]:
    rng = random.Random(count)
    site, chargers, ev_phases = garage(rng, count)
    balancer = Balancer()
    baseline = [0.4 * site.fuse_a] * 3
    now = 0.0
    samples: list[float] = []
    for round_index in range(rounds + 20):
        now += 2.0
        baseline = [max(0.0, b + rng.uniform(-2.0, 2.0)) for b in baseline]
        measured = list(baseline)
        for charger, phases in zip(chargers, ev_phases, strict=True):
            for conductor in range(min(phases, len(charger.wiring))):
                if charger.measured_a:
                    measured[charger.wiring[conductor]] += charger.measured_a[conductor]
        started = time.perf_counter()
        allocation = balancer.allocate(now, site, measured, chargers)
        elapsed = time.perf_counter() - started
        if round_index >= 20:  # warm-up rounds fill the queue and caches
            samples.append(elapsed)
        chargers = followed(chargers, allocation, ev_phases)
    return samples


def followed(
    chargers: list[ChargerInput], allocation: Allocation, ev_phases: list[int]
) -> list[ChargerInput]:
    """The chargers of the next round: every EV draws its new limit."""
    return [
        replace(
            charger,
            state=ChargerState.CHARGING
            if allocation.limits[charger.charger_id].current_a
            and charger.state is not ChargerState.NO_EV
            else charger.state,
            measured_a=tuple(
                allocation.limits[charger.charger_id].current_a if i < phases else 0.0
                for i in range(len(charger.wiring))
            ),
        )
        for charger, phases in zip(chargers, ev_phases, strict=True)
    ]


def main() -> None:
    for count in SIZES:
        rounds = 300 if count <= 1000 else 60
        print(bench_line("allocate", run(count, rounds), n=count), flush=True)
