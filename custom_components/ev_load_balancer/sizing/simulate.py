"""Replay EV sessions on a site through the control loop (see replay.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..balancer import Site
from .baseline_series import BaselineSeries
from .controllers import BalancerController, Controller, as_strategy
from .model import ChargerSpec, ControlTiming, EvModel, Session
from .replay import Replay, RoundObserver
from .replay_result import SimulationResult
from .sim_circuits import SimCircuit


def simulate(
    site: Site,
    baseline: BaselineSeries,
    chargers: Sequence[ChargerSpec],
    sessions: Sequence[Session],
    *,
    controller: BalancerController | Controller | None = None,
    ev_model: EvModel | None = None,
    timing: ControlTiming | None = None,
    record: bool = False,
    observer: RoundObserver | None = None,
    circuits: Sequence[SimCircuit] = (),
) -> SimulationResult:
    """Replay `sessions` on `chargers` through the loop (default: our balancer).

    `record`: keep every round's inputs and limits (for comparing with
    another host of the loop; slow). `observer`: see RoundObserver.
    `circuits`: fuses below the main fuse, with their loads and meters.
    """
    if circuits:
        site = replace(site, circuits=tuple(c.circuit for c in circuits))
    if baseline.phases != site.phases:
        raise ValueError("baseline and site must have the same number of phases")
    replay = Replay(
        site,
        baseline,
        chargers,
        sessions,
        strategy=as_strategy(controller),
        ev_model=ev_model or EvModel(),
        timing=timing or ControlTiming(),
        record=record,
        circuits=circuits,
    )
    replay.observer = observer
    return replay.run()
