"""Time the shipped 63A-50ev scenario (a month, 50 EVs) through our balancer.

The figure is the whole run of `python -m evlb_sim simulate 63A-50ev
--strategies ours`: loading the scenario, mapping the sessions, generating the
baseline, the replay and its metrics. The other strategies are not timed.
"""

from __future__ import annotations

import time

from evlb_sim.offline.inputs import build_inputs
from evlb_sim.offline.runner import run_strategy
from evlb_sim.offline.scenario_loader import load_scenario

SCENARIO = "63A-50ev"


def run() -> float:
    """Seconds for one full run of our strategy."""
    started = time.perf_counter()
    inputs = build_inputs(load_scenario(SCENARIO))
    run_strategy(inputs, "ours")
    return time.perf_counter() - started


def main() -> None:
    print(f"BENCH simulate scenario={SCENARIO} wall_s={run():.1f}", flush=True)


if __name__ == "__main__":
    main()
