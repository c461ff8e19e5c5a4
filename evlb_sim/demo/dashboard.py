"""The demo's dashboard: found entities in, a Lovelace configuration out.

The entities are looked up in Home Assistant's device and entity registries
(by the integration's translation keys, never by guessed entity ids). The
dashboard is created and filled through the Lovelace websocket commands, as
the dashboard editor does, and becomes the default panel (what every user
sees after logging in), as Settings > Dashboards sets it where Home Assistant
has that setting (2025.4 keeps it in each browser instead). Its first card is
the integration's own site card (per phase, the building and each charger
against the fuse; every charger's state, limit, power, reason and queue
place); rows carry the entity's own name, not the device's again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .ha_api import HaCommandError, WebSocketApi

DOMAIN = "ev_load_balancer"
CARD_TYPE = "custom:ev-load-balancer-card"
PHASES = ("l1", "l2", "l3")
SITE_ROWS = (
    "ev_power",
    "charging_count",
    "queued_count",
    "headroom",
    "meter_healthy",
    "overload",
    "failsafe",
    "strategy",
    "balancing",
)
URL_PATH = "ev-garage"
TITLE = "EV garage"


@dataclass(frozen=True, slots=True)
class DeviceEntities:
    """One device's entities by translation key (and their own names)."""

    name: str
    entities: Mapping[str, str]
    names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SavedDashboard:
    """Where the dashboard is, and whether users land on it after logging in."""

    path: str
    default: bool


@dataclass(frozen=True, slots=True)
class SiteEntities:
    """The site's device and its chargers' devices, in name order."""

    site: DeviceEntities
    chargers: Sequence[DeviceEntities]


async def find_entities(api: WebSocketApi, entry_id: str) -> SiteEntities:
    """The integration's devices and entities of one config entry."""
    devices = await api.call("config/device_registry/list")
    entities = await api.call("config/entity_registry/list")
    by_device: dict[str, dict[str, str]] = {}
    names: dict[str, dict[str, str]] = {}
    for entity in entities:
        key = entity.get("translation_key")
        if entity.get("config_entry_id") == entry_id and key and entity["device_id"]:
            by_device.setdefault(entity["device_id"], {})[key] = entity["entity_id"]
            if entity.get("has_entity_name") and entity.get("original_name"):
                names.setdefault(entity["device_id"], {})[key] = entity["original_name"]
    site: DeviceEntities | None = None
    chargers: list[DeviceEntities] = []
    for device in devices:
        if entry_id not in device.get("config_entries", ()):
            continue
        found = DeviceEntities(
            name=device.get("name_by_user") or device.get("name") or "",
            entities=by_device.get(device["id"], {}),
            names=names.get(device["id"], {}),
        )
        if device.get("via_device_id") is None:
            site = found
        else:
            chargers.append(found)
    if site is None:
        raise LookupError(f"no site device for config entry {entry_id}")
    chargers.sort(key=lambda charger: charger.name)
    return SiteEntities(site=site, chargers=chargers)


def lovelace_config(found: SiteEntities, *, entry_id: str) -> dict[str, Any]:
    """The whole dashboard."""
    cards: list[dict[str, Any]] = [
        {"type": CARD_TYPE, "entry_id": entry_id},
        _history(found.site),
        _entities_card("Site", found.site, SITE_ROWS),
    ]
    return {
        "title": TITLE,
        "views": [{"title": "Garage", "path": "garage", "cards": cards}],
    }


def _name(device: DeviceEntities, key: str) -> str:
    return device.names.get(key, key.replace("_", " ").capitalize())


def _history(site: DeviceEntities) -> dict[str, Any]:
    keys = [f"site_current_{phase}" for phase in PHASES] + ["usable_current"]
    return {
        "type": "history-graph",
        "title": "Load per phase against the fuse",
        "hours_to_show": 0.25,  # the demo's own minutes, not the empty hour before
        "entities": [
            {"entity": site.entities[key], "name": _name(site, key)}
            for key in keys
            if key in site.entities
        ],
    }


def _entities_card(
    title: str, device: DeviceEntities, rows: Sequence[str]
) -> dict[str, Any]:
    return {
        "type": "entities",
        "title": title,
        "state_color": True,
        "entities": [
            {"entity": device.entities[key], "name": _name(device, key)}
            for key in rows
            if key in device.entities
        ],
    }


async def save_dashboard(
    api: WebSocketApi, config: Mapping[str, Any]
) -> SavedDashboard:
    """Create the dashboard, fill it, make it the default where possible."""
    await api.call(
        "lovelace/dashboards/create",
        url_path=URL_PATH,
        title=TITLE,
        icon="mdi:ev-station",
        show_in_sidebar=True,
        require_admin=False,
    )
    await api.call("lovelace/config/save", url_path=URL_PATH, config=dict(config))
    path = f"/{URL_PATH}/garage"
    try:
        core = (await api.call("frontend/get_system_data", key="core")).get("value")
    except HaCommandError as err:
        if err.code != "unknown_command":
            raise
        return SavedDashboard(path, default=False)
    await api.call(
        "frontend/set_system_data",
        key="core",
        value={**(core or {}), "default_panel": URL_PATH},
    )
    return SavedDashboard(path, default=True)
