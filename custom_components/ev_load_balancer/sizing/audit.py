"""How many chargers of a given size fit on a site with its own baseline?

The audit replays synthetic residential sessions (see `synthetic`) on garages
of growing size through the balancer, over the baseline the site really had,
and finds the largest garage whose EVs miss less than the target share of the
energy they would have taken with no fuse at all (their own maximum current,
taper and delays are not the fuse's fault). Charger i's sessions are the same
in every garage size (common random numbers), so a larger garage only adds
EVs and the search can halve the interval. Given a capacity tariff, the
answer also carries the month's billed peak of the garage that fits, with and
without peak shaving (audit_peak.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..balancer import BalancerSettings, Rotation, Site
from ..peak import Tariff
from .audit_peak import AuditPeak, GarageRun, audit_peak
from .baseline_series import BaselineSeries
from .controllers import BalancerController, UnlimitedController
from .fleet import RESIDENTIAL_FLEET, EvType
from .metrics import evaluate
from .model import ChargerSpec, ControlTiming, EvModel
from .simulate import simulate
from .synthetic import residential_sessions

_ROTATIONS = tuple(Rotation)


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargerSize:
    """The charger model to install: phases and maximum current per phase."""

    max_a: float = 16.0
    phases: int = 3
    min_a: float = 6.0

    def __post_init__(self) -> None:
        if self.phases not in (1, 3):
            raise ValueError("a charger has 1 or 3 phases")
        if not 0 < self.min_a <= self.max_a:
            raise ValueError("need 0 < min_a <= max_a")


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditPoint:
    """One garage size tried."""

    chargers: int
    sessions: int
    # Energy the fuse cost the EVs: what they would take with no limit
    # (their own maximum, taper, delays) minus what they got, in %.
    unmet_energy_pct: float
    evs_full_pct: float
    overload_s: float
    fuse_stress_pct: float


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditResult:
    """The answer: how many chargers fit, and the evidence."""

    chargers_that_fit: int
    # Energy wanted but not delivered with `chargers_that_fit` chargers, %.
    unmet_energy_pct: float
    target_unmet_pct: float
    charger_size: ChargerSize
    period_days: float
    # Every garage size simulated, smallest first.
    points: tuple[AuditPoint, ...] = field(default_factory=tuple)
    # Even `max_chargers` fit: the true answer may be higher.
    reached_max: bool = False
    # With a tariff: the billed peak of `chargers_that_fit`, with and without
    # peak shaving (None: no tariff given, or nothing fits).
    peak: AuditPeak | None = None


def garage(count: int, size: ChargerSize, site_phases: int = 3) -> list[ChargerSpec]:
    """`count` chargers wired the way an electrician spreads them.

    Three-phase chargers rotate L1L2L3, L2L3L1, L3L1L2; single-phase chargers
    go round the phases.
    """
    chargers: list[ChargerSpec] = []
    for index in range(count):
        if size.phases == 3 and site_phases == 3:
            wiring: tuple[int, ...] = _ROTATIONS[index % 3].wiring
        else:
            wiring = (index % site_phases,)
        chargers.append(
            ChargerSpec(
                charger_id=f"cp{index + 1:03}",
                wiring=wiring,
                max_a=size.max_a,
                min_a=size.min_a,
            )
        )
    return chargers


def audit_capacity(
    site: Site,
    baseline: BaselineSeries,
    charger_size: ChargerSize | None = None,
    *,
    target_unmet_pct: float = 1.0,
    max_chargers: int = 200,
    sessions_per_day: float = 0.6,
    fleet: Sequence[EvType] = RESIDENTIAL_FLEET,
    settings: BalancerSettings | None = None,
    ev_model: EvModel | None = None,
    timing: ControlTiming | None = None,
    seed: int = 0,
    progress: Callable[[AuditPoint], None] | None = None,
    tariff: Tariff | None = None,
) -> AuditResult:
    """The largest garage of `charger_size` chargers with unmet energy < target.

    Sessions cover the baseline's whole period; the search doubles the garage
    until it misses the target, then bisects.
    """
    size = charger_size or ChargerSize()
    if target_unmet_pct <= 0 or max_chargers < 1:
        raise ValueError("need a positive target and at least one charger")
    if baseline.duration_s < 86400.0:
        raise ValueError("the audit needs at least a day of baseline")
    tried: dict[int, AuditPoint] = {}
    # The largest fitting garage's replays, kept for its peak figures.
    best: list[GarageRun] = []

    def fits(count: int) -> bool:
        if count not in tried:
            tried[count], run = _run_garage(
                site, baseline, garage(count, size, site.phases),
                sessions_per_day=sessions_per_day, fleet=fleet,
                settings=settings, ev_model=ev_model, timing=timing, seed=seed,
            )  # fmt: skip
            if progress is not None:
                progress(tried[count])
            if tried[count].unmet_energy_pct < target_unmet_pct and (
                not best or count > len(best[0].chargers)
            ):
                best[:] = [run]
        return tried[count].unmet_energy_pct < target_unmet_pct

    fitting, failing = 0, None
    count = min(4, max_chargers)
    while failing is None:
        if fits(count):
            fitting = count
            if count == max_chargers:
                break
            count = min(count * 2, max_chargers)
        else:
            failing = count
    if failing is not None:
        while failing - fitting > 1:
            middle = (fitting + failing) // 2
            if fits(middle):
                fitting = middle
            else:
                failing = middle
    unmet = tried[fitting].unmet_energy_pct if fitting else 0.0
    peak = None
    if tariff is not None and best:
        run = best[0]
        history = residential_sessions(
            list(run.chargers), baseline.start, baseline.duration_s,
            sessions_per_day=sessions_per_day, fleet=fleet,
            voltage_v=site.voltage_v, ev_model=ev_model, seed=seed + 1,
        )  # fmt: skip
        peak = audit_peak(
            tariff, site, baseline, run, history=history,
            settings=settings, ev_model=ev_model, timing=timing,
        )  # fmt: skip
    return AuditResult(
        chargers_that_fit=fitting,
        unmet_energy_pct=unmet,
        target_unmet_pct=target_unmet_pct,
        charger_size=size,
        period_days=baseline.duration_s / 86400.0,
        points=tuple(tried[key] for key in sorted(tried)),
        reached_max=failing is None,
        peak=peak,
    )


def _run_garage(
    site: Site,
    baseline: BaselineSeries,
    chargers: list[ChargerSpec],
    *,
    sessions_per_day: float,
    fleet: Sequence[EvType],
    settings: BalancerSettings | None,
    ev_model: EvModel | None,
    timing: ControlTiming | None,
    seed: int,
) -> tuple[AuditPoint, GarageRun]:
    sessions = residential_sessions(
        chargers,
        baseline.start,
        baseline.duration_s,
        sessions_per_day=sessions_per_day,
        fleet=fleet,
        voltage_v=site.voltage_v,
        ev_model=ev_model,
        seed=seed,
    )
    reference = simulate(
        site,
        baseline,
        chargers,
        sessions,
        controller=UnlimitedController(),
        ev_model=ev_model,
        timing=timing,
    )
    result = simulate(
        site,
        baseline,
        chargers,
        sessions,
        controller=BalancerController(settings),
        ev_model=ev_model,
        timing=timing,
    )
    metrics = evaluate(result)
    assert metrics.fuse is not None
    possible = sum(outcome.delivered_kwh for outcome in reference.outcomes)
    got = metrics.evs.energy_delivered_kwh
    point = AuditPoint(
        chargers=len(chargers),
        sessions=metrics.evs.sessions,
        unmet_energy_pct=100.0 * max(0.0, possible - got) / possible
        if possible
        else 0.0,
        evs_full_pct=metrics.evs.evs_full_pct,
        overload_s=metrics.fuse.overload_s,
        fuse_stress_pct=metrics.fuse.fuse_stress_pct,
    )
    return point, GarageRun(tuple(chargers), tuple(sessions), reference, result)
