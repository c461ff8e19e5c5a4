"""Read a scenario file (YAML or JSON) into a Scenario; see scenarios/README.md."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import yaml

from custom_components.ev_load_balancer.balancer import (
    BalancerSettings,
    Rotation,
    Site,
    Strategy,
)
from custom_components.ev_load_balancer.sizing import (
    RESIDENTIAL_FLEET,
    ChargerSpec,
    ControlTiming,
    EvModel,
    EvType,
)

from .apartment_baseline import ApartmentBaselineSpec, SpikeSpec
from .baseline_events import EventSpec
from .circuit_loader import parse_circuits
from .fields import Section
from .scenario import (
    DEFAULT_STRATEGIES,
    STRATEGIES,
    BaselineSource,
    ConstantBaseline,
    CsvBaseline,
    GarageSpec,
    ListedSession,
    ListSource,
    NorwaySource,
    Scenario,
    ScenarioError,
    SessionSource,
    SyntheticSource,
    WorkplaceSource,
)

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "scenarios"


def resolve(name_or_path: str) -> Path:
    """A path, or the name of a shipped scenario (e.g. 63A-50ev)."""
    path = Path(name_or_path)
    if path.exists():
        return path
    for suffix in (".yaml", ".yml", ".json"):
        shipped = SCENARIO_DIR / f"{name_or_path}{suffix}"
        if shipped.exists():
            return shipped
    raise ScenarioError(f"{name_or_path}: no such file or shipped scenario")


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Read and check a scenario file."""
    path = resolve(str(name_or_path))
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ScenarioError(f"{path}: cannot read ({err.strerror})") from err
    try:
        data = yaml.safe_load(text)  # JSON is YAML too
    except yaml.YAMLError as err:
        raise ScenarioError(f"{path}: not valid YAML or JSON ({err})") from err
    return parse_scenario(data, source=str(path), base_dir=path.parent)


def parse_scenario(data: object, *, source: str, base_dir: Path) -> Scenario:
    """Build a Scenario from parsed YAML/JSON data."""
    root = Section(data, "", source)
    name = root.text("name")
    period = root.section("period")
    start = period.when("start")
    days = period.number("days", positive=True)
    period.finish()
    site = _site(root.section("site"))
    circuits = parse_circuits(root, site)
    chargers = _chargers(root.section("chargers"), site)
    fleet = _fleet(root, site)
    sessions = _sessions(root.section("sessions"), base_dir, site)
    baseline_section = root.section("baseline")
    events = tuple(
        _event(Section(item, f"baseline.events[{i}]", source), site)
        for i, item in enumerate(baseline_section.items("events", required=False))
    )
    baseline = _baseline(baseline_section, base_dir, site)
    ev_model = _ev_model(root.section("ev_model", required=False))
    control = root.section("control", required=False)
    balancer = _balancer(control.section("balancer", required=False))
    timing = _timing(control)
    strategies = _strategies(root)
    static = root.section("static", required=False)
    budget = static.numbers("budget_a", site.phases) if static.has("budget_a") else None
    static.finish()
    optimum = root.section("optimum", required=False)
    slot_minutes = optimum.number("slot_minutes", 15.0, positive=True)
    optimum.finish()
    report = root.section("report", required=False)
    evening = report.when("evening") if report.has("evening") else None
    report.finish()
    description = root.text("description", "")
    root.finish()
    return Scenario(
        name=name,
        description=description.strip(),
        path=Path(source),
        start=start,
        days=days,
        site=site,
        chargers=chargers,
        fleet=fleet,
        sessions=sessions,
        baseline=baseline,
        ev_model=ev_model,
        timing=timing,
        balancer=balancer,
        strategies=strategies,
        static_budget_a=budget,
        slot_minutes=slot_minutes,
        evening=evening,
        baseline_events=events,
        circuits=circuits,
    )


def _site(section: Section) -> Site:
    phases = section.integer("phases", 3, minimum=1)
    if phases not in (1, 3):
        raise section.error("phases", f"a site has 1 or 3 phases, not {phases}")
    site = Site(
        phases=phases,
        fuse_a=section.number("fuse_a", positive=True),
        margin_a=section.number("margin_a", 0.0, minimum=0.0),
        voltage_v=section.number("voltage_v", 230.0, positive=True),
    )
    section.finish()
    if site.usable_a <= 0:
        raise section.error("margin_a", "leaves nothing of the fuse for anyone")
    return site


def _chargers(section: Section, site: Site) -> GarageSpec | tuple[ChargerSpec, ...]:
    if section.has("list"):
        chargers = tuple(
            _listed_charger(
                Section(item, f"{section.where}.list[{i}]", section.source), site
            )
            for i, item in enumerate(section.items("list"))
        )
        section.finish()
        if len({c.charger_id for c in chargers}) != len(chargers):
            raise section.error("list", "charger ids must be unique")
        return chargers
    garage = GarageSpec(
        count=section.integer("count", minimum=1),
        max_a=section.number("max_a", 32.0, positive=True),
        min_a=section.number("min_a", 6.0, positive=True),
        phases=section.integer("phases", 3, minimum=1),
        step_a=section.number("step_a", 0.1, positive=True),
        increase_interval_s=section.number("increase_interval_s", 0.0, minimum=0.0),
        reports_phases=section.choice("reports", ("phases", "power"), "phases")
        == "phases",
        wiring=_garage_wiring(section, site),
        **_miswired(section),
        phase_switching=section.flag("phase_switching", False),
        phase_dwell_s=section.number("phase_dwell_s", 300.0, minimum=0.0),
    )
    section.finish()
    if garage.phases not in (1, 3):
        raise section.error("phases", "chargers have 1 or 3 phases")
    if garage.wiring is not None and len(garage.wiring) != garage.phases:
        raise section.error("wiring", f"needs {garage.phases} phase(s)")
    if garage.phase_switching and garage.phases != 3:
        raise section.error("phase_switching", "only 3-phase chargers switch")
    if garage.min_a > garage.max_a:
        raise section.error("min_a", "must not exceed max_a")
    if garage.miswired > garage.count:
        raise section.error("miswired", "more miswired chargers than chargers")
    return garage


def _garage_wiring(section: Section, site: Site) -> tuple[int, ...] | None:
    """One wiring for every charger (no rotation), if given."""
    if not section.has("wiring"):
        section.raw("wiring")
        return None
    return _wiring(section, "wiring", site)


def _miswired(section: Section) -> dict[str, int]:
    if not section.has("miswired"):
        return {}
    miswired = section.section("miswired")
    found = {
        "miswired": miswired.integer("count", minimum=1),
        "miswired_seed": miswired.integer("seed", 0),
    }
    miswired.finish()
    return found


def _wiring(section: Section, key: str, site: Site) -> tuple[int, ...]:
    raw_wiring = section.raw(key)
    if isinstance(raw_wiring, str):
        try:
            return Rotation(raw_wiring.upper()).wiring
        except ValueError:
            raise section.error(
                key, "is L1L2L3, L2L3L1, L3L1L2 or a list of phases"
            ) from None
    return section.phases(key, site.phases)


def _listed_charger(section: Section, site: Site) -> ChargerSpec:
    charger_id = section.text("id")
    wiring = _wiring(section, "wiring", site)
    installed = (
        _wiring(section, "installed", site) if section.has("installed") else None
    )
    max_a = section.number("max_a", 32.0, positive=True)
    min_a = section.number("min_a", 6.0, positive=True)
    step_a = section.number("step_a", 0.1, positive=True)
    interval = section.number("increase_interval_s", 0.0, minimum=0.0)
    reports = section.choice("reports", ("phases", "power"), "phases")
    lag = section.optional_number("report_lag_s")
    switching = section.flag("phase_switching", False)
    dwell = section.number("phase_dwell_s", 300.0, minimum=0.0)
    section.finish()
    if lag is not None and lag < 0:
        raise section.error("report_lag_s", "must not be negative")
    try:
        return ChargerSpec(
            charger_id=charger_id,
            wiring=wiring,
            max_a=max_a,
            min_a=min_a,
            step_a=step_a,
            increase_interval_s=interval,
            reports_phases=reports == "phases",
            report_lag_s=lag,
            installed=installed,
            phase_switching=switching,
            phase_dwell_s=dwell,
        )
    except ValueError as err:
        key = "phase_switching" if switching and len(wiring) != 3 else "wiring"
        raise section.error(key, str(err)) from None


def _fleet(root: Section, site: Site) -> tuple[EvType, ...]:
    if not root.has("fleet"):
        root.raw("fleet")
        return RESIDENTIAL_FLEET
    fleet: list[EvType] = []
    for index, item in enumerate(root.items("fleet")):
        section = Section(item, f"fleet[{index}]", root.source)
        phases = section.integer("phases", minimum=1)
        if phases not in (1, 3):
            raise section.error("phases", "an EV charges on 1 or 3 phases")
        fleet.append(
            EvType(
                phases=phases,
                max_a=section.number("max_a", positive=True),
                share=section.number("share", positive=True),
            )
        )
        section.finish()
    if not fleet:
        raise root.error("fleet", "needs at least one EV type")
    return tuple(fleet)


def _sessions(section: Section, base_dir: Path, site: Site) -> SessionSource:
    source = section.choice(
        "source", ("norway", "synthetic", "workplace", "list"), None
    )
    result: SessionSource
    if source == "norway":
        csv = Path(section.text("csv")) if section.has("csv") else None
        garages = tuple(str(g) for g in section.items("garages", required=False))
        result = NorwaySource(
            csv=None if csv is None else base_dir / csv,
            garages=garages,
            seed=section.integer("seed", 0),
        )
    elif source == "synthetic":
        result = SyntheticSource(
            per_day=section.number("per_day", 0.6, minimum=0.0),
            seed=section.integer("seed", 0),
        )
    elif source == "workplace":
        result = WorkplaceSource(
            per_day=section.number("per_day", 0.9, minimum=0.0),
            arrival_h=_hour_range(section, "arrival_h", (7.0, 10.0)),
            stay_h=_hour_range(section, "stay_h", (8.0, 9.0)),
            weekends=section.flag("weekends", False),
            seed=section.integer("seed", 0),
        )
        if result.per_day > 1:
            raise section.error("per_day", "is a probability per working day (0-1)")
    else:
        listed: list[ListedSession] = []
        for index, item in enumerate(section.items("list")):
            entry = Section(item, f"{section.where}.list[{index}]", section.source)
            arrival, departure = entry.when("arrival"), entry.when("departure")
            if departure <= arrival:
                raise entry.error("departure", "must come after arrival")
            phases = entry.integer("ev_phases", 3, minimum=1)
            if phases not in (1, 3):
                raise entry.error("ev_phases", "an EV charges on 1 or 3 phases")
            listed.append(
                ListedSession(
                    charger_id=entry.text("charger"),
                    arrival=arrival,
                    departure=departure,
                    energy_kwh=entry.number("energy_kwh", minimum=0.0),
                    ev_phases=phases,
                    ev_max_a=entry.number("ev_max_a", 16.0, positive=True),
                )
            )
            entry.finish()
        result = ListSource(sessions=tuple(listed))
    section.finish()
    return result


def _hour_range(
    section: Section, key: str, default: tuple[float, float]
) -> tuple[float, float]:
    if not section.has(key):
        section.raw(key)
        return default
    low, high = section.numbers(key, 2)
    if not 0 <= low <= high <= 48:
        raise section.error(key, "needs [from, to] hours with 0 <= from <= to")
    if high <= 0:
        raise section.error(key, "must not be empty")
    return (low, high)


def _baseline(section: Section, base_dir: Path, site: Site) -> BaselineSource:
    source = section.choice("source", ("apartments", "csv", "constant"), None)
    result: BaselineSource
    if source == "csv":
        result = CsvBaseline(path=base_dir / section.text("path"))
    elif source == "constant":
        result = ConstantBaseline(amps=section.numbers("amps", site.phases))
        if min(result.amps) < 0:
            raise section.error("amps", "currents must not be negative")
    else:
        spikes = tuple(
            _spike(Section(item, f"{section.where}.spikes[{i}]", section.source), site)
            for i, item in enumerate(section.items("spikes", required=False))
        )
        split = (
            section.numbers("phase_split", site.phases)
            if section.has("phase_split")
            else (0.40, 0.33, 0.27)[: site.phases]
        )
        if min(split) < 0 or sum(split) <= 0:
            raise section.error("phase_split", "shares must be positive")
        result = ApartmentBaselineSpec(
            apartments=section.integer("apartments", minimum=0),
            annual_kwh=section.number("annual_kwh", 3000.0, minimum=0.0),
            phase_split=split,
            common_a=(
                section.numbers("common_a", site.phases)
                if section.has("common_a")
                else (0.0,) * site.phases
            ),
            noise=section.number("noise", 1.0, minimum=0.0),
            spikes=spikes,
            seed=section.integer("seed", 0),
        )
    section.finish()
    return result


def _spike(section: Section, site: Site) -> SpikeSpec:
    minutes = section.numbers("minutes", 2)
    hours = section.numbers("hours", 2) if section.has("hours") else (0.0, 24.0)
    if not 0 < minutes[0] <= minutes[1]:
        raise section.error("minutes", "needs [shortest, longest] with 0 < shortest")
    if not 0 <= hours[0] < hours[1] <= 24:
        raise section.error("hours", "needs [from, to] within 0-24")
    spike = SpikeSpec(
        name=section.text("name", "spike"),
        phases=section.phases("phases", site.phases),
        amps=section.number("amps", positive=True),
        per_day=section.number("per_day", positive=True),
        duration_min=(minutes[0], minutes[1]),
        hours=(hours[0], hours[1]),
    )
    section.finish()
    return spike


def _event(section: Section, site: Site) -> EventSpec:
    seconds = section.numbers("seconds", 2)
    hours = section.numbers("hours", 2) if section.has("hours") else (0.0, 24.0)
    if not 0 < seconds[0] <= seconds[1]:
        raise section.error("seconds", "needs [shortest, longest] with 0 < shortest")
    if not 0 <= hours[0] < hours[1] <= 24:
        raise section.error("hours", "needs [from, to] within 0-24")
    inrush = section.section("inrush", required=False)
    factor = inrush.number("factor", 1.0, minimum=1.0)
    inrush_s = inrush.number("seconds", 0.0, minimum=0.0)
    inrush.finish()
    event = EventSpec(
        name=section.text("name", "event"),
        phases=section.phases("phases", site.phases),
        amps=section.number("amps", positive=True),
        per_day=section.number("per_day", positive=True),
        seconds=(seconds[0], seconds[1]),
        hours=(hours[0], hours[1]),
        inrush_factor=factor,
        inrush_s=inrush_s,
        seed=section.integer("seed", 0),
    )
    section.finish()
    return event


def _ev_model(section: Section) -> EvModel:
    """EV model numbers by name; missing ones keep their defaults."""
    names = [field.name for field in fields(EvModel)]
    values = {
        name: section.number(name, minimum=0.0) for name in names if section.has(name)
    }
    for name in names:
        section.raw(name)
    section.finish()
    try:
        return EvModel(**values)
    except ValueError as err:
        raise ScenarioError(f"{section.source}: {section.where}: {err}") from None


def _balancer(section: Section) -> BalancerSettings:
    """BalancerSettings overrides by name (strategy: fair | departure)."""
    values: dict[str, object] = {}
    for field in fields(BalancerSettings):
        if not section.has(field.name):
            section.raw(field.name)
            continue
        if field.name == "strategy":
            values["strategy"] = Strategy(
                section.choice("strategy", [s.value for s in Strategy], None)
            )
        elif field.name == "max_switches_per_hour":
            values[field.name] = section.integer(field.name, minimum=1)
        else:
            values[field.name] = section.number(field.name, minimum=0.0)
    section.finish()
    return BalancerSettings(**values)  # type: ignore[arg-type]


# Meters as they are read: (reading interval s, lag s).
METER_PRESETS = {
    "p1": (10.0, 1.0),  # a DSMR 4 P1 telegram every 10 s
    "sdm630": (1.0, 1.0),  # an Eastron SDM630 polled over Modbus every second
}


def _timing(section: Section) -> ControlTiming:
    preset = section.choice("meter", tuple(METER_PRESETS), "p1")
    interval, lag = METER_PRESETS[preset]
    outages = tuple(
        _outage(Section(item, f"{section.where}.meter_outages[{i}]", section.source))
        for i, item in enumerate(section.items("meter_outages", required=False))
    )
    restarts = section.numbers("restarts_s") if section.has("restarts_s") else ()
    if any(value < 0 for value in restarts):
        raise section.error("restarts_s", "times must not be negative")
    try:
        timing = ControlTiming(
            meter_interval_s=section.number(
                "meter_interval_s", interval, positive=True
            ),
            meter_lag_s=section.number("meter_lag_s", lag, minimum=0.0),
            tick_s=section.number("tick_s", 2.0, positive=True),
            max_round_interval_s=section.number(
                "max_round_interval_s", 300.0, positive=True
            ),
            command_latency_s=section.number("command_latency_s", 0.0, minimum=0.0),
            exact=section.flag("exact", False),
            departure_known=section.flag("departure_known", False),
            full_reads_zero=section.flag("full_reads_zero", False),
            margin_follows_spikes=section.flag("margin_follows_spikes", False),
            meter_outages=outages,
            restarts_s=restarts,
        )
    except ValueError as err:
        raise ScenarioError(f"{section.source}: {section.where}: {err}") from None
    section.finish()
    return timing


def _outage(section: Section) -> tuple[float, float]:
    outage = (
        section.number("start_s", minimum=0.0),
        section.number("seconds", positive=True),
    )
    section.finish()
    return outage


def _strategies(root: Section) -> tuple[str, ...]:
    if not root.has("strategies"):
        root.raw("strategies")
        return DEFAULT_STRATEGIES
    names = root.items("strategies")
    for name in names:
        if name not in STRATEGIES:
            raise root.error(
                "strategies", f"{name!r} is not one of {', '.join(STRATEGIES)}"
            )
    return tuple(str(name) for name in names)
