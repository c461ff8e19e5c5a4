"""What a run achieved: for the EVs (energy, full, fairness, switches) and for the
fuse (seconds above it, peak, melting check, peak hourly power)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
import math

from ..balancer import Site
from .baseline_series import BaselineSeries
from .fuse_curve import FuseDamage, GgFuseCurve
from .model import HOUR_S
from .replay_result import SimulationResult
from .sim_charger import SessionOutcome
from .trace import PhaseTrace, site_pieces

# A phase counts as above the fuse beyond float noise (A).
_OVER_EPSILON_A = 1e-6


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionStats:
    """How the EVs fared."""

    sessions: int
    energy_wanted_kwh: float
    energy_delivered_kwh: float
    energy_delivered_pct: float
    evs_full_pct: float
    # Jain's index over each session's delivered/wanted share (1 = all equal).
    jain_index: float
    # Pause/resume switches per session; None when a strategy has no rounds.
    switches_per_ev: float | None
    max_switches: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteStats:
    """How the fuse fared, from baseline + what the EVs really drew."""

    # Seconds during which at least one phase carried more than the fuse rating.
    overload_s: float
    # Highest phase current over the fuse rating, and how far above it (A).
    peak_ratio: float
    worst_excess_a: float
    # Worst melting-damage sum on any phase, % of what melts a gG fuse (the
    # fraction of its melting I²t, Miner's rule): above the rating for a
    # few seconds is a few per mille, 100 is a trip.
    fuse_stress_pct: float
    peak_hourly_kw: float
    # Integral of the EV current x voltage: must equal the EVs' own energy.
    ev_energy_kwh: float

    @property
    def fuse_melts(self) -> bool:
        """Whether a gG fuse of this rating would have melted."""
        return self.fuse_stress_pct >= 100.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Metrics:
    """Side-by-side figures for one strategy."""

    strategy: str
    evs: SessionStats
    # None for the hindsight optimum (it has slot averages, not a real site).
    fuse: SiteStats | None


def evaluate(result: SimulationResult) -> Metrics:
    """Every metric of one replay."""
    return Metrics(
        strategy=result.strategy,
        evs=session_stats(result.outcomes),
        fuse=site_stats(
            result.site, result.baseline, result.ev_trace, result.start_s, result.end_s
        ),
    )


def jain_index(values: Sequence[float]) -> float:
    """Jain's fairness index (sum x)^2 / (n sum x^2): 1 = equal, 1/n = one gets all."""
    if not values:
        return 1.0
    squares = sum(value * value for value in values)
    if squares == 0:
        return 1.0
    return sum(values) ** 2 / (len(values) * squares)


def session_stats(
    outcomes: Sequence[SessionOutcome], *, count_switches: bool = True
) -> SessionStats:
    """Energy, EVs full, fairness and switches over the sessions."""
    wanted = sum(o.session.energy_kwh for o in outcomes)
    delivered = sum(o.delivered_kwh for o in outcomes)
    shares = [
        o.delivered_kwh / o.session.energy_kwh
        for o in outcomes
        if o.session.energy_kwh > 0
    ]
    count = len(outcomes)
    return SessionStats(
        sessions=count,
        energy_wanted_kwh=wanted,
        energy_delivered_kwh=delivered,
        energy_delivered_pct=100.0 * delivered / wanted if wanted else 100.0,
        evs_full_pct=100.0 * sum(o.full for o in outcomes) / count if count else 100.0,
        jain_index=jain_index(shares),
        switches_per_ev=(
            sum(o.switches for o in outcomes) / count
            if count_switches and count
            else None
        ),
        max_switches=(
            max((o.switches for o in outcomes), default=0) if count_switches else None
        ),
    )


def site_stats(
    site: Site,
    baseline: BaselineSeries,
    trace: PhaseTrace,
    start_s: float,
    end_s: float,
) -> SiteStats:
    """Fuse figures over [start_s, end_s) from the baseline plus the EV trace."""
    fuse_a = site.fuse_a
    volts = site.voltage_v
    curve = GgFuseCurve.for_rating(fuse_a)
    damages = [FuseDamage(curve) for _ in range(site.phases)]
    hour_offset = _seconds_into_hour(baseline)
    overload = peak = ev_energy = 0.0
    hour_index = -1
    hour_energy = peak_hour = 0.0
    for piece in site_pieces(baseline, trace, start_s, end_s):
        currents = [b + e for b, e in zip(piece.baseline_a, piece.ev_a, strict=True)]
        highest = max(currents)
        peak = max(peak, highest)
        duration = piece.duration_s
        if highest > fuse_a + _OVER_EPSILON_A:
            overload += duration
        for damage, current in zip(damages, currents, strict=True):
            damage.add(current, duration)
        ev_energy += sum(piece.ev_a) * volts * duration / 3.6e6
        power_kw = sum(currents) * volts / 1000.0
        # Split the piece at clock-hour boundaries for the hourly average.
        time_s = piece.start_s
        while time_s < piece.end_s:
            index = math.floor((time_s + hour_offset) / HOUR_S)
            if index != hour_index:
                peak_hour = max(peak_hour, hour_energy)
                hour_index, hour_energy = index, 0.0
            until = min(piece.end_s, (index + 1) * HOUR_S - hour_offset)
            hour_energy += power_kw * (until - time_s) / HOUR_S
            time_s = until
    peak_hour = max(peak_hour, hour_energy)
    return SiteStats(
        overload_s=overload,
        peak_ratio=peak / fuse_a,
        worst_excess_a=max(0.0, peak - fuse_a),
        fuse_stress_pct=100.0 * max(damage.worst for damage in damages),
        peak_hourly_kw=peak_hour,
        ev_energy_kwh=ev_energy,
    )


def _seconds_into_hour(baseline: BaselineSeries) -> float:
    start = baseline.start
    return start.minute * 60.0 + start.second + start.microsecond / 1e6
