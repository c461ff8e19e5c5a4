"""What a capacity simulation replays: chargers, EV sessions, EV physics, timing.

Times are seconds on the simulation clock: 0 is the first sample of the
baseline series (see `BaselineSeries.start` for the wall-clock time of 0).
"""

from __future__ import annotations

from dataclasses import dataclass
import math

from ..balancer import IEC_MIN_CURRENT_A

HOUR_S = 3600.0


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargerSpec:
    """One charger as installed: its wiring to the site's phases and its bounds."""

    charger_id: str
    # Site phase (0-based) of each charger conductor L1, L2, L3.
    wiring: tuple[int, ...]
    max_a: float = 32.0
    min_a: float = IEC_MIN_CURRENT_A

    def __post_init__(self) -> None:
        if len(self.wiring) not in (1, 3):
            raise ValueError(f"{self.charger_id}: a charger has 1 or 3 conductors")
        if not 0 < self.min_a <= self.max_a:
            raise ValueError(f"{self.charger_id}: need 0 < min_a <= max_a")


@dataclass(frozen=True, slots=True, kw_only=True)
class Session:
    """One EV plugged into one charger: when, for how long, and what it wants."""

    charger_id: str
    arrival_s: float
    departure_s: float
    energy_kwh: float
    ev_phases: int = 3
    ev_max_a: float = 16.0
    session_id: str = ""

    def __post_init__(self) -> None:
        name = self.session_id or self.charger_id
        if self.departure_s <= self.arrival_s:
            raise ValueError(f"session {name}: departure must follow arrival")
        if self.energy_kwh < 0:
            raise ValueError(f"session {name}: energy wanted must not be negative")
        if self.ev_phases not in (1, 3):
            raise ValueError(f"session {name}: an EV draws on 1 or 3 phases")
        if self.ev_max_a <= 0:
            raise ValueError(f"session {name}: EV maximum current must be positive")

    @property
    def stay_s(self) -> float:
        """How long the EV stays plugged in."""
        return self.departure_s - self.arrival_s


@dataclass(frozen=True, slots=True, kw_only=True)
class EvModel:
    """How simulated EVs and chargers respond (the same for every strategy).

    An EV follows a new limit after a delay (OCPP round trip plus the EV's own
    reaction; IEC 61851-1 gives the EV up to 5 s to reduce). The charger's
    current reading reaches the balancer `measurement_lag_s` late. Near full,
    the EV accepts less: over its last `taper_kwh` its current falls linearly
    with the energy still wanted, down to `taper_floor` of its maximum.
    """

    decrease_delay_s: float = 2.0
    increase_delay_s: float = 5.0
    measurement_lag_s: float = 5.0
    taper_kwh: float = 1.0
    taper_floor: float = 0.25

    def __post_init__(self) -> None:
        if min(self.decrease_delay_s, self.increase_delay_s) < 0:
            raise ValueError("EV response delays must not be negative")
        if self.measurement_lag_s < 0 or self.taper_kwh < 0:
            raise ValueError("measurement lag and taper must not be negative")
        if not 0 < self.taper_floor <= 1:
            raise ValueError("taper_floor is a fraction in (0, 1]")


@dataclass(frozen=True, slots=True, kw_only=True)
class ControlTiming:
    """When the controller runs a round.

    The site meter reads every `meter_interval_s`; a round on every reading
    is what the integration does. The replay skips the readings that cannot
    change anything: while nothing moves (no limit on its way to an EV, no
    charger reading in flight) a round runs on each event (plug-in, plug-out,
    EV full, a new baseline sample the controller cares about), on the
    controller's timers, and at least every `max_round_interval_s`. Before an
    EV changes its draw by itself, the reading just before it is replayed, so
    that the controller has a fresh look at the steady state.
    """

    meter_interval_s: float = 10.0
    max_round_interval_s: float = 300.0
    # Tell the balancer each EV's departure and energy (Strategy.DEPARTURE).
    departure_known: bool = False
    # A charger's status (EV full) arrives at once, its current reading late.
    # True: the reading of a charger whose EV reports full is taken as 0 A,
    # as a control loop that trusts the status would do.
    full_reads_zero: bool = False

    def __post_init__(self) -> None:
        if self.meter_interval_s <= 0 or self.max_round_interval_s <= 0:
            raise ValueError("round intervals must be positive")


def deliverable_kwh(power_kw: float, stay_s: float, model: EvModel) -> float:
    """The most an EV of `power_kw` can take in `stay_s` by itself.

    It starts after the increase delay, and its taper costs the energy it
    would have taken at full power meanwhile: taper_kwh x ln(1 / taper_floor).
    """
    hours = max(0.0, stay_s - model.increase_delay_s) / HOUR_S
    taper_cost = model.taper_kwh * math.log(1.0 / model.taper_floor)
    return max(0.0, power_kw * hours - taper_cost)


def ev_load_phases(charger: ChargerSpec, session: Session) -> tuple[int, ...]:
    """Site phases the EV really draws on: a 1-phase EV uses the charger's L1."""
    if session.ev_phases == 1 or len(charger.wiring) == 1:
        return (charger.wiring[0],)
    return charger.wiring
