"""A scenario: one site, its chargers, where sessions and baseline come from, and
how to compare strategies on it. Loaded from a YAML or JSON file (see
scenarios/README.md); built into simulation inputs by `inputs.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from custom_components.ev_load_balancer.balancer import BalancerSettings, Site
from custom_components.ev_load_balancer.sizing import (
    ChargerSpec,
    ControlTiming,
    EvModel,
    EvType,
    Session,
    SimCircuit,
)

from .apartment_baseline import ApartmentBaselineSpec
from .baseline_events import EventSpec

# Run when a scenario names none.
DEFAULT_STRATEGIES = (
    "no_control",
    "static",
    "fcfs",
    "ours",
    "departure",
    "optimum",
)
# ours_fixed_phases: ours with every charger kept on three phases (no 1p/3p
# switching), to show what switching gains.
STRATEGIES = (*DEFAULT_STRATEGIES, "ours_fixed_phases")


@dataclass(frozen=True, slots=True, kw_only=True)
class ScenarioCircuit:
    """A circuit and the chargers (1-based positions, both included) on it."""

    sim: SimCircuit
    chargers: tuple[int, int] | None = None


class ScenarioError(ValueError):
    """A scenario file that cannot be used, with where and why."""


@dataclass(frozen=True, slots=True, kw_only=True)
class GarageSpec:
    """Identical chargers wired the way an electrician spreads them."""

    count: int
    max_a: float = 32.0
    min_a: float = 6.0
    phases: int = 3
    step_a: float = 0.1
    increase_interval_s: float = 0.0
    reports_phases: bool = True
    # Every charger wired the same way (no rotation); None: rotated.
    wiring: tuple[int, ...] | None = None
    # This many chargers, picked with the seed, are wired otherwise than
    # configured (another rotation; a 1-phase one on another phase).
    miswired: int = 0
    miswired_seed: int = 0
    phase_switching: bool = False
    phase_dwell_s: float = 300.0


@dataclass(frozen=True, slots=True, kw_only=True)
class NorwaySource:
    """Sessions from the Norway data set (or a CSV in its format)."""

    csv: Path | None = None
    garages: tuple[str, ...] = ()
    seed: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class SyntheticSource:
    """Synthetic residential sessions."""

    per_day: float = 0.6
    seed: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkplaceSource:
    """Synthetic commuters: arrive in the morning, stay a working day."""

    per_day: float = 0.9
    arrival_h: tuple[float, float] = (7.0, 10.0)
    stay_h: tuple[float, float] = (8.0, 9.0)
    weekends: bool = False
    seed: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ListedSession:
    """One session written out in the scenario file (times are local)."""

    charger_id: str
    arrival: datetime
    departure: datetime
    energy_kwh: float
    ev_phases: int
    ev_max_a: float


@dataclass(frozen=True, slots=True, kw_only=True)
class ListSource:
    """Sessions listed in the file."""

    sessions: tuple[ListedSession, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CsvBaseline:
    """A measured baseline: time, then one current column per phase."""

    path: Path


@dataclass(frozen=True, slots=True, kw_only=True)
class ConstantBaseline:
    """The same current per phase all the time."""

    amps: tuple[float, ...]


SessionSource = NorwaySource | SyntheticSource | WorkplaceSource | ListSource
BaselineSource = ApartmentBaselineSpec | CsvBaseline | ConstantBaseline


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    """Everything one simulation run needs to know."""

    name: str
    description: str
    path: Path | None
    start: datetime
    days: float
    site: Site
    chargers: GarageSpec | tuple[ChargerSpec, ...]
    fleet: tuple[EvType, ...]
    sessions: SessionSource
    baseline: BaselineSource
    ev_model: EvModel
    timing: ControlTiming
    balancer: BalancerSettings
    strategies: tuple[str, ...]
    # Per-phase current an installer reserves for EVs with static shares;
    # None: fuse - margin - the highest baseline of each phase.
    static_budget_a: tuple[float, ...] | None
    slot_minutes: float
    evening: datetime | None = None
    # Short loads on top of the baseline, exact to the second.
    baseline_events: tuple[EventSpec, ...] = ()
    # Fuses below the main fuse (circuit_loader.py).
    circuits: tuple[ScenarioCircuit, ...] = ()

    def listed_sessions(self) -> tuple[Session, ...]:
        """Listed sessions on the simulation clock (seconds since `start`)."""
        if not isinstance(self.sessions, ListSource):
            return ()
        return tuple(
            Session(
                charger_id=listed.charger_id,
                arrival_s=(listed.arrival - self.start).total_seconds(),
                departure_s=(listed.departure - self.start).total_seconds(),
                energy_kwh=listed.energy_kwh,
                ev_phases=listed.ev_phases,
                ev_max_a=listed.ev_max_a,
                session_id=f"{listed.charger_id}@{listed.arrival:%Y-%m-%dT%H:%M}",
            )
            for listed in self.sessions.sessions
        )
