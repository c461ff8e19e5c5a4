"""Turn a Scenario into simulation inputs: site, chargers, sessions, baseline."""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
import math
from pathlib import Path

from custom_components.ev_load_balancer.balancer import Site
from custom_components.ev_load_balancer.sizing import (
    BaselineSeries,
    ChargerSize,
    ChargerSpec,
    Session,
    SimCircuit,
    garage,
    residential_sessions,
)

from .apartment_baseline import ApartmentBaselineSpec, apartment_baseline
from .baseline_events import generate_events
from .circuit_loader import place_chargers
from .miswiring import miswire
from .norway import NORWAY_CSV, load_recorded, map_sessions
from .scenario import (
    ConstantBaseline,
    CsvBaseline,
    GarageSpec,
    NorwaySource,
    Scenario,
    ScenarioError,
    SyntheticSource,
    WorkplaceSource,
)
from .workplace import workplace_sessions

MINUTE_S = 60.0
DAY_S = 86400.0


@dataclass(frozen=True, slots=True)
class ScenarioInputs:
    """What every strategy replays."""

    scenario: Scenario
    site: Site
    baseline: BaselineSeries
    chargers: tuple[ChargerSpec, ...]
    sessions: tuple[Session, ...]
    # What had to be adjusted to get here (data quirks, empty chargers).
    notes: tuple[str, ...]
    # Fuses below the main fuse, with their loads and meters.
    circuits: tuple[SimCircuit, ...] = ()


def build_inputs(
    scenario: Scenario, *, start: datetime | None = None, days: float | None = None
) -> ScenarioInputs:
    """Sessions plugged in within the period, and a baseline until the last leaves.

    `start` and `days` narrow the scenario's period (e.g. one week for a test).
    """
    start = start or scenario.start
    days = days or scenario.days
    if start < scenario.start:
        raise ScenarioError(f"{scenario.name}: start before the scenario's period")
    end_s = days * DAY_S
    chargers = place_chargers(_chargers(scenario), scenario.circuits)
    notes: list[str] = []
    sessions, more_notes = _sessions(scenario, chargers, start, end_s)
    notes.extend(more_notes)
    if not sessions:
        raise ScenarioError(f"{scenario.name}: no sessions in the period")
    horizon_s = max(end_s, *(s.departure_s for s in sessions))
    minutes = math.ceil(horizon_s / MINUTE_S) + 1
    baseline = _baseline(scenario, start, minutes)
    if scenario.baseline_events:
        events = generate_events(
            scenario.baseline_events, minutes * MINUTE_S, scenario.site.phases
        )
        baseline = replace(baseline, events=events)
    return ScenarioInputs(
        scenario=replace(scenario, start=start, days=days),
        site=scenario.site,
        baseline=baseline,
        chargers=chargers,
        sessions=sessions,
        notes=tuple(notes),
        circuits=_circuits_from(scenario, start),
    )


def _circuits_from(scenario: Scenario, start: datetime) -> tuple[SimCircuit, ...]:
    """The circuits, their meter outages on the window's clock."""
    shift = (start - scenario.start).total_seconds()
    return tuple(
        replace(
            c.sim,
            meter_outages_s=tuple(
                (a - shift, b - shift) for a, b in c.sim.meter_outages_s if b > shift
            ),
        )
        for c in scenario.circuits
    )


def _chargers(scenario: Scenario) -> tuple[ChargerSpec, ...]:
    spec = scenario.chargers
    if isinstance(spec, GarageSpec):
        size = ChargerSize(max_a=spec.max_a, phases=spec.phases, min_a=spec.min_a)
        chargers = tuple(
            replace(
                charger,
                wiring=charger.wiring if spec.wiring is None else spec.wiring,
                step_a=spec.step_a,
                increase_interval_s=spec.increase_interval_s,
                reports_phases=spec.reports_phases,
                phase_switching=spec.phase_switching,
                phase_dwell_s=spec.phase_dwell_s,
            )
            for charger in garage(spec.count, size, scenario.site.phases)
        )
        return miswire(
            chargers, spec.miswired, spec.miswired_seed, scenario.site.phases
        )
    return spec


def _sessions(
    scenario: Scenario,
    chargers: tuple[ChargerSpec, ...],
    start: datetime,
    end_s: float,
) -> tuple[tuple[Session, ...], tuple[str, ...]]:
    source = scenario.sessions
    voltage = scenario.site.voltage_v
    if isinstance(source, NorwaySource):
        path = source.csv or NORWAY_CSV
        try:
            recorded = load_recorded(path)
        except OSError as err:
            raise ScenarioError(f"{path}: cannot read sessions ({err})") from err
        except ValueError as err:
            raise ScenarioError(str(err)) from err
        mapped = map_sessions(
            recorded,
            list(chargers),
            start,
            start + timedelta(seconds=end_s),
            fleet=scenario.fleet,
            voltage_v=voltage,
            ev_model=scenario.ev_model,
            seed=source.seed,
            garages=source.garages,
        )
        return mapped.sessions, mapped.notes
    if isinstance(source, SyntheticSource):
        generated = residential_sessions(
            chargers,
            start,
            end_s,
            sessions_per_day=source.per_day,
            fleet=scenario.fleet,
            voltage_v=voltage,
            ev_model=scenario.ev_model,
            seed=source.seed,
        )
        return tuple(generated), ()
    if isinstance(source, WorkplaceSource):
        return workplace_sessions(
            source,
            chargers,
            start,
            end_s,
            fleet=scenario.fleet,
            voltage_v=voltage,
            ev_model=scenario.ev_model,
        ), ()
    known = {charger.charger_id for charger in chargers}
    offset = (start - scenario.start).total_seconds()
    listed = []
    for session in scenario.listed_sessions():
        if session.charger_id not in known:
            raise ScenarioError(
                f"{scenario.name}: sessions.list: session on unknown charger "
                f"{session.charger_id!r}"
            )
        if 0 <= session.arrival_s - offset < end_s:
            listed.append(
                replace(
                    session,
                    arrival_s=session.arrival_s - offset,
                    departure_s=session.departure_s - offset,
                )
            )
    ordered = sorted(listed, key=lambda s: s.arrival_s)
    last_departure: dict[str, Session] = {}
    for session in ordered:
        before = last_departure.get(session.charger_id)
        if before is not None and session.arrival_s < before.departure_s:
            raise ScenarioError(
                f"{scenario.name}: sessions.list: two sessions overlap on charger "
                f"{session.charger_id!r} ({before.session_id} and "
                f"{session.session_id})"
            )
        last_departure[session.charger_id] = session
    return tuple(ordered), ()


def _baseline(scenario: Scenario, start: datetime, minutes: int) -> BaselineSeries:
    source = scenario.baseline
    phases = scenario.site.phases
    if isinstance(source, ApartmentBaselineSpec):
        return apartment_baseline(
            source, start, minutes, voltage_v=scenario.site.voltage_v
        )
    if isinstance(source, ConstantBaseline):
        return BaselineSeries(start, MINUTE_S, (source.amps,) * minutes)
    assert isinstance(source, CsvBaseline)
    return read_baseline_csv(source.path, start, minutes, phases)


def read_baseline_csv(
    path: Path, start: datetime, minutes: int, phases: int
) -> BaselineSeries:
    """A CSV of `time,L1,L2,L3` (local ISO times, A); each row holds until the next.

    Rows may be per minute or only when the value changes (a recorder export).
    Times outside [start, start + minutes) are used only to know what held.
    """
    samples: list[tuple[float, tuple[float, ...]]] = []
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(line for line in handle if not line.startswith("#"))
            header = next(reader, None)
            if header is None or len(header) != phases + 1:
                raise ScenarioError(
                    f"{path}: header must be time and {phases} phase column(s)"
                )
            for line, row in enumerate(reader, start=2):
                try:
                    when = datetime.fromisoformat(row[0]).replace(tzinfo=None)
                    values = tuple(max(0.0, float(v)) for v in row[1 : phases + 1])
                except (ValueError, IndexError) as err:
                    raise ScenarioError(f"{path}:{line}: bad row ({err})") from err
                if len(values) != phases:
                    raise ScenarioError(f"{path}:{line}: needs {phases} currents")
                samples.append(((when - start).total_seconds(), values))
    except OSError as err:
        raise ScenarioError(f"{path}: cannot read the baseline ({err})") from err
    if not samples:
        raise ScenarioError(f"{path}: no baseline rows")
    return BaselineSeries.from_samples(
        start, samples, step_s=MINUTE_S, end_s=minutes * MINUTE_S
    )


def history_baseline(
    scenario: Scenario, start: datetime, minutes: int
) -> BaselineSeries:
    """The scenario's building load over another span (e.g. before its period)."""
    return _baseline(scenario, start, minutes)
