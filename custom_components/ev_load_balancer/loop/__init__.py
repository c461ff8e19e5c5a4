"""The control loop, shared by Home Assistant, the simulator and the audit.

No Home Assistant import here: a host (coordinator.py in HA, sizing/replay.py
in the simulator) gathers the inputs, runs `ControlLoop.run_round` and applies
what it decided.
"""

from .clock import RoundTime
from .config import LoopCharger, LoopConfig
from .control_loop import ControlLoop, RoundResult
from .events import ChargerIssues, EventKind, LoopEvent, SiteIssues
from .inputs import ChargerReport, MeterInput
from .runtime import ChargerRuntime, SiteRuntime

__all__ = [
    "ChargerIssues",
    "ChargerReport",
    "ChargerRuntime",
    "ControlLoop",
    "EventKind",
    "LoopCharger",
    "LoopConfig",
    "LoopEvent",
    "MeterInput",
    "RoundResult",
    "RoundTime",
    "SiteIssues",
    "SiteRuntime",
]
