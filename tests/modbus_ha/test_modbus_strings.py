"""Every Modbus field, option, error and sensor has its text, in both languages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import voluptuous as vol

from custom_components.ev_load_balancer.meter.modbus_config import MODEL_CHOICES
from custom_components.ev_load_balancer.meter.modbus_probe import ProbeError
from custom_components.ev_load_balancer.meter_sensor import ALL_KEYS
from custom_components.ev_load_balancer.modbus_entry import PARITIES
from custom_components.ev_load_balancer.modbus_flow_forms import (
    generic_schema,
    serial_schema,
    tcp_schema,
)

COMPONENT = Path(__file__).parents[2] / "custom_components/ev_load_balancer"
LANGUAGES = ["strings.json", "translations/en.json", "translations/sv.json"]
FORMS = {
    "modbus_tcp": tcp_schema({}),
    "modbus_serial": serial_schema({}),
    "modbus_generic": generic_schema(3, None),
}
MENUS = {
    "meter_source": {"meter", "modbus_tcp", "modbus_serial"},
    "modbus_confirm": {"modbus_save", "modbus_tcp", "modbus_serial"},
}
ERRORS = {
    *(error.value for error in ProbeError),
    "invalid_setting",
    "invalid_register_map",
    "meter_phases",
}


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((COMPONENT / name).read_text(encoding="utf-8"))
    return data


def fields(schema: vol.Schema) -> set[str]:
    return {str(key) for key in schema.schema}


@pytest.mark.parametrize("name", LANGUAGES)
def test_every_modbus_text_is_there(name: str) -> None:
    strings = load(name)
    steps = strings["config"]["step"]
    for step_id, schema in FORMS.items():
        assert set(steps[step_id]["data"]) == fields(schema), step_id
        assert set(steps[step_id]["data_description"]) == fields(schema), step_id
        assert steps[step_id]["title"]
    for step_id, options in MENUS.items():
        assert set(steps[step_id]["menu_options"]) == options, step_id
    for placeholder in ("{meter}", "{current}", "{voltage}", "{power}", "{energy}"):
        assert placeholder in steps["modbus_confirm"]["description"]
    errors = strings["config"]["error"]
    assert set(errors) >= ERRORS
    assert all("{detail}" in errors[key] for key in ERRORS)
    assert "already_in_progress" in strings["config"]["abort"]
    selectors = strings["selector"]
    assert set(selectors["meter_model"]["options"]) == set(MODEL_CHOICES)
    assert set(selectors["parity"]["options"]) == set(PARITIES)
    sensors = strings["entity"]["sensor"]
    assert all(sensors[key]["name"] for key in ALL_KEYS)
    assert "{detail}" in strings["exceptions"]["invalid_modbus_meter"]["message"]


def test_swedish_is_translated_not_copied() -> None:
    english = load("strings.json")["config"]["step"]
    swedish = load("translations/sv.json")["config"]["step"]
    for step_id in (*FORMS, *MENUS):
        assert swedish[step_id]["description"] != english[step_id]["description"]
        assert swedish[step_id]["title"] != english[step_id]["title"]


def test_english_translation_is_in_sync() -> None:
    assert load("strings.json") == load("translations/en.json")
