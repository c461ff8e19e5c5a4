"""Time shipped scenarios through the shared loop with our balancer.

63A-50ev (a month, 50 EVs) and synthetic-200ev-31d (a month of 200 chargers,
the size the capacity audit simulates inside Home Assistant). Each figure is
the whole run of `python -m evlb_sim simulate <scenario> --strategies ours`:
loading the scenario, mapping the sessions, generating the baseline, the
replay and its metrics. The other strategies are not timed.
"""

from __future__ import annotations

import time

from evlb_sim.offline.inputs import build_inputs
from evlb_sim.offline.runner import run_strategy
from evlb_sim.offline.scenario_loader import load_scenario

SCENARIOS = ("63A-50ev", "synthetic-200ev-31d")


def run(scenario: str) -> float:
    """Seconds for one full run of our strategy."""
    started = time.perf_counter()
    inputs = build_inputs(load_scenario(scenario))
    run_strategy(inputs, "ours")
    return time.perf_counter() - started


def main() -> None:
    for scenario in SCENARIOS:
        print(
            f"BENCH simulate scenario={scenario} wall_s={run(scenario):.1f}", flush=True
        )


if __name__ == "__main__":
    main()
