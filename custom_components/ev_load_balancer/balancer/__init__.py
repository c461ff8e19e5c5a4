"""The balancer core: pure Python, no Home Assistant.

The control loop, the simulator and the benchmarks all call this package.
"""

from .circuit import Circuit, CircuitLoad, CircuitReading
from .engine import Balancer, QueueEntry
from .model import (
    IEC_MIN_CURRENT_A,
    Allocation,
    BalancerSettings,
    ChargerInput,
    ChargerLimit,
    ChargerState,
    Reason,
    Rotation,
    Site,
    Strategy,
    single_phase_wiring,
)

__all__ = [
    "IEC_MIN_CURRENT_A",
    "Allocation",
    "Balancer",
    "BalancerSettings",
    "ChargerInput",
    "ChargerLimit",
    "ChargerState",
    "Circuit",
    "CircuitLoad",
    "CircuitReading",
    "QueueEntry",
    "Reason",
    "Rotation",
    "Site",
    "Strategy",
    "single_phase_wiring",
]
