"""A charger that refuses its limits, or is away, is reported with its reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from ocpp.exceptions import NotSupportedError
import pytest

from custom_components.ev_load_balancer.const import DOMAIN
from evlb_sim.live.ocpp_charge_points import RecordingChargePointV16
from tests.ocpp_cs.conftest import boot

from . import ev_messages as ev
from .conftest import SetUpSite
from .site import connected, drain, ocpp_subentry, run_for, site_entry

QUIET = (10.0, 10.0, 10.0)
ISSUE = "charger_unresponsive_sub_CP1"


def _stack_level(call: dict[str, Any]) -> int:
    return int(call["cs_charging_profiles"]["stack_level"])


def _reject_limits(call: dict[str, Any]) -> str:
    """The failsafe (level 0) is taken; every limit above it is refused."""
    return "Rejected" if _stack_level(call) else "Accepted"


def _fail_limits(call: dict[str, Any]) -> str:
    if _stack_level(call):
        raise NotSupportedError("no smart charging here")
    return "Accepted"


@pytest.mark.parametrize(
    ("answer", "translation_key"),
    [
        (_reject_limits, "ocpp_profile_rejected"),
        (_fail_limits, "ocpp_call_error"),
    ],
)
async def test_refused_limits_raise_an_issue_with_the_reason(
    hass: HomeAssistant,
    setup_site: SetUpSite,
    freezer: FrozenDateTimeFactory,
    answer: Callable[[dict[str, Any]], str],
    translation_key: str,
) -> None:
    entry = await setup_site(site_entry(ocpp_subentry("CP1", title="Bay 1")))
    issues = ir.async_get(hass)
    async with connected(entry, "CP1", RecordingChargePointV16) as charger:
        charger.behaviour.profile_status = answer
        # Nor can it be paused by stopping its session: nothing works.
        charger.behaviour.remote_stop_status = "Rejected"
        assert await boot(charger) == "Accepted"
        await ev.status(charger, plugged=True)
        await ev.start(charger, "TAG-1", 0.0)  # a session: no deferring the limit
        await drain(hass)
        await run_for(hass, freezer, 30, QUIET, step_s=5)
        # Not trusted at once (its draw counts as building load), reported
        # only after a grace period: HA may be starting, the charger booting.
        assert hass.states.get("binary_sensor.bay_1_not_responding").state == "on"
        assert hass.states.get("sensor.bay_1_reason").state == "not_controlled"
        assert issues.async_get_issue(DOMAIN, ISSUE) is None
        await run_for(hass, freezer, 40, QUIET, step_s=5)
        issue = issues.async_get_issue(DOMAIN, ISSUE)
        assert issue is not None
        # The root cause, not the pause it was then refused as well.
        assert issue.translation_key == translation_key
        assert issue.translation_placeholders["charger"] == "Bay 1"
        assert issue.translation_placeholders["site"] == "Garage"

        # It takes limits again: the next retry succeeds and the issue goes.
        charger.behaviour.profile_status = lambda call: "Accepted"
        await run_for(hass, freezer, 70, QUIET, step_s=5)
        assert issues.async_get_issue(DOMAIN, ISSUE) is None
        assert hass.states.get("binary_sensor.bay_1_not_responding").state == "off"
        assert hass.states.get("sensor.bay_1_reason").state != "not_controlled"


async def test_a_charger_that_never_connects_is_reported(
    hass: HomeAssistant, setup_site: SetUpSite, freezer: FrozenDateTimeFactory
) -> None:
    await setup_site(site_entry(ocpp_subentry("CP1", title="Bay 1")))
    await run_for(hass, freezer, 70, QUIET, step_s=5)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, ISSUE)
    assert issue is not None
    assert issue.translation_key == "ocpp_not_connected"
    assert hass.states.get("binary_sensor.bay_1_connected").state == "off"
    assert hass.states.get("sensor.bay_1_allocated_limit").state == "0.0"
