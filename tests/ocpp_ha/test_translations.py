"""Every OCPP text exists in English and Swedish, with the same keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from custom_components.ev_load_balancer.ocpp_entities import (
    CONNECTED,
    CONNECTOR_STATUSES,
    OCPP_SENSORS,
)
from custom_components.ev_load_balancer.ocpp_issues import OCPP_FAILURE_ISSUES

COMPONENT = Path(__file__).parents[2] / "custom_components/ev_load_balancer"


def _load(name: str) -> dict[str, Any]:
    return json.loads((COMPONENT / name).read_text(encoding="utf-8"))


def _keys(tree: dict[str, Any], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for key, value in tree.items():
        keys.add(f"{prefix}/{key}")
        if isinstance(value, dict):
            keys |= _keys(value, f"{prefix}/{key}")
    return keys


def test_swedish_has_every_key_and_english_is_in_sync() -> None:
    strings = _load("strings.json")
    assert _load("translations/en.json") == strings
    assert _keys(_load("translations/sv.json")) == _keys(strings)


def test_ocpp_texts_exist() -> None:
    strings = _load("strings.json")
    issues = strings["issues"]
    for key in (*OCPP_FAILURE_ISSUES.values(), "ocpp_charger_waiting"):
        assert {"title", "description"} <= set(issues[key]), key
    assert "ocpp_server_failed" in issues
    sensors = strings["entity"]["sensor"]
    for description in OCPP_SENSORS:
        assert "name" in sensors[description.translation_key]
    states = sensors["connector_status"]["state"]
    assert set(states) == set(CONNECTOR_STATUSES.values())
    assert CONNECTED.translation_key in strings["entity"]["binary_sensor"]
    flow = strings["config_subentries"]["ocpp_charger"]
    for step in flow["step"].values():
        assert set(step["data"]) == set(step["data_description"])
    section = strings["options"]["step"]["init"]["sections"]["ocpp_server"]
    assert set(section["data"]) == set(section["data_description"])
