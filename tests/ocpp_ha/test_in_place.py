"""Adopting, changing or removing a charger leaves every other charger alone.

Chargers are real OCPP clients on real websockets. A reload would restart the
server: every socket closes, and chargers that end transactions on a lost
socket would end every session. None of that may happen. The clock is frozen:
what a new charger receives, it receives without a second passing.
"""

from __future__ import annotations

from contextlib import AsyncExitStack

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from ocpp.v16 import call as call16
from ocpp.v201 import call as call201
import pytest

from custom_components.ev_load_balancer.const import DOMAIN
from evlb_sim.live.ocpp_charge_points import (
    RecordingChargePoint,
    RecordingChargePointV16,
    RecordingChargePointV201,
)
from tests.ocpp_cs.conftest import boot

from . import ev_messages as ev
from .conftest import SetUpSite
from .site import (
    advance,
    connected,
    drain,
    failsafe_becomes,
    ocpp_subentry,
    sent_profiles,
    site_entry,
    state_becomes,
)

VERSIONS = pytest.mark.parametrize(
    "factory", [RecordingChargePointV16, RecordingChargePointV201]
)
QUIET = (5.0, 5.0, 5.0)
FUSE_A = 63.0
RUNNING = ("CP1", "CP2", "CP3")


async def _alive(charger: RecordingChargePoint) -> None:
    """The charger's own socket still carries a CALL and its answer."""
    if isinstance(charger, RecordingChargePointV16):
        await charger.call(call16.Heartbeat())
    else:
        await charger.call(call201.Heartbeat())


async def _charging(
    hass: HomeAssistant, charger: RecordingChargePoint, index: int
) -> str:
    assert await boot(charger) == "Accepted"
    await ev.status(charger, plugged=True, charging=True)
    transaction = await ev.start(charger, f"TAG-{index}", 1000.0 * index)
    await ev.meter(charger, transaction, (8.0, 8.0, 8.0), 1000.0 * index + 50)
    await drain(hass)
    return transaction


async def _adopt(hass: HomeAssistant, entry_id: str, charge_point_id: str) -> None:
    result = await hass.config_entries.subentries.async_init(
        (entry_id, "ocpp_charger"), context={"source": "user"}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"pending_charger": charge_point_id}
    )
    assert result["step_id"] == "charger"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            "name": "Newcomer",
            "connection": "three_phase_l1l2l3",
            "min_current": 6,
            "max_current": 16,
            "priority": 5,
            "failsafe_current": 6,
            "password": "",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


def _open_sessions(entry_id: str, hass: HomeAssistant) -> set[str]:
    entry = hass.config_entries.async_get_entry(entry_id)
    assert entry is not None
    return {
        record.charger_id
        for record in entry.runtime_data.ocpp.sessions.records
        if record.stopped_at is None
    }


@VERSIONS
async def test_adopting_one_more_leaves_every_other_connection_and_session(
    hass: HomeAssistant,
    setup_site: SetUpSite,
    freezer: FrozenDateTimeFactory,
    factory: type[RecordingChargePoint],
) -> None:
    entry = await setup_site(
        site_entry(*(ocpp_subentry(cp) for cp in RUNNING), fuse_a=FUSE_A)
    )
    coordinator = entry.runtime_data.coordinator
    async with AsyncExitStack() as stack:
        # The others speak both versions; the newcomer the one under test.
        others = [
            await stack.enter_async_context(
                connected(
                    entry,
                    cp,
                    RecordingChargePointV16 if i % 2 else RecordingChargePointV201,
                )
            )
            for i, cp in enumerate(RUNNING)
        ]
        for index, charger in enumerate(others, start=1):
            await _charging(hass, charger, index)
        await advance(hass, freezer, 1, QUIET)
        assert _open_sessions(entry.entry_id, hass) == set(RUNNING)
        setups_before = [c.recorder.actions().count("GetConfiguration") for c in others]
        setups_before_201 = [c.recorder.actions().count("GetVariables") for c in others]

        newcomer = await stack.enter_async_context(connected(entry, "CP9", factory))
        assert await boot(newcomer) == "Pending"
        await _adopt(hass, entry.entry_id, "CP9")
        # Asked to boot again, it is accepted and set up on the same socket.
        await newcomer.recorder.next("TriggerMessage")
        assert await boot(newcomer) == "Accepted"
        await newcomer.recorder.next("SetChargingProfile")  # the failsafe
        await ev.status(newcomer, plugged=True)
        # Within a second (one meter reading), it holds the balancer's limit.
        await advance(hass, freezer, 1, QUIET)
        await newcomer.recorder.next("SetChargingProfile")
        levels = [(p.stack_level, p.connector) for p in sent_profiles(newcomer)]
        assert levels == [(0, 0), (1, 1)]
        # Nobody else noticed: the same sockets, no new setup, sessions open.
        for charger in others:
            await _alive(charger)
        assert [
            c.recorder.actions().count("GetConfiguration") for c in others
        ] == setups_before
        assert [
            c.recorder.actions().count("GetVariables") for c in others
        ] == setups_before_201
        assert _open_sessions(entry.entry_id, hass) == set(RUNNING)
        assert entry.runtime_data.coordinator is coordinator  # no reload
        await state_becomes(hass, "sensor.newcomer_state", "connected")
        await state_becomes(hass, "binary_sensor.newcomer_connected", "on")
        await state_becomes(hass, "sensor.cp1_state", "charging")


@VERSIONS
async def test_changing_and_removing_a_charger_leave_the_others_alone(
    hass: HomeAssistant,
    setup_site: SetUpSite,
    freezer: FrozenDateTimeFactory,
    factory: type[RecordingChargePoint],
) -> None:
    entry = await setup_site(
        site_entry(ocpp_subentry("CP1"), ocpp_subentry("CP2"), fuse_a=FUSE_A)
    )
    async with (
        connected(entry, "CP1", factory) as first,
        connected(entry, "CP2", factory) as second,
    ):
        await _charging(hass, first, 1)
        await _charging(hass, second, 2)
        await advance(hass, freezer, 1, QUIET)

        # A new failsafe current reaches the charger on its live socket.
        subentry: ConfigSubentry = entry.subentries["sub_CP1"]
        assert hass.config_entries.async_update_subentry(
            entry,
            subentry,
            title="Bay One",
            data={**subentry.data, "failsafe_current": 8, "max_current": 10},
        )
        await failsafe_becomes(first, 8.0)
        await _alive(first)
        await advance(hass, freezer, 1, QUIET)
        # Entity ids stay; the device takes the new name.
        await state_becomes(hass, "sensor.cp1_allocated_limit", "10.0")
        device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, "sub_CP1")})
        assert device is not None
        assert device.name == "Bay One"

        # Removing the first one clears it and leaves the second charging.
        assert hass.config_entries.async_remove_subentry(entry, "sub_CP1")
        await drain(hass)
        assert first.recorder.pending("ClearChargingProfile") >= 3
        await _alive(second)
        assert "CP2" in _open_sessions(entry.entry_id, hass)
        assert hass.states.get("sensor.cp1_allocated_limit") is None
        await advance(hass, freezer, 1, QUIET)
        await state_becomes(hass, "sensor.cp2_state", "charging")


async def test_an_entity_charger_joins_without_disturbing_ocpp_chargers(
    hass: HomeAssistant,
    setup_site: SetUpSite,
    freezer: FrozenDateTimeFactory,
) -> None:
    assert await async_setup_component(
        hass,
        "input_number",
        {"input_number": {"bay_2_limit": {"min": 0, "max": 32, "step": 1}}},
    )
    entry = await setup_site(site_entry(ocpp_subentry("CP1"), fuse_a=FUSE_A))
    async with connected(entry, "CP1", RecordingChargePointV201) as charger:
        await _charging(hass, charger, 1)
        await advance(hass, freezer, 1, QUIET)
        hass.config_entries.async_add_subentry(
            entry,
            ConfigSubentry(
                data={
                    "connection": "single_phase_l2",
                    "min_current": 6,
                    "max_current": 16,
                    "priority": 5,
                    "control": "number",
                    "current_entity": "input_number.bay_2_limit",
                },
                subentry_type="charger",
                title="Bay 2",
                unique_id="input_number.bay_2_limit",
            ),
        )
        await drain(hass)
        await advance(hass, freezer, 1, QUIET)
        await state_becomes(hass, "sensor.bay_2_allocated_limit", lambda s: s != "")
        await _alive(charger)
        assert _open_sessions(entry.entry_id, hass) == {"CP1"}
