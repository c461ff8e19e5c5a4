"""A status word nobody knows: 'may be charging', and one repair issue naming it."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from custom_components.ev_load_balancer.const import DOMAIN

from .conftest import async_add_charger, async_site, our_entity, settle
from .physics import Building, StandInCharger
from .standins.wallbox import wallbox


async def test_an_unknown_word_reserves_current_shows_and_is_raised_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, building: Building
) -> None:
    building.baseline_a = [5.0, 5.0, 5.0]
    charger = building.add(StandInCharger("k1"))
    standin = wallbox(hass, building, charger)
    await standin.async_setup(hass)
    entry = await async_site(hass, building)
    sub = await async_add_charger(hass, entry, "(Wallbox)")
    await settle(hass, freezer, building, seconds=5, rounds=6)
    state_entity = our_entity(hass, entry, sub.subentry_id, "state")
    assert hass.states.get(state_entity).state == "charging"

    # A firmware update brings a word the profile does not know.
    standin.model["override"] = "Waiting for grid code"
    await settle(hass, freezer, building, seconds=5, rounds=6)
    assert hass.states.get(state_entity).state == "may_be_charging"
    # Its current stays reserved: it keeps its limit and keeps charging.
    limit = hass.states.get(our_entity(hass, entry, sub.subentry_id, "limit"))
    assert float(limit.state) >= 6
    assert max(charger.draw()) >= 6
    issues = [
        issue
        for (domain, _), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN and issue.translation_key == "unknown_status_word"
    ]
    assert len(issues) == 1
    assert issues[0].translation_placeholders["word"] == "Waiting for grid code"
    assert issues[0].translation_placeholders["integration"] == "Wallbox"

    # Seen again and again: still one issue. A known word again: shown as such.
    await settle(hass, freezer, building, seconds=5, rounds=4)
    standin.model["override"] = None
    await settle(hass, freezer, building, seconds=5, rounds=2)
    assert hass.states.get(state_entity).state == "charging"
    assert (
        sum(
            issue.translation_key == "unknown_status_word"
            for issue in ir.async_get(hass).issues.values()
        )
        == 1
    )
