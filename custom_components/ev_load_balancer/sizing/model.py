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
    # Smallest change of limit it accepts (OCPP: 0.1 A; a number entity: 1 A).
    step_a: float = 0.1
    # It accepts a higher limit at most this often (Zaptec: 900 s).
    increase_interval_s: float = 0.0
    # False: it reports only its power, not which phases carry it (the loop
    # then reserves every wired phase).
    reports_phases: bool = True
    # How often it reports its current (s); None: the EV model's lag.
    report_lag_s: float | None = None
    # Where in that period its reports fall (s); None: spread by position.
    report_offset_s: float | None = None
    # How it is really wired, when not as configured (`wiring` is what the
    # balancer is told; the EV loads these phases): a miswired charger.
    installed: tuple[int, ...] | None = None
    # It can run a 3-phase EV on one phase (go-e `psm`): the loop's 1p/3p
    # hook switches it (sim_phase_switch.py), a choice standing this long.
    phase_switching: bool = False
    phase_dwell_s: float = 300.0
    # The circuit it hangs on (sim_circuits.py); None: the main fuse.
    circuit_id: str | None = None

    def __post_init__(self) -> None:
        if len(self.wiring) not in (1, 3):
            raise ValueError(f"{self.charger_id}: a charger has 1 or 3 conductors")
        if not 0 < self.min_a <= self.max_a:
            raise ValueError(f"{self.charger_id}: need 0 < min_a <= max_a")
        if self.step_a <= 0 or self.increase_interval_s < 0:
            raise ValueError(f"{self.charger_id}: need step_a > 0, interval >= 0")
        if self.report_lag_s is not None and self.report_lag_s < 0:
            raise ValueError(f"{self.charger_id}: report lag must not be negative")
        if self.installed is not None and len(self.installed) != len(self.wiring):
            raise ValueError(
                f"{self.charger_id}: installed wiring has other conductors"
            )
        if self.phase_switching and len(self.wiring) != 3:
            raise ValueError(f"{self.charger_id}: only a 3-phase charger switches")
        if self.phase_dwell_s < 0:
            raise ValueError(f"{self.charger_id}: dwell time must not be negative")

    @property
    def installed_wiring(self) -> tuple[int, ...]:
        """The site phase each conductor really loads."""
        return self.wiring if self.installed is None else self.installed


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
        charger reports its current every `measurement_lag_s` (a reading is up to
    that old; OCPP MeterValues, an integration's polled sensor). Near full,
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
    """The control loop's timing as Home Assistant runs it, and the meter's.

    The site meter takes a reading every `meter_interval_s`, showing the site
    as it was `meter_lag_s` earlier (a P1 reader: about 10 s and 1 s; an
    SDM630 over Modbus: 1 s and 1 s). The loop runs a round on every reading,
    on every change a charger reports, when a command completes, and at least
    every `tick_s`. With `exact` the replay runs every one of those rounds;
    otherwise it skips the ones that provably change nothing: while nothing
    moves (no limit on its way to an EV, no charger reading in flight) a round
    runs on each event (plug-in, plug-out, EV full, a baseline change the
    controller cares about), when a timer of the loop runs out (noticed at the
    next tick or reading), and at least every `max_round_interval_s`.
    """

    meter_interval_s: float = 10.0
    meter_lag_s: float = 1.0
    tick_s: float = 2.0
    max_round_interval_s: float = 300.0
    # Time from sending a limit to the charger accepting it (s).
    command_latency_s: float = 0.0
    exact: bool = False
    # Tell the loop each EV's departure and energy when it plugs in, as a user
    # (or an automation) calling set_departure would.
    departure_known: bool = False
    # A charger's status (EV full) arrives at once, its current reading late.
    # True: the reading of a charger whose EV reports full is taken as 0 A,
    # as a control loop that trusts the status would do.
    full_reads_zero: bool = False
    # (start s, length s): the meter sends nothing (its reading goes stale).
    meter_outages: tuple[tuple[float, float], ...] = ()
    # Home Assistant restarts at these times: the loop starts again from what
    # it saved; chargers keep their last limit meanwhile.
    restarts_s: tuple[float, ...] = ()
    # The margin follows the building's quick rises (the site option).
    margin_follows_spikes: bool = False

    def __post_init__(self) -> None:
        if min(self.meter_interval_s, self.max_round_interval_s, self.tick_s) <= 0:
            raise ValueError("meter, tick and round intervals must be positive")
        if self.meter_lag_s < 0 or self.command_latency_s < 0:
            raise ValueError("meter lag and command latency must not be negative")
        if any(length <= 0 for _, length in self.meter_outages):
            raise ValueError("a meter outage needs a positive length")

    def meter_out(self, time_s: float) -> bool:
        """Whether the meter sends nothing at `time_s`."""
        return any(
            start <= time_s < start + length for start, length in self.meter_outages
        )


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
    wiring = charger.installed_wiring
    if session.ev_phases == 1 or len(wiring) == 1:
        return (wiring[0],)
    return wiring
