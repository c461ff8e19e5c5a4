"""A charger's entities are written when what they show changes, not at
every round: rounds run on every meter sample and charger message, and a
garage of many chargers has thousands of these entities.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AsyncExitStack
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
import pytest

from evlb_sim.live.ocpp_charge_points import (
    RecordingChargePoint,
    RecordingChargePointV16,
    RecordingChargePointV201,
)
from tests.ocpp_cs.conftest import boot

from . import ev_messages as ev
from .conftest import SetUpSite
from .site import advance, connected, ocpp_subentry, site_entry, state_becomes

QUIET = (5.0, 5.0, 5.0)


def _charger_entities(hass: HomeAssistant, entry_id: str, subentry_id: str) -> set[str]:
    return {
        registered.entity_id
        for registered in er.async_entries_for_config_entry(
            er.async_get(hass), entry_id
        )
        if registered.config_subentry_id == subentry_id
        and registered.disabled_by is None
    }


@pytest.mark.parametrize("factory", [RecordingChargePointV16, RecordingChargePointV201])
async def test_rounds_that_change_nothing_write_no_charger_entity(
    hass: HomeAssistant,
    setup_site: SetUpSite,
    freezer: FrozenDateTimeFactory,
    factory: type[RecordingChargePoint],
) -> None:
    entry = await setup_site(site_entry(ocpp_subentry("CP1"), ocpp_subentry("CP2")))
    watched = _charger_entities(hass, entry.entry_id, "sub_CP1") | (
        _charger_entities(hass, entry.entry_id, "sub_CP2")
    )
    assert len(watched) > 10
    written: list[tuple[str, str]] = []

    @callback
    def ours(data: Mapping[str, Any]) -> bool:
        return data["entity_id"] in watched

    @callback
    def record(event: Event[Any]) -> None:
        written.append((event.event_type, event.data["entity_id"]))

    async with AsyncExitStack() as stack:
        first, second = [
            await stack.enter_async_context(connected(entry, cp, factory))
            for cp in ("CP1", "CP2")
        ]
        for charger in (first, second):
            assert await boot(charger) == "Accepted"
            await ev.status(charger, plugged=False)
        await advance(hass, freezer, 1, QUIET)
        await state_becomes(hass, "binary_sensor.cp2_connected", "on")
        await state_becomes(hass, "sensor.cp2_state", "no_ev")
        await advance(hass, freezer, 1, QUIET)
        unsubscribe = [
            hass.bus.async_listen(event_type, record, event_filter=ours)
            for event_type in (EVENT_STATE_CHANGED, EVENT_STATE_REPORTED)
        ]
        try:
            # Five rounds on the same picture: nothing to write.
            for _ in range(5):
                await advance(hass, freezer, 1, QUIET)
            assert written == []
            # An EV arrives at CP2: what changed is written, CP1 stays quiet.
            await ev.status(second, plugged=True)
            await advance(hass, freezer, 1, QUIET)
            await state_becomes(hass, "sensor.cp2_state", "connected")
        finally:
            for remove in unsubscribe:
                remove()
    assert (EVENT_STATE_CHANGED, "sensor.cp2_state") in written
    assert not [
        entity_id
        for _, entity_id in written
        if entity_id.startswith(("sensor.cp1_", "binary_sensor.cp1_"))
    ]
