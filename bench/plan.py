"""Time one departure re-plan (balancer/plan.py) of n EVs on a tight site.

A third of the EVs are single-phase, spread over the phases; departures fall
between half an hour and fourteen hours from now, energy wanted is up to what
the EV could take at its rate until then, and the capacity is short on L1 so
that the value exchange and the backward pass both do their work. Each sample
is one `plan_charging` call, as the plan cache makes it on an event or once a
minute.
"""

from __future__ import annotations

import random
import time

from custom_components.ev_load_balancer.balancer.plan import PlanEv, plan_charging

from .report import bench_line

SIZES = (50,)
HOUR_S = 3600.0


def evs(rng: random.Random, count: int) -> list[PlanEv]:
    planned = []
    for index in range(count):
        kind = rng.randrange(3)
        weights = (1, 1, 1) if kind else tuple(int(p == index % 3) for p in range(3))
        departure = rng.uniform(0.5, 14.0) * HOUR_S
        max_a = rng.choice((10.0, 16.0, 32.0))
        energy = rng.uniform(0.1, 1.0) * max_a * departure / HOUR_S
        planned.append(PlanEv(f"ev{index}", weights, energy, departure, max_a))
    return planned


def run(count: int, samples: int) -> list[float]:
    rng = random.Random(count)
    times: list[float] = []
    for _ in range(samples):
        planned = evs(rng, count)
        capacity = [rng.uniform(60.0, 120.0), 150.0, 150.0]
        started = time.perf_counter()
        plan_charging(planned, capacity)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    for count in SIZES:
        print(bench_line("plan", run(count, 200), n=count), flush=True)


if __name__ == "__main__":
    main()
