"""The demo's dashboard, from the entities the registries list."""

from __future__ import annotations

from typing import Any

from evlb_sim.demo.dashboard import (
    MAX_CHARGER_CARDS,
    DeviceEntities,
    SiteEntities,
    find_entities,
    lovelace_config,
)

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


def test_gauges_per_phase_against_the_fuse_and_a_card_per_charger() -> None:
    config = lovelace_config(
        SiteEntities(SITE, [_charger(n) for n in (1, 2)]), fuse_a=63, margin_a=4
    )
    cards = _cards(config)
    gauges = cards[0]["cards"][1]["cards"]
    assert [gauge["entity"] for gauge in gauges] == [
        f"sensor.main_fuse_site_current_l{n}" for n in (1, 2, 3)
    ]
    assert all(
        gauge["max"] == 63 and gauge["severity"]["red"] == 59 for gauge in gauges
    )
    assert "sensor.main_fuse_usable_current" in cards[1]["entities"]
    chargers = [card for card in cards if card.get("title", "").startswith("CP")]
    assert [card["title"] for card in chargers] == ["CP001", "CP002"]
    assert chargers[0]["entities"] == [
        "sensor.cp001_state",
        "sensor.cp001_allocated_limit",
        "sensor.cp001_power",
    ]
    queue = next(card for card in cards if card.get("title") == "Queue")
    assert "sensor.cp002_queue_position" in queue["content"]


def test_a_large_garage_gets_one_table() -> None:
    chargers = [_charger(n) for n in range(1, MAX_CHARGER_CARDS + 2)]
    cards = _cards(
        lovelace_config(SiteEntities(SITE, chargers), fuse_a=250, margin_a=5)
    )
    tables = [card for card in cards if card.get("title") == "Chargers"]
    assert len(tables) == 1
    assert tables[0]["content"].count("\n| CP") == MAX_CHARGER_CARDS + 1


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
    assert [(c.name, dict(c.entities)) for c in found.chargers] == [
        ("CP001", {"power": "sensor.b"}),
        ("CP002", {"power": "sensor.c"}),
    ]
