"""Every text the integration shows exists, in English and Swedish alike."""

from __future__ import annotations

from collections.abc import Iterator
import json
from pathlib import Path
import re
from typing import Any

import pytest
import yaml

from custom_components.ev_load_balancer import (
    binary_sensor,
    button,
    number,
    peak_sensor,
    select,
    sensor,
    switch,
)

COMPONENT = Path(__file__).parent.parent / "custom_components" / "ev_load_balancer"
STRINGS = json.loads((COMPONENT / "strings.json").read_text())
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def leaves(
    tree: dict[str, Any], path: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    for key, value in tree.items():
        if isinstance(value, dict):
            yield from leaves(value, (*path, key))
        else:
            yield (*path, key)


def lookup(tree: dict[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        tree = tree[key]
    return tree


def test_english_translation_is_strings_json() -> None:
    english = json.loads((COMPONENT / "translations" / "en.json").read_text())
    assert english == STRINGS, "run scripts/sync_translations.py"


def test_swedish_has_every_key_and_the_same_placeholders() -> None:
    swedish = json.loads((COMPONENT / "translations" / "sv.json").read_text())
    assert set(leaves(swedish)) == set(leaves(STRINGS))
    for path in leaves(STRINGS):
        english_text, swedish_text = lookup(STRINGS, path), lookup(swedish, path)
        assert set(PLACEHOLDER.findall(english_text)) == set(
            PLACEHOLDER.findall(swedish_text)
        ), ".".join(path)


def _descriptions() -> Iterator[tuple[str, Any]]:
    yield from (("sensor", d) for d in sensor.site_descriptions(3))
    yield from (("sensor", d) for d in sensor.charger_descriptions(3))
    yield from (("sensor", d) for d in peak_sensor.peak_descriptions("EUR", True))
    yield from (("binary_sensor", d) for d in binary_sensor.SITE_DESCRIPTIONS)
    yield from (("binary_sensor", d) for d in binary_sensor.CHARGER_DESCRIPTIONS)
    yield "number", number.PRIORITY
    yield "select", select.STRATEGY
    yield "switch", switch.BALANCING
    yield "switch", switch.INCLUDED
    yield "button", button.BOOST


@pytest.mark.parametrize(("platform", "description"), list(_descriptions()))
def test_every_entity_has_a_name_and_its_states(
    platform: str, description: Any
) -> None:
    entry = STRINGS["entity"][platform][description.translation_key]
    assert entry["name"]
    for option in getattr(description, "options", None) or ():
        assert entry["state"][option], f"{description.key}: state {option}"


def test_every_service_and_field_is_described() -> None:
    services = yaml.safe_load((COMPONENT / "services.yaml").read_text())
    for service, spec in services.items():
        text = STRINGS["services"][service]
        assert text["name"]
        assert text["description"]
        for field in spec.get("fields", {}):
            assert text["fields"][field]["name"]
            assert text["fields"][field]["description"]


def test_every_translation_key_in_the_code_exists() -> None:
    used = set()
    for path in COMPONENT.rglob("*.py"):
        used |= set(re.findall(r'translation_key="(\w+)"', path.read_text()))
    known = (
        set(STRINGS.get("exceptions", {}))
        | set(STRINGS.get("issues", {}))
        | set(STRINGS.get("selector", {}))
        | {key for platform in STRINGS["entity"].values() for key in platform}
    )
    assert used <= known, f"missing: {sorted(used - known)}"


def test_every_issue_raised_has_a_text() -> None:
    source = (COMPONENT / "alerts.py").read_text()
    for key in re.findall(r'ISSUE_\w+ = "(\w+)"', source):
        assert STRINGS["issues"][key]["title"]
        assert STRINGS["issues"][key]["description"]


def _steps() -> Iterator[tuple[str, dict[str, Any]]]:
    for section in ("config", "options"):
        for name, step in STRINGS[section]["step"].items():
            yield f"{section}.{name}", step
    for kind, flow in STRINGS["config_subentries"].items():
        for name, step in flow["step"].items():
            yield f"config_subentries.{kind}.{name}", step


@pytest.mark.parametrize(("name", "step"), list(_steps()))
def test_every_field_has_a_description(name: str, step: dict[str, Any]) -> None:
    assert set(step.get("data", {})) == set(step.get("data_description", {})), name
