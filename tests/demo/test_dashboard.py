"""The demo's dashboard, from the entities the registries list."""

from __future__ import annotations

from typing import Any

import pytest

from evlb_sim.demo.dashboard import (
    DeviceEntities,
    SavedDashboard,
    SiteEntities,
    find_entities,
    lovelace_config,
    save_dashboard,
)
from evlb_sim.demo.energy import energy_preferences
from evlb_sim.demo.ha_api import HaCommandError

SITE = DeviceEntities(
    "Main fuse",
    {
        **{
            f"site_current_l{n}": f"sensor.main_fuse_site_current_l{n}"
            for n in (1, 2, 3)
        },
        "usable_current": "sensor.main_fuse_usable_current",
        "queued_count": "sensor.main_fuse_queued_evs",
        "ev_power": "sensor.main_fuse_ev_power",
    },
)


def _charger(number: int) -> DeviceEntities:
    prefix = f"sensor.cp{number:03d}"
    return DeviceEntities(
        f"CP{number:03d}",
        {
            "state": f"{prefix}_state",
            "limit": f"{prefix}_allocated_limit",
            "power": f"{prefix}_power",
            "queue_position": f"{prefix}_queue_position",
        },
    )


def _cards(config: dict[str, Any]) -> list[dict[str, Any]]:
    return list(config["views"][0]["cards"])


def test_the_site_card_first_then_the_history_and_named_rows() -> None:
    site = DeviceEntities(
        SITE.name, SITE.entities, {"ev_power": "EV power", "queued_count": "Queued EVs"}
    )
    config = lovelace_config(
        SiteEntities(site, [_charger(n) for n in (1, 2)]), entry_id="E"
    )
    cards = _cards(config)
    assert cards[0] == {"type": "custom:ev-load-balancer-card", "entry_id": "E"}
    assert [row["entity"] for row in cards[1]["entities"]] == [
        *(f"sensor.main_fuse_site_current_l{n}" for n in (1, 2, 3)),
        "sensor.main_fuse_usable_current",
    ]
    # The rows say what they are, not the device's name again.
    assert cards[2]["entities"] == [
        {"entity": "sensor.main_fuse_ev_power", "name": "EV power"},
        {"entity": "sensor.main_fuse_queued_evs", "name": "Queued EVs"},
    ]


def test_the_energy_dashboard_has_the_grid_and_every_charger() -> None:
    site = DeviceEntities(
        SITE.name, {**SITE.entities, "meter_energy_import": "sensor.main_energy"}
    )
    chargers = [
        DeviceEntities(f"CP00{n}", {"energy": f"sensor.cp00{n}_energy"}) for n in (1, 2)
    ]
    preferences = energy_preferences(SiteEntities(site, chargers))
    [grid] = preferences["energy_sources"]
    assert grid["type"] == "grid"
    assert [flow["stat_energy_from"] for flow in grid["flow_from"]] == [
        "sensor.main_energy"
    ]
    assert preferences["device_consumption"] == [
        {"stat_consumption": "sensor.cp001_energy", "name": "CP001"},
        {"stat_consumption": "sensor.cp002_energy", "name": "CP002"},
    ]


def test_without_a_meter_energy_sensor_there_is_no_grid() -> None:
    with pytest.raises(LookupError):
        energy_preferences(SiteEntities(SITE, []))


class _Registries:
    def __init__(self, devices: list[dict[str, Any]], entities: list[dict[str, Any]]):
        self._answers = {
            "config/device_registry/list": devices,
            "config/entity_registry/list": entities,
        }

    async def call(self, command: str, **payload: Any) -> Any:
        return self._answers[command]


async def test_entities_are_found_by_device_and_translation_key() -> None:
    devices = [
        {
            "id": "d1",
            "name": "Main fuse",
            "config_entries": ["E"],
            "via_device_id": None,
        },
        {"id": "d3", "name": "CP002", "config_entries": ["E"], "via_device_id": "d1"},
        {
            "id": "d2",
            "name": "CP001",
            "name_by_user": None,
            "config_entries": ["E"],
            "via_device_id": "d1",
        },
        {
            "id": "x",
            "name": "Weather",
            "config_entries": ["other"],
            "via_device_id": None,
        },
    ]
    entities = [
        {
            "entity_id": "sensor.a",
            "device_id": "d1",
            "config_entry_id": "E",
            "translation_key": "ev_power",
            "has_entity_name": True,
            "original_name": "EV power",
        },
        {
            "entity_id": "sensor.b",
            "device_id": "d2",
            "config_entry_id": "E",
            "translation_key": "power",
        },
        {
            "entity_id": "sensor.c",
            "device_id": "d3",
            "config_entry_id": "E",
            "translation_key": "power",
        },
        {
            "entity_id": "sensor.w",
            "device_id": "x",
            "config_entry_id": "other",
            "translation_key": "power",
        },
    ]
    found = await find_entities(_Registries(devices, entities), "E")  # type: ignore[arg-type]
    assert found.site.entities == {"ev_power": "sensor.a"}
    assert found.site.names == {"ev_power": "EV power"}
    assert [(c.name, dict(c.entities)) for c in found.chargers] == [
        ("CP001", {"power": "sensor.b"}),
        ("CP002", {"power": "sensor.c"}),
    ]


class _Frontend:
    """Lovelace and frontend commands of one Home Assistant version."""

    def __init__(self, system_data: dict[str, Any] | None) -> None:
        self._system_data = system_data  # None: a version without the command
        self.sent: list[tuple[str, dict[str, Any]]] = []

    async def call(self, command: str, **payload: Any) -> Any:
        self.sent.append((command, payload))
        if command == "frontend/get_system_data":
            if self._system_data is None:
                raise HaCommandError(
                    command, {"code": "unknown_command", "message": "Unknown command."}
                )
            return {"value": self._system_data}
        return None


async def test_the_dashboard_becomes_every_users_default_panel() -> None:
    frontend = _Frontend({"sidebar": "kept"})
    saved = await save_dashboard(frontend, {"views": []})  # type: ignore[arg-type]
    assert saved == SavedDashboard("/ev-garage/garage", default=True)
    assert frontend.sent[-1] == (
        "frontend/set_system_data",
        {"key": "core", "value": {"sidebar": "kept", "default_panel": "ev-garage"}},
    )


async def test_without_system_wide_panels_the_dashboard_is_only_saved() -> None:
    # Home Assistant 2025.4: the default panel is each browser's own setting.
    frontend = _Frontend(None)
    saved = await save_dashboard(frontend, {"views": []})  # type: ignore[arg-type]
    assert saved == SavedDashboard("/ev-garage/garage", default=False)
    assert [command for command, _ in frontend.sent] == [
        "lovelace/dashboards/create",
        "lovelace/config/save",
        "frontend/get_system_data",
    ]


async def test_other_refusals_of_the_panel_setting_stop_the_demo() -> None:
    class _Refusing(_Frontend):
        async def call(self, command: str, **payload: Any) -> Any:
            if command == "frontend/get_system_data":
                raise HaCommandError(command, {"code": "unauthorized"})
            return await super().call(command, **payload)

    with pytest.raises(HaCommandError, match="unauthorized"):
        await save_dashboard(_Refusing({}), {"views": []})  # type: ignore[arg-type]
