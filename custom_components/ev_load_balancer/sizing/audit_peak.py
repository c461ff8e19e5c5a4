"""The capacity audit's peak figures: the billed peak with and without peak shaving.

On the garage the audit found to fit, the same sessions run once more under
peak shaving (the PeakStrategy Home Assistant's coordinator also runs). Its
forecast is seeded with the very history the audit replays: the steady state
of a site whose recorder already holds weeks like these, not a cold start
(which would balance the fuse alone and show no saving). Departures and
energy are never told: the learner starts from another draw of the same
kind of sessions (what weeks of history would have taught it), not from the
sessions being replayed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..balancer import BalancerSettings, Site
from ..peak import Tariff
from ..peak.sessions import PastSession
from .baseline_series import BaselineSeries
from .metrics import session_stats
from .model import ChargerSpec, ControlTiming, EvModel, Session
from .peak_strategy import PeakStrategy
from .replay_result import SimulationResult
from .simulate import simulate
from .tariff_metrics import highest_billed_kw


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditPeak:
    """The month's billed peak (kW) on the garage that fits, three ways."""

    window_minutes: int
    peaks_counted: int
    uncontrolled_kw: float
    fuse_only_kw: float
    peak_shaving_kw: float
    # Peak shaving's energy and EVs full, against fuse-only balancing (%).
    energy_pct_of_fuse_only: float
    evs_full_pct: float
    fuse_only_evs_full_pct: float

    @property
    def reduction_pct(self) -> float:
        """Peak shaving's billed peak below fuse-only balancing's (%)."""
        base = self.fuse_only_kw
        return 100.0 * (1.0 - self.peak_shaving_kw / base) if base else 0.0


@dataclass(frozen=True, slots=True)
class GarageRun:
    """One garage size as simulated: its sessions and both replays."""

    chargers: tuple[ChargerSpec, ...]
    sessions: tuple[Session, ...]
    uncontrolled: SimulationResult
    fuse_only: SimulationResult


def audit_peak(
    tariff: Tariff,
    site: Site,
    baseline: BaselineSeries,
    run: GarageRun,
    *,
    history: Sequence[Session],
    settings: BalancerSettings | None,
    ev_model: EvModel | None,
    timing: ControlTiming | None,
) -> AuditPeak:
    """Peak shaving on `run`'s garage and sessions, against its fuse-only replay."""
    strategy = PeakStrategy(tariff, site, run.chargers, settings)
    wall_start_s = baseline.wall_start_s
    strategy.seed_forecast(baseline, wall_start_s)
    learner = strategy.controller.sessions
    for past in sorted(history, key=lambda session: session.arrival_s):
        arrival = tariff.local(wall_start_s + past.arrival_s).hour
        learner.record(
            past.charger_id,
            PastSession(arrival, past.departure_s - past.arrival_s, past.energy_kwh),
        )
    shaved = simulate(
        site,
        baseline,
        list(run.chargers),
        list(run.sessions),
        controller=strategy,
        ev_model=ev_model,
        timing=timing,
    )
    fuse_only = session_stats(run.fuse_only.outcomes)
    peak = session_stats(shaved.outcomes)
    fuse_kwh = fuse_only.energy_delivered_kwh
    return AuditPeak(
        window_minutes=tariff.window_minutes,
        peaks_counted=tariff.peaks_counted,
        uncontrolled_kw=highest_billed_kw(tariff, run.uncontrolled),
        fuse_only_kw=highest_billed_kw(tariff, run.fuse_only),
        peak_shaving_kw=highest_billed_kw(tariff, shaved),
        energy_pct_of_fuse_only=100.0 * peak.energy_delivered_kwh / fuse_kwh
        if fuse_kwh
        else 100.0,
        evs_full_pct=peak.evs_full_pct,
        fuse_only_evs_full_pct=fuse_only.evs_full_pct,
    )
