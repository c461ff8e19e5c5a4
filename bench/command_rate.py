"""How many charging profiles the shared loop sends per charger and hour.

The 63A-50ev month through the simulator (evlb_sim): the loop decides every
command, the simulator counts what it sends. Per hour with an EV plugged in
(what a charger's firmware sees while it matters), and per installed
charger-hour. Renewals of the dynamic limit (ocpp_cs/refresh.py) come on top,
for every connected charger; their rate at the default validity is printed
beside it.
"""

from __future__ import annotations

from statistics import fmean

from custom_components.ev_load_balancer.ocpp_const import DEFAULT_PROFILE_VALIDITY_S
from custom_components.ev_load_balancer.ocpp_cs.refresh import refresh_delay
from evlb_sim.offline.inputs import build_inputs
from evlb_sim.offline.runner import run_strategy
from evlb_sim.offline.scenario_loader import load_scenario

SCENARIO = "63A-50ev"


def run(scenario: str = SCENARIO) -> dict[str, float]:
    inputs = build_inputs(load_scenario(scenario))
    commands = run_strategy(inputs, "ours").commands
    plugged_h = sum(s.departure_s - s.arrival_s for s in inputs.sessions) / 3600.0
    installed_h = len(inputs.chargers) * inputs.scenario.days * 24.0
    delays = [
        refresh_delay(charger.charger_id, DEFAULT_PROFILE_VALIDITY_S)
        for charger in inputs.chargers
    ]
    return {
        "value": commands / plugged_h,
        "per_installed_hour": commands / installed_h,
        "commands": float(commands),
        "plugged_hours": plugged_h,
        "renewals_per_hour": 3600.0 / fmean(delays),
    }


def main() -> None:
    figures = run()
    print(
        f"BENCH profiles_per_charger_hour scenario={SCENARIO} "
        f"value={figures['value']:.1f} "
        f"per_installed_hour={figures['per_installed_hour']:.2f} "
        f"commands={figures['commands']:.0f} "
        f"plugged_hours={figures['plugged_hours']:.0f} "
        f"renewals_per_hour={figures['renewals_per_hour']:.0f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
