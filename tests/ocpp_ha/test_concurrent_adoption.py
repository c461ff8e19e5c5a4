"""Chargers adopted side by side never over-commit the failsafe budget.

When Home Assistant goes away every OCPP charger falls back to its failsafe
current at once, so the failsafe currents together must fit the fuse. Here
many adoption flows run at the same time (as several browser tabs, or a
script on the REST API, would run them), each asking for the 6 A the form
offered while the budget was still free, each with a password (hashing it is
the flow's only wait). The chargers are real OCPP clients on websockets.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.ev_load_balancer.config_model import connection_wiring
from evlb_sim.live.ocpp_charge_points import (
    RecordingChargePoint,
    RecordingChargePointV16,
    RecordingChargePointV201,
)
from tests.ocpp_cs.conftest import boot
from tests.ocpp_cs.fake_chargers import basic_auth

from .conftest import SetUpSite
from .site import FUSE_A, MARGIN_A, connected, sent_profiles, site_entry

CHARGERS = tuple(f"CP{n}" for n in range(1, 9))
RESERVE_A = 20.0
BUDGET_A = FUSE_A - MARGIN_A - RESERVE_A  # 18 A: three chargers at 6 A
# In rotation, as an installer spreads single-phase chargers over the phases.
CONNECTIONS = ("three_phase_l1l2l3", "single_phase_l1", "single_phase_l2")


def _password(charge_point_id: str) -> str:
    return f"key of {charge_point_id}"


def _answers(index: int, charge_point_id: str) -> dict[str, Any]:
    return {
        "name": charge_point_id,
        "connection": CONNECTIONS[index % len(CONNECTIONS)],
        "min_current": 6,
        "max_current": 16,
        "priority": 5,
        "failsafe_current": 6,
        "password": _password(charge_point_id),
    }


async def _adopt(hass: HomeAssistant, entry_id: str, index: int) -> Any:
    """One user's adoption of a waiting charger, with the 6 A it was offered."""
    charge_point_id = CHARGERS[index]
    result = await hass.config_entries.subentries.async_init(
        (entry_id, "ocpp_charger"), context={"source": "user"}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"pending_charger": charge_point_id}
    )
    assert result["step_id"] == "charger"
    assert result["description_placeholders"]["offered"] == "6 A"
    return await hass.config_entries.subentries.async_configure(
        result["flow_id"], _answers(index, charge_point_id)
    )


def _failsafe_per_phase(subentries: Any) -> list[float]:
    used = [0.0, 0.0, 0.0]
    for subentry in subentries:
        for phase in connection_wiring(subentry.data["connection"]):
            used[phase] += float(subentry.data["failsafe_current"])
    return used


@pytest.mark.parametrize("factory", [RecordingChargePointV16, RecordingChargePointV201])
async def test_adoptions_side_by_side_never_over_commit_the_failsafe_budget(
    hass: HomeAssistant,
    setup_site: SetUpSite,
    factory: type[RecordingChargePoint],
) -> None:
    entry = await setup_site(site_entry(failsafe_reserve=RESERVE_A))
    async with AsyncExitStack() as waiting:
        for charge_point_id in CHARGERS:
            charger = await waiting.enter_async_context(
                connected(entry, charge_point_id, factory)
            )
            assert await boot(charger) == "Pending"
        results = await asyncio.gather(
            *(_adopt(hass, entry.entry_id, index) for index in range(len(CHARGERS)))
        )
        await hass.async_block_till_done()

    adopted = [r for r in results if r["type"] is FlowResultType.CREATE_ENTRY]
    refused = [r for r in results if r["type"] is FlowResultType.FORM]
    assert len(adopted) + len(refused) == len(CHARGERS)
    assert refused, "every flow was let through on a budget taken meanwhile"
    for result in refused:
        assert result["errors"] == {"failsafe_current": "failsafe_over_budget"}
    used = _failsafe_per_phase(entry.subentries.values())
    assert max(used) <= BUDGET_A + 1e-6, used
    # The budget is used, not left over: a 6 A charger more would not fit.
    assert max(used) > BUDGET_A - 6

    # Recovering: each refused flow takes what its form offers now.
    for form in refused:
        placeholders = form["description_placeholders"]
        offered = float(placeholders["offered"].split()[0])
        charge_point_id = placeholders["charge_point_id"]
        index = CHARGERS.index(charge_point_id)
        result = await hass.config_entries.subentries.async_configure(
            form["flow_id"],
            {**_answers(index, charge_point_id), "failsafe_current": offered},
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert len(entry.subentries) == len(CHARGERS)
    assert max(_failsafe_per_phase(entry.subentries.values())) <= BUDGET_A + 1e-6

    # What the chargers themselves hold once they log in with their keys.
    held = [0.0, 0.0, 0.0]
    async with AsyncExitStack() as online:
        for subentry in entry.subentries.values():
            charge_point_id = subentry.data["charge_point_id"]
            charger = await online.enter_async_context(
                connected(
                    entry,
                    charge_point_id,
                    factory,
                    headers=basic_auth(charge_point_id, _password(charge_point_id)),
                )
            )
            assert await boot(charger) == "Accepted"
            limit = await _failsafe_held(charger)
            assert limit == subentry.data["failsafe_current"]
            for phase in connection_wiring(subentry.data["connection"]):
                held[phase] += limit
    assert max(held) <= BUDGET_A + 1e-6, held


async def _failsafe_held(charger: RecordingChargePoint) -> float:
    """The limit of the failsafe profile (stack level 0, connector 0) it got."""
    while True:
        await charger.recorder.next("SetChargingProfile")
        newest = sent_profiles(charger)[-1]
        if (newest.stack_level, newest.connector) == (0, 0):
            return newest.limit
