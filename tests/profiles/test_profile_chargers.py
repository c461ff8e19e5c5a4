"""Each profiled integration: pick the charger in the flow, nothing else, and it works.

For every brand a stand-in integration with the real one's registry shapes
is set up, the charger is added by picking it (every other field keeps its
default), and the real loop then gives it current through the brand's own
control, pauses it when the building needs the fuse and resumes it after.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.ev_load_balancer.const import EVENT_CHARGER_PAUSED

from .conftest import async_add_charger, async_site, our_entity, settle
from .physics import Building, StandInCharger
from .standin import StandIn
from .standins.alfen import alfen
from .standins.easee import easee
from .standins.goe import goe
from .standins.keba import keba
from .standins.ocpp import ocpp
from .standins.peblar import peblar
from .standins.tesla import tesla
from .standins.wallbox import wallbox
from .standins.zaptec import zaptec


@dataclass(frozen=True)
class Brand:
    label: str  # in the flow's list of found chargers
    build: Callable[[HomeAssistant, Building, StandInCharger], StandIn]
    # The charger's own limit (what the brand was told) after the loop ran.
    told: Callable[[StandIn, StandInCharger], float]
    # Its own limit before: a Zaptec charger's is its maximum, not ours.
    initial_a: float = 10.0


def _own(_standin: StandIn, charger: StandInCharger) -> float:
    return charger.limit_a


def _installation(standin: StandIn, _charger: StandInCharger) -> float:
    return max(standin.model.limit)


BRANDS = {
    "easee": Brand("(Easee)", lambda h, b, c: easee(h, b, [c]), _own),
    "zaptec": Brand("(Zaptec)", lambda h, b, c: zaptec(h, b, [c]), _installation, 32.0),
    "goe": Brand("(go-e)", goe, _own),
    "wallbox": Brand("(Wallbox)", wallbox, _own),
    "ocpp": Brand("(OCPP", ocpp, _own),
    "keba": Brand("(KEBA)", keba, _own),
    "peblar": Brand("(Peblar)", peblar, _own),
    "alfen": Brand("(Alfen)", alfen, _own),
}


async def _added(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    building: Building,
    brand: Brand,
    charger: StandInCharger,
) -> tuple[StandIn, str, object]:
    standin = brand.build(hass, building, building.add(charger))
    await standin.async_setup(hass)
    entry = await async_site(hass, building)
    subentry = await async_add_charger(hass, entry, brand.label)
    # Entities the profile enabled appear once their integration reloaded.
    await settle(hass, freezer, building, seconds=31, rounds=1)
    await settle(hass, freezer, building, seconds=5, rounds=6)
    return standin, subentry.subentry_id, entry


@pytest.mark.parametrize("brand_key", sorted(BRANDS))
async def test_a_picked_charger_is_balanced_through_its_integration(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    building: Building,
    brand_key: str,
) -> None:
    brand = BRANDS[brand_key]
    charger = StandInCharger("k1", limit_a=brand.initial_a)
    # Chargers that report power only are credited on L1 alone (their EV may
    # be single-phase): the rest stays in the baseline; 5 A leave room for it.
    building.baseline_a = [5.0, 5.0, 5.0]
    standin, charger_id, entry = await _added(hass, freezer, building, brand, charger)

    # 40 A fuse - 2 A margin - 5 A building: its 16 A maximum fits.
    assert brand.told(standin, charger) == 16.0
    assert charger.draw() == (16.0, 16.0, 16.0)
    state = hass.states.get(our_entity(hass, entry, charger_id, "state"))
    assert state.state == "charging"
    reason = hass.states.get(our_entity(hass, entry, charger_id, "reason"))
    assert reason.state in ("max_current", "fair_share")
    power = hass.states.get(our_entity(hass, entry, charger_id, "power"))
    assert float(power.state) == pytest.approx(16 * 3 * 230, rel=0.01)

    # A sauna on L1: 33 A. The charger cannot have 6 A on L1: it is paused
    # through its own control and draws nothing; the fuse holds throughout.
    building.baseline_a = [33.0, 10.0, 10.0]
    await settle(hass, freezer, building, seconds=2, rounds=3)
    assert charger.draw() == (0.0, 0.0, 0.0)
    reason = hass.states.get(our_entity(hass, entry, charger_id, "reason"))
    assert reason.state.startswith("paused")

    # Back up in steps of at most 4 A, as often as the brand allows (Zaptec:
    # one change per 15 minutes, so 6, 10, 14, 16 A take three quarters).
    building.baseline_a = [5.0, 5.0, 5.0]
    await settle(hass, freezer, building, seconds=60, rounds=50)
    assert charger.draw() == (16.0, 16.0, 16.0)
    state = hass.states.get(our_entity(hass, entry, charger_id, "state"))
    assert state.state == "charging"


async def test_a_tesla_wall_connector_is_shown_and_its_draw_counted(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, building: Building
) -> None:
    charger = StandInCharger("k1", limit_a=16.0)
    brand = Brand("(Tesla Wall Connector)", tesla, _own)
    _standin, charger_id, entry = await _added(hass, freezer, building, brand, charger)

    state = hass.states.get(our_entity(hass, entry, charger_id, "state"))
    assert state.state == "charging"
    reason = hass.states.get(our_entity(hass, entry, charger_id, "reason"))
    assert reason.state == "not_controlled"
    power = hass.states.get(our_entity(hass, entry, charger_id, "power"))
    assert float(power.state) == pytest.approx(16 * 3 * 230, rel=0.01)
    # Its 16 A are the building's: 38 - 10 - 16 A left for others.
    assert hass.states.get("sensor.garage_available_current_l1").state == "12.0"
    unresponsive = hass.states.get(our_entity(hass, entry, charger_id, "unresponsive"))
    ignores = hass.states.get(our_entity(hass, entry, charger_id, "ignores_limit"))
    assert (unresponsive.state, ignores.state) == ("off", "off")

    # Full, then charging again (the car's own schedule): never "paused" by
    # us, since we never tell it anything.
    paused = async_capture_events(hass, EVENT_CHARGER_PAUSED)
    assert charger.ev is not None
    charger.ev.full = True
    await settle(hass, freezer, building, seconds=5, rounds=4)
    charger.ev.full = False
    await settle(hass, freezer, building, seconds=5, rounds=4)
    state = hass.states.get(our_entity(hass, entry, charger_id, "state"))
    assert state.state == "charging"
    assert paused == []
