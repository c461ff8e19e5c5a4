"""Scenario files: the shipped ones load, bad ones fail with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from evlb_sim.offline.scenario import GarageSpec, NorwaySource, ScenarioError
from evlb_sim.offline.scenario_loader import (
    SCENARIO_DIR,
    load_scenario,
    parse_scenario,
)

SHIPPED = sorted(path.stem for path in SCENARIO_DIR.glob("*.yaml"))

MINIMAL = {
    "name": "tiny",
    "period": {"start": "2024-01-08T00:00", "days": 1},
    "site": {"fuse_a": 63, "margin_a": 3},
    "chargers": {"count": 2},
    "sessions": {"source": "synthetic"},
    "baseline": {"source": "constant", "amps": [10, 10, 10]},
}


def parse(data: object) -> object:
    return parse_scenario(data, source="test.yaml", base_dir=Path())


def with_change(path: str, value: object) -> dict[str, object]:
    """MINIMAL with one key (dotted path) set; None removes it."""
    data = yaml.safe_load(yaml.safe_dump(MINIMAL))
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node[key]
    if value is None:
        del node[last]
    else:
        node[last] = value
    return data  # type: ignore[no-any-return]


def test_the_headline_scenarios_are_shipped() -> None:
    assert {"63A-50ev", "100A-20ch", "100A-30ch", "100A-static-vs-dynamic"} <= set(
        SHIPPED
    )


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_scenarios_load(name: str) -> None:
    scenario = load_scenario(name)
    assert scenario.name == name
    assert scenario.days > 0


def test_63a_50ev_is_fifty_chargers_on_norway_data() -> None:
    scenario = load_scenario("63A-50ev")
    assert scenario.site.fuse_a == 63
    assert isinstance(scenario.chargers, GarageSpec)
    assert scenario.chargers.count == 50
    assert isinstance(scenario.sessions, NorwaySource)


def test_a_minimal_file_gets_defaults() -> None:
    scenario = parse(MINIMAL)
    assert scenario.strategies == (  # type: ignore[attr-defined]
        "no_control",
        "static",
        "fcfs",
        "ours",
        "departure",
        "optimum",
    )
    assert scenario.site.voltage_v == 230  # type: ignore[attr-defined]


def test_json_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "tiny.json"
    path.write_text(
        '{"name": "tiny", "period": {"start": "2024-01-08T00:00", '
        '"days": 1}, "site": {"fuse_a": 63}, "chargers": {"count": 1}, '
        '"sessions": {"source": "synthetic"}, '
        '"baseline": {"source": "constant", "amps": [1, 1, 1]}}'
    )
    assert load_scenario(path).name == "tiny"


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("site.fuse_a", None, r"site\.fuse_a: is missing"),
        ("site.fuse_a", "sixty", r"site\.fuse_a: must be a number, not 'sixty'"),
        ("site.fuse_a", -63, r"site\.fuse_a: must be positive"),
        ("site.margin_a", 70, r"site\.margin_a: leaves nothing of the fuse"),
        ("site.fuse", 63, r"site\.fuse: unknown key \(did you mean 'fuse_a'\?\)"),
        ("period.start", "31/01/2020", r"period\.start: must be a date and time"),
        ("chargers.count", 2.5, r"chargers\.count: must be a whole number"),
        ("chargers.phases", 2, r"chargers\.phases: chargers have 1 or 3 phases"),
        ("sessions.source", "csv", r"sessions\.source: must be one of norway"),
        ("baseline.amps", [1, 2], r"baseline\.amps: needs 3 numbers, got 2"),
        ("strategies", ["ours", "magic"], r"strategies: 'magic' is not one of"),
        ("control", {"balancer": {"hold": 3}}, r"control\.balancer\.hold: unknown key"),
        ("ev_model", {"taper_floor": 2}, r"ev_model: taper_floor is a fraction"),
        (
            "chargers",
            {"count": 2, "phases": 1, "phase_switching": True},
            r"chargers\.phase_switching: only 3-phase chargers switch",
        ),
        (
            "chargers",
            {"list": [{"id": "a", "wiring": ["L1"], "phase_switching": True}]},
            r"chargers\.list\[0\]\.phase_switching: a: only a 3-phase charger",
        ),
    ],
)
def test_bad_values_say_where_and_why(path: str, value: object, message: str) -> None:
    with pytest.raises(ScenarioError, match=rf"^test\.yaml: {message}"):
        parse(with_change(path, value))


def test_bad_spike_phases_are_named() -> None:
    data = with_change(
        "baseline",
        {
            "source": "apartments",
            "apartments": 4,
            "spikes": [{"phases": ["L4"], "amps": 5, "per_day": 1, "minutes": [1, 2]}],
        },
    )
    with pytest.raises(
        ScenarioError, match=r"baseline\.spikes\[0\]\.phases: phases are L1"
    ):
        parse(data)


def test_listed_sessions_need_a_departure_after_arrival() -> None:
    data = with_change(
        "sessions",
        {
            "source": "list",
            "list": [
                {
                    "charger": "cp001",
                    "arrival": "2024-01-08T18:00",
                    "departure": "2024-01-08T17:00",
                    "energy_kwh": 5,
                }
            ],
        },
    )
    with pytest.raises(
        ScenarioError, match=r"sessions\.list\[0\]\.departure: must come after"
    ):
        parse(data)


def test_a_file_that_is_not_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: [unclosed\n")
    with pytest.raises(ScenarioError, match="not valid YAML or JSON"):
        load_scenario(path)


def test_a_missing_file_is_refused() -> None:
    with pytest.raises(ScenarioError, match="no such file or shipped scenario"):
        load_scenario("no-such-scenario")


def test_the_top_level_must_be_a_mapping() -> None:
    with pytest.raises(ScenarioError, match="the file must be a mapping"):
        parse(["not", "a", "mapping"])


def test_switchable_chargers_and_the_fixed_phase_comparison() -> None:
    scenario = load_scenario("tight-evening-switching")
    chargers = scenario.chargers
    assert isinstance(chargers, tuple)
    assert all(c.phase_switching and c.phase_dwell_s == 300.0 for c in chargers)
    assert scenario.strategies == ("ours", "ours_fixed_phases", "optimum")
    # A scenario that names no strategies does not run the comparison.
    assert "ours_fixed_phases" not in parse(MINIMAL).strategies  # type: ignore[attr-defined]
    garage = parse(
        with_change("chargers", {"count": 3, "phase_switching": True})
    ).chargers  # type: ignore[attr-defined]
    assert isinstance(garage, GarageSpec)
    assert garage.phase_switching
