"""What the entities show after each round: plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass, field

from .balancer import ChargerState, Reason, Strategy


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargerView:
    """One charger after a round."""

    charger_id: str
    limit_a: float | None  # what was decided for it; None while balancing is off
    reason: Reason | None
    state: ChargerState | None
    # The charger's status word is unknown: its state is the "may be
    # charging" fallback (chargers/status_map.py).
    unknown_status: str | None
    current_a: tuple[float | None, ...]  # per charger conductor
    power_w: float | None
    priority: int
    boosted: bool
    included: bool
    unresponsive: bool
    ignores_limit: bool
    queue_position: int | None
    # What the EV still needs and when it leaves (set_departure), if told.
    energy_still_needed_kwh: float | None = None
    departure: float | None = None  # wall clock (POSIX seconds)


@dataclass(frozen=True, slots=True, kw_only=True)
class CircuitView:
    """One circuit after a round; figures per circuit phase."""

    circuit_id: str
    parent_id: str | None
    # The site phase (0-based) of each of its phases.
    phases: tuple[int, ...]
    rating_a: float
    usable_a: float  # rating - margin
    metered: bool
    # What its meter measured, when the round could trust it.
    current_a: tuple[float | None, ...]
    baseline_a: tuple[float | None, ...]  # its non-EV load, measured or assumed
    available_a: tuple[float | None, ...]  # for EVs: usable - baseline
    allocated_a: tuple[float | None, ...]  # the EV limits on it (and under it)
    overload: bool
    failsafe: bool  # its meter could not be trusted: failsafe limits
    meter_problem: str | None
    chargers: tuple[str, ...]  # the chargers directly on it


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteSnapshot:
    """The site after a round."""

    phases: int
    site_current_a: tuple[float | None, ...]
    baseline_a: tuple[float | None, ...]
    available_a: tuple[float | None, ...]  # for EVs: usable - baseline
    usable_a: float  # fuse (or temporary cap) - margin
    headroom_a: float | None
    ev_power_w: float
    charging_count: int
    queued_count: int
    overload: bool
    meter_healthy: bool
    failsafe: bool
    balancing_enabled: bool
    strategy: Strategy
    # The user's temporary limit (set_site_limit), as set.
    site_limit_a: float | None
    chargers: dict[str, ChargerView] = field(default_factory=dict)
    # Peak shaving's cap this round (None: none); usable_a has the merged one.
    peak_cap_a: float | None = None
    # The fuses below the main fuse, parents first (empty for a flat site).
    circuits: dict[str, CircuitView] = field(default_factory=dict)
    # The margin kept below the fuse (it may follow the building's rises).
    margin_a: float = 0.0
