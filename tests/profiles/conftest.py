"""A site with a building meter, stand-in charger integrations, and the flow."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant import config_entries
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.ev_load_balancer.const import DOMAIN

from .physics import METER, Building
from .standin import STANDIN_DOMAINS

FUSE_A = 40.0
MARGIN_A = 2.0
USABLE_A = FUSE_A - MARGIN_A


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let the harness load custom_components/."""


@pytest.fixture(autouse=True)
def restore_flow_handlers() -> Iterator[None]:
    """Stand-ins register a flow handler for their domain; forget them after."""
    yield
    for domain in STANDIN_DOMAINS:
        config_entries.HANDLERS.pop(domain, None)
    STANDIN_DOMAINS.clear()


@pytest.fixture
def building(hass: HomeAssistant) -> Building:
    return Building(hass)


async def async_site(
    hass: HomeAssistant, building: Building, **options: Any
) -> MockConfigEntry:
    """The site's entry, set up with no charger yet."""
    building.publish()
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Garage",
        unique_id=METER[0],
        data={
            "name": "Garage",
            "phases": 3,
            "fuse_current": FUSE_A,
            "nominal_voltage": 230,
            "meter_type": "sensors",
            "meter_entities": list(METER),
            "voltage_entities": [],
        },
        options={
            "safety_margin": MARGIN_A,
            "hold_time": 0,
            "stale_after": 10,
            **options,
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def async_add_charger(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    label: str,
    answers: dict[str, Any] | None = None,
) -> ConfigSubentry:
    """Add a found charger through the flow: pick it, accept every default."""
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "charger"), context={"source": "user"}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["device", "charger"]
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"next_step_id": "device"}
    )
    assert result["step_id"] == "device"
    options = result["data_schema"].schema["device"].config["options"]
    key = next(o["value"] for o in options if label in o["label"])
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"device": key}
    )
    assert result["step_id"] == "profile"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], answers or {}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    return next(sub for sub in entry.subentries.values() if sub.unique_id == key)


def our_entity(
    hass: HomeAssistant, entry: MockConfigEntry, charger_id: str, key: str
) -> str:
    """The entity id of one of our charger entities, by its unique id."""
    registry = er.async_get(hass)
    unique_id = f"{entry.unique_id}_{charger_id}_{key}"
    for domain in ("sensor", "binary_sensor", "switch", "number", "button"):
        if entity_id := registry.async_get_entity_id(domain, DOMAIN, unique_id):
            return entity_id
    raise AssertionError(f"no entity {unique_id}")


async def drain(hass: HomeAssistant) -> None:
    """Run until quiet: limit -> charger -> meter -> next round takes passes."""
    for _ in range(6):
        await hass.async_block_till_done()


async def settle(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    building: Building,
    seconds: float = 1.0,
    rounds: int = 4,
    *,
    fuse_a: float | None = USABLE_A,
) -> None:
    """Let time pass in steps; the meter reports at every step. After each
    step what flows stays within `fuse_a` (None: not checked)."""
    for _ in range(rounds):
        freezer.tick(seconds)
        building.publish()
        async_fire_time_changed(hass)
        await drain(hass)
        if fuse_a is not None:
            building.assert_within(fuse_a)
