"""The demo's dashboard: found entities in, a Lovelace configuration out.

The entities are looked up in Home Assistant's device and entity registries
(by the integration's translation keys, never by guessed entity ids). The
dashboard is created and filled through the Lovelace websocket commands, as
the dashboard editor does, and becomes the default panel (what every user
sees after logging in), as Settings > Dashboards sets it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .ha_api import WebSocketApi

DOMAIN = "ev_load_balancer"
PHASES = ("l1", "l2", "l3")
# Per charger, in this order, whichever the integration provides.
CHARGER_ROWS = ("state", "limit", "power", "energy", "session_energy", "reason")
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
# Past this many chargers one table replaces the card per charger.
MAX_CHARGER_CARDS = 24
URL_PATH = "ev-garage"
TITLE = "EV garage"


@dataclass(frozen=True, slots=True)
class DeviceEntities:
    """One device's entities by translation key."""

    name: str
    entities: Mapping[str, str]


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
    for entity in entities:
        key = entity.get("translation_key")
        if entity.get("config_entry_id") == entry_id and key and entity["device_id"]:
            by_device.setdefault(entity["device_id"], {})[key] = entity["entity_id"]
    site: DeviceEntities | None = None
    chargers: list[DeviceEntities] = []
    for device in devices:
        if entry_id not in device.get("config_entries", ()):
            continue
        found = DeviceEntities(
            name=device.get("name_by_user") or device.get("name") or "",
            entities=by_device.get(device["id"], {}),
        )
        if device.get("via_device_id") is None:
            site = found
        else:
            chargers.append(found)
    if site is None:
        raise LookupError(f"no site device for config entry {entry_id}")
    chargers.sort(key=lambda charger: charger.name)
    return SiteEntities(site=site, chargers=chargers)


def lovelace_config(
    found: SiteEntities, *, fuse_a: float, margin_a: float
) -> dict[str, Any]:
    """The whole dashboard."""
    site = found.site.entities
    cards: list[dict[str, Any]] = [
        _fuse_gauges(site, fuse_a, margin_a),
        _history(site),
        _entities_card("Site", site, SITE_ROWS),
        _queue(found.chargers),
    ]
    if len(found.chargers) <= MAX_CHARGER_CARDS:
        cards += [
            _entities_card(charger.name, charger.entities, CHARGER_ROWS)
            for charger in found.chargers
        ]
    else:
        cards.append(_charger_table(found.chargers))
    return {
        "title": TITLE,
        "views": [{"title": "Garage", "path": "garage", "cards": cards}],
    }


def _fuse_gauges(
    site: Mapping[str, str], fuse_a: float, margin_a: float
) -> dict[str, Any]:
    usable = fuse_a - margin_a
    gauges = [
        {
            "type": "gauge",
            "entity": site[f"site_current_{phase}"],
            "name": phase.upper(),
            "min": 0,
            "max": fuse_a,
            "needle": True,
            "severity": {"green": 0, "yellow": round(0.85 * usable), "red": usable},
        }
        for phase in PHASES
        if f"site_current_{phase}" in site
    ]
    return {
        "type": "vertical-stack",
        "cards": [
            {
                "type": "markdown",
                "content": f"### Main fuse {fuse_a:g} A per phase\n"
                f"The building with its chargers; the balancer keeps "
                f"{margin_a:g} A spare.",
            },
            {"type": "horizontal-stack", "cards": gauges},
        ],
    }


def _history(site: Mapping[str, str]) -> dict[str, Any]:
    keys = [f"site_current_{phase}" for phase in PHASES] + ["usable_current"]
    return {
        "type": "history-graph",
        "title": "Load per phase against the fuse",
        "hours_to_show": 0.25,  # the demo's own minutes, not the empty hour before
        "entities": [site[key] for key in keys if key in site],
    }


def _entities_card(
    title: str, entities: Mapping[str, str], rows: Sequence[str]
) -> dict[str, Any]:
    return {
        "type": "entities",
        "title": title,
        "state_color": True,
        "entities": [entities[key] for key in rows if key in entities],
    }


def _queue(chargers: Sequence[DeviceEntities]) -> dict[str, Any]:
    positions = [
        (charger.name, charger.entities["queue_position"])
        for charger in chargers
        if "queue_position" in charger.entities
    ]
    pairs = ", ".join(f"({name!r}, {entity!r})" for name, entity in positions)
    content = (
        "{% set ns = namespace(rows=[]) %}"
        f"{{% for name, entity in [{pairs}] %}}"
        "{% set place = states(entity) | int(0) %}"
        "{% if place > 0 %}{% set ns.rows = ns.rows + [(place, name)] %}{% endif %}"
        "{% endfor %}"
        "{% for place, name in ns.rows | sort %}"
        "{{ place }}. {{ name }}\n"
        "{% else %}Nobody waits: every EV that wants energy gets some.{% endfor %}"
    )
    return {"type": "markdown", "title": "Queue", "content": content}


def _charger_table(chargers: Sequence[DeviceEntities]) -> dict[str, Any]:
    """One markdown table: name, state, limit, power, per charger."""
    lines = ["| Charger | State | Limit | Power |", "|---|---|---|---|"]
    for charger in chargers:
        cells = [
            f"{{{{ states('{charger.entities[key]}', with_unit=True) }}}}"
            if key in charger.entities
            else ""
            for key in ("state", "limit", "power")
        ]
        lines.append(f"| {charger.name} | " + " | ".join(cells) + " |")
    return {"type": "markdown", "title": "Chargers", "content": "\n".join(lines)}


async def save_dashboard(api: WebSocketApi, config: Mapping[str, Any]) -> str:
    """Create the dashboard, fill it, make it the default; returns its path."""
    await api.call(
        "lovelace/dashboards/create",
        url_path=URL_PATH,
        title=TITLE,
        icon="mdi:ev-station",
        show_in_sidebar=True,
        require_admin=False,
    )
    await api.call("lovelace/config/save", url_path=URL_PATH, config=dict(config))
    core = (await api.call("frontend/get_system_data", key="core")).get("value")
    await api.call(
        "frontend/set_system_data",
        key="core",
        value={**(core or {}), "default_panel": URL_PATH},
    )
    return f"/{URL_PATH}/garage"
