"""Capacity sizing: replay EV sessions through the balancer and measure what fits.

Pure Python (standard library plus the balancer), so that a Home Assistant
service can run the same simulation on the recorder's history of a site:

- `audit_capacity(site, baseline, charger_size)`: how many chargers of a size
  fit with less than 1 % of the energy wanted left undelivered.
- `simulate(site, baseline, chargers, sessions)`: one replay through a
  controller (our balancer unless told otherwise); `evaluate(result)` turns it
  into metrics.
"""

from .audit import AuditPoint, AuditResult, ChargerSize, audit_capacity, garage
from .baseline_series import BaselineEvent, BaselineSeries
from .controllers import BalancerController, Controller, UnlimitedController
from .fleet import RESIDENTIAL_FLEET, EvType, pick_ev_type
from .fuse_curve import GgFuseCurve, worst_damage
from .metrics import (
    Metrics,
    SessionStats,
    SiteStats,
    evaluate,
    jain_index,
    session_stats,
    site_stats,
)
from .model import (
    ChargerSpec,
    ControlTiming,
    EvModel,
    Session,
    deliverable_kwh,
    ev_load_phases,
)
from .replay_result import RoundRecord, SimulationResult
from .sim_charger import SessionOutcome
from .sim_circuits import CircuitStats, SimCircuit, circuit_stats
from .simulate import simulate
from .synthetic import residential_sessions
from .trace import PhaseTrace

__all__ = [
    "RESIDENTIAL_FLEET",
    "AuditPoint",
    "AuditResult",
    "BalancerController",
    "BaselineEvent",
    "BaselineSeries",
    "ChargerSize",
    "ChargerSpec",
    "CircuitStats",
    "ControlTiming",
    "Controller",
    "EvModel",
    "EvType",
    "GgFuseCurve",
    "Metrics",
    "PhaseTrace",
    "RoundRecord",
    "Session",
    "SessionOutcome",
    "SessionStats",
    "SimCircuit",
    "SimulationResult",
    "SiteStats",
    "UnlimitedController",
    "audit_capacity",
    "circuit_stats",
    "deliverable_kwh",
    "ev_load_phases",
    "evaluate",
    "garage",
    "jain_index",
    "pick_ev_type",
    "residential_sessions",
    "session_stats",
    "simulate",
    "site_stats",
    "worst_damage",
]
