"""A charger that takes no form of limit (NotImplemented to every profile):
stopped or set unavailable only while the fuse needs it, available again
when it allows, and a repair issue that names it and what was tried."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from ocpp.exceptions import NotImplementedError as OcppNotImplemented
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
from .site import connected, drain, ocpp_subentry, run_for, sent_profiles, site_entry

VERSIONS = pytest.mark.parametrize(
    "factory", [RecordingChargePointV16, RecordingChargePointV201]
)
DRAW_A = 16.0  # what its EV takes, limit or not (the charger's maximum)
STOPS = ("RemoteStopTransaction", "RequestStopTransaction")


# Seconds of rounds within which an overload stops an unlimitable EV.
STOP_WITHIN_S = 30


def _stops(charger: RecordingChargePoint) -> int:
    return sum(charger.recorder.actions().count(action) for action in STOPS)


def _availability(charger: RecordingChargePoint) -> list[str]:
    return [
        payload.get("type") or payload.get("operational_status")
        for action, payload in charger.recorder.calls
        if action == "ChangeAvailability"
    ]


async def _unlimitable_ev(hass: HomeAssistant, charger: RecordingChargePoint) -> str:
    charger.behaviour.profile_error = lambda call: OcppNotImplemented(
        description="smart charging is not implemented"
    )
    assert await boot(charger) == "Accepted"
    await ev.status(charger, plugged=True, charging=True)
    transaction = await ev.start(charger, "TAG-1", 1000.0)
    await ev.meter(charger, transaction, (DRAW_A,) * 3, 1100.0)
    await drain(hass)
    return transaction


@VERSIONS
async def test_stopped_only_while_the_fuse_needs_it(
    hass: HomeAssistant,
    setup_site: SetUpSite,
    freezer: FrozenDateTimeFactory,
    factory: type[RecordingChargePoint],
) -> None:
    entry = await setup_site(site_entry(ocpp_subentry("CP1", title="Bay 1")))
    issue_id = f"ocpp_cannot_limit_{entry.entry_id}_sub_CP1"
    async with connected(entry, "CP1", factory) as charger:
        await _unlimitable_ev(hass, charger)
        # 10 A of building + 16 A of EV fit the 38 A usable: no stop.
        await run_for(hass, freezer, 20, (10.0 + DRAW_A,) * 3)
        forms = {(p.connector, p.unit, p.purpose) for p in sent_profiles(charger)}
        assert {(1, "A", "TxDefaultProfile"), (0, "A", "TxDefaultProfile")} <= forms
        assert (1, "W", "TxDefaultProfile") in forms
        assert (1, "A", "TxProfile") in forms
        assert _stops(charger) == 0
        issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
        assert issue is not None
        assert issue.translation_placeholders["charger"] == "Bay 1"
        assert "TxDefaultProfile" in issue.translation_placeholders["tried"]

        # The building rises to 30 A: with its 16 A the fuse is over. Stop,
        # within a few rounds (the ladder's forms are answered over the socket).
        for _ in range(STOP_WITHIN_S):
            await run_for(hass, freezer, 1, (30.0 + DRAW_A,) * 3)
            if _stops(charger):
                break
        assert _stops(charger) == 1
        # The issue names the stop once the charger has answered it.
        for _ in range(STOP_WITHIN_S):
            await run_for(hass, freezer, 1, (30.0 + DRAW_A,) * 3)
            issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
            assert issue is not None
            if "Stop" in issue.translation_placeholders["tried"]:
                break
        assert "Stop" in issue.translation_placeholders["tried"]


@VERSIONS
async def test_without_stops_it_is_set_unavailable_and_back(
    hass: HomeAssistant,
    setup_site: SetUpSite,
    freezer: FrozenDateTimeFactory,
    factory: type[RecordingChargePoint],
) -> None:
    entry = await setup_site(
        site_entry(ocpp_subentry("CP1", title="Bay 1"), allow_stop=False)
    )
    async with connected(entry, "CP1", factory) as charger:
        transaction = await _unlimitable_ev(hass, charger)
        await run_for(hass, freezer, 10, (30.0 + DRAW_A,) * 3)
        assert _stops(charger) == 0
        assert _availability(charger) == ["Inoperative"]
        # It stops drawing; the building alone leaves room for its 16 A.
        await ev.meter(charger, transaction, (0.0,) * 3, 1200.0)
        await run_for(hass, freezer, 10, (10.0,) * 3)
        assert _availability(charger) == ["Inoperative", "Operative"]
