"""Inputs and outputs of the balancer: plain dataclasses, no Home Assistant."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from .circuit import Circuit, CircuitLoad
from .frozen import fast_init

# IEC 61851-1: below 6 A the pilot signal cannot ask an EV to charge.
IEC_MIN_CURRENT_A = 6.0


class ChargerState(StrEnum):
    """What the charger reports about its EV."""

    NO_EV = "no_ev"
    CONNECTED = "connected"  # plugged in and wants energy, not drawing yet
    CHARGING = "charging"
    EV_FULL = "ev_full"  # the EV stopped drawing by itself
    FAULTED = "faulted"


class Strategy(StrEnum):
    """How current is shared inside one priority class."""

    FAIR = "fair"  # max-min fair water filling
    DEPARTURE = "departure"  # least laxity first, then fair


class Reason(StrEnum):
    """Why a charger got the limit it got."""

    FAIR_SHARE = "fair_share"
    CAPPED_BY_PHASE = "capped_by_phase"
    MAX_CURRENT = "max_current"
    RECLAIMED = "reclaimed"
    DEPARTURE = "departure"
    HELD = "held"
    EV_FULL = "ev_full"
    PAUSED_QUEUE = "paused_queue"
    PAUSED_PRIORITY = "paused_priority"
    PAUSED_OVERLOAD = "paused_overload"
    NO_EV = "no_ev"
    FAULTED = "faulted"
    NOT_CONTROLLED = "not_controlled"
    FAILSAFE = "failsafe"


PAUSED_REASONS = frozenset(
    {
        Reason.PAUSED_QUEUE,
        Reason.PAUSED_PRIORITY,
        Reason.PAUSED_OVERLOAD,
    }
)


class Rotation(StrEnum):
    """How a three-phase charger's L1/L2/L3 are wired to the site's phases."""

    L1L2L3 = "L1L2L3"
    L2L3L1 = "L2L3L1"
    L3L1L2 = "L3L1L2"

    @property
    def wiring(self) -> tuple[int, int, int]:
        """Site phase index of each charger conductor L1, L2, L3."""
        start = int(self.value[1]) - 1
        return (start, (start + 1) % 3, (start + 2) % 3)


def single_phase_wiring(site_phase: int) -> tuple[int]:
    """Wiring of a one-phase charger connected to the given site phase (0-based)."""
    return (site_phase,)


@dataclass(frozen=True, slots=True, kw_only=True)
class Site:
    """The main fuse and how much of it the balancer may use."""

    phases: int
    fuse_a: float
    margin_a: float = 0.0
    voltage_v: float = 230.0
    # A temporary cap below the fuse (capacity tariff, set_site_limit service).
    cap_a: float | None = None
    # Fuses below the main fuse (circuit.py); none: one flat pool.
    circuits: tuple[Circuit, ...] = ()

    def __post_init__(self) -> None:
        if self.phases not in (1, 3):
            raise ValueError(f"a site has 1 or 3 phases, not {self.phases}")
        if self.fuse_a <= 0 or self.margin_a < 0 or self.voltage_v <= 0:
            raise ValueError("fuse and voltage must be positive, margin not negative")

    @property
    def usable_a(self) -> float:
        """Current per phase that baseline plus EVs may use."""
        limit = self.fuse_a if self.cap_a is None else min(self.fuse_a, self.cap_a)
        return max(0.0, limit - self.margin_a)


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class ChargerInput:
    """One charger as the balancer sees it at one moment."""

    charger_id: str
    # Site phase (0-based) of each charger conductor, in L1, L2, L3 order.
    wiring: tuple[int, ...]
    state: ChargerState
    min_a: float = IEC_MIN_CURRENT_A
    max_a: float = 32.0
    # Measured current per charger conductor, aligned with `wiring`; empty = unknown.
    measured_a: tuple[float, ...] = ()
    # When that measurement was taken (same clock as `now`); None: just now.
    measured_at: float | None = None
    priority: int = 0
    # Departure (same clock as `now`) and energy still wanted, for Strategy.DEPARTURE.
    departure: float | None = None
    energy_wanted_kwh: float | None = None
    # Number of phases the EV draws on, when known by other means than measurement.
    ev_phases: int | None = None
    # False: the charger is not commanded (excluded, or it ignores its limit);
    # whatever it draws counts against the fuse like the rest of the building.
    controllable: bool = True
    # The charger accepts a new higher limit at most this often (Zaptec: 15 min).
    increase_interval_s: float = 0.0
    step_a: float = 0.1
    # The circuit it hangs on (Site.circuits); None: directly on the main fuse.
    circuit_id: str | None = None

    def __post_init__(self) -> None:
        if len(self.wiring) not in (1, 2, 3):
            raise ValueError(f"{self.charger_id}: wiring needs 1 to 3 conductors")
        if self.measured_a and len(self.measured_a) != len(self.wiring):
            raise ValueError(f"{self.charger_id}: one measurement per conductor")
        if not 0 < self.min_a <= self.max_a:
            raise ValueError(f"{self.charger_id}: need 0 < min_a <= max_a")
        if self.step_a <= 0:
            raise ValueError(f"{self.charger_id}: step_a must be positive")

    @property
    def wants_energy(self) -> bool:
        """Whether the EV asks for current now."""
        return self.state in (ChargerState.CONNECTED, ChargerState.CHARGING)


@dataclass(frozen=True, slots=True, kw_only=True)
class BalancerSettings:
    """Tunables. Defaults suit a residential garage."""

    strategy: Strategy = Strategy.FAIR
    # Increases wait this long after the last decrease of the same charger.
    hold_s: float = 30.0
    # A charger that has charged this long yields to EVs waiting in the queue.
    rotation_s: float = 900.0
    max_switches_per_hour: int = 10
    # A paused EV resumes only with this much above its minimum, so that a
    # capacity hovering at the minimum does not toggle it.
    resume_headroom_a: float = 1.0
    # Baseline estimates are held at their peak this long (sensor skew).
    baseline_hold_s: float = 5.0
    # An EV needs seconds to follow a new limit and its charger more to report
    # it. For this long after a change of at least settle_threshold_a nobody's
    # limit is raised (the site settles first), and an EV we cut counts as EV
    # load, not as a building overload, while it ramps down.
    follow_s: float = 15.0
    settle_threshold_a: float = 1.0
    # Seconds an EV takes to settle on a new limit: a reading taken sooner
    # after a raise is stale (see credit.py). 0 for EVs that follow at once.
    ramp_s: float = 5.0
    # A raise adds at most this much per settle period (0: no limit). Readings
    # that lag the site meter make a raise look like a building rise for a
    # moment; small steps keep that from cutting, or pausing, EVs.
    ramp_step_a: float = 4.0
    # Negative baselines beyond this are flagged as inconsistent data.
    baseline_noise_a: float = 2.0
    # Reclaim: an EV drawing this far below its limit for reclaim_delay_s keeps
    # only its draw plus reclaim_headroom_a; probed back up every probe_interval_s.
    reclaim_threshold_a: float = 3.0
    reclaim_delay_s: float = 60.0
    reclaim_headroom_a: float = 2.0
    probe_interval_s: float = 600.0
    # Value exchange on a binding phase (value_share.py): every EV keeps at
    # least this share of its fair share (1.0: plain max-min fair sharing).
    value_floor_ratio: float = 0.5
    # Departure strategy, not enough for every minimum: an EV that loads fewer
    # conductors gives its place to a waiting one that loads more (and has
    # room on its other phases) only while it keeps this much slack.
    yield_slack_s: float = 3600.0
    # Departure plan (plan.py): re-made at least this often, in slots of
    # plan_slot_s over plan_horizon_s, on this share of the capacity of the
    # moment, with every EV at this share of its maximum.
    plan_interval_s: float = 300.0
    plan_slot_s: float = 300.0
    plan_horizon_s: float = 24 * 3600.0
    plan_capacity_share: float = 0.9
    plan_rate_share: float = 0.9


@fast_init
@dataclass(frozen=True, slots=True)
class ChargerLimit:
    """The balancer's answer for one charger."""

    current_a: float
    reason: Reason
    # Site phase index per conductor the allocation assumes the EV loads.
    load_phases: tuple[int, ...]

    @property
    def paused(self) -> bool:
        """Whether the charger is held at 0 A although its EV wants energy."""
        return self.current_a == 0 and self.reason in PAUSED_REASONS


@dataclass(frozen=True, slots=True, kw_only=True)
class Allocation:
    """The outcome of one balancing round."""

    limits: Mapping[str, ChargerLimit]
    baseline_a: tuple[float, ...]
    # fuse (or cap) - margin - baseline, per site phase; negative when overloaded.
    available_a: tuple[float, ...]
    allocated_a: tuple[float, ...]
    overloaded_phases: tuple[int, ...] = ()
    inconsistent_phases: tuple[int, ...] = ()
    queue: tuple[str, ...] = ()
    failsafe: bool = False
    # The final safety check had to cut limits (a bug guard; never expected).
    safety_net_used: bool = False
    notes: Mapping[str, str] = field(default_factory=dict)
    # Each circuit's figures, by circuit id (empty for a flat site).
    circuits: Mapping[str, CircuitLoad] = field(default_factory=dict)

    @property
    def overload(self) -> bool:
        """Whether the building alone exceeds the usable current on some phase."""
        return bool(self.overloaded_phases)

    @property
    def headroom_a(self) -> tuple[float, ...]:
        """What is left per phase after the baseline and every EV limit."""
        return tuple(
            avail - alloc
            for avail, alloc in zip(self.available_a, self.allocated_a, strict=True)
        )
