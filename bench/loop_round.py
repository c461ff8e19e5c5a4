"""Time one round of the shared control loop (loop/) for 50 chargers, no HA.

Everything a round does besides the allocation: each charger's report is
checked and its session kept (energy still needed, departures), the inputs
are built with their ages, the commands decided, the chargers watched, the
events found. The garage is congested and moves every round (the building's
load, the EVs following their limits a step late), as in `allocate`.
"""

from __future__ import annotations

import random
import time

from custom_components.ev_load_balancer.balancer import ChargerState, Rotation
from custom_components.ev_load_balancer.chargers.base import ChargerStatus
from custom_components.ev_load_balancer.loop import (
    ChargerReport,
    ControlLoop,
    LoopCharger,
    LoopConfig,
    MeterInput,
    RoundTime,
    SiteRuntime,
)
from custom_components.ev_load_balancer.meter.base import MeterReading

from .report import bench_line

COUNT = 50
ROUNDS = 400


def run(count: int = COUNT, rounds: int = ROUNDS) -> list[float]:
    rng = random.Random(count)
    rotations = list(Rotation)
    chargers = tuple(
        LoopCharger(
            charger_id=f"cp{i}",
            name=f"CP{i}",
            wiring=rotations[i % 3].wiring,
            min_a=6.0,
            max_a=16.0,
            priority=5,
        )
        for i in range(count)
    )
    config = LoopConfig(
        name="bench", phases=3, fuse_a=125.0, margin_a=3.0, voltage_v=230.0,
        chargers=chargers,
    )  # fmt: skip
    loop = ControlLoop(config, SiteRuntime(), now=0.0)
    plugged = {c.charger_id for c in chargers if rng.random() < 0.7}
    one_phase = {cid for cid in plugged if rng.random() < 0.33}
    draws = dict.fromkeys(plugged, 0.0)
    samples: list[float] = []
    for index in range(rounds):
        now = 1.0 + index
        site = [40.0 + rng.uniform(-8, 8) for _ in range(3)]
        reports: dict[str, ChargerReport] = {}
        for charger in chargers:
            cid = charger.charger_id
            draw = draws.get(cid, 0.0)
            currents = (draw, 0.0, 0.0) if cid in one_phase else (draw,) * 3
            for conductor, value in enumerate(currents):
                site[charger.wiring[conductor]] += value
            state = (
                ChargerState.NO_EV
                if cid not in plugged
                else ChargerState.CHARGING
                if draw
                else ChargerState.CONNECTED
            )
            reports[cid] = ChargerReport(
                status=ChargerStatus(
                    state=state, current_a=currents, updated_at=now - 0.5
                ),
                step_a=0.1,
            )
        meter = MeterInput(reading=MeterReading(current_a=tuple(site), received_at=now))
        started = time.perf_counter()
        result = loop.run_round(RoundTime(now=now, wall=now + 1.7e9), meter, reports)
        samples.append(time.perf_counter() - started)
        for cid, limit in result.sends:
            while loop.command_succeeded(cid, now) is not None:
                pass
            if cid in draws:
                draws[cid] = limit  # the EV follows by the next round
    return samples[rounds // 10 :]


def main() -> None:
    print(bench_line("loop_round", run(), n=COUNT), flush=True)


if __name__ == "__main__":
    main()
