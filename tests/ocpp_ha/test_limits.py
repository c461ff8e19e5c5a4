"""The balancer's limits reach OCPP chargers as charging profiles."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest

from evlb_sim.live.ocpp_charge_points import (
    RecordingChargePointV16,
    RecordingChargePointV201,
)
from tests.ocpp_cs.conftest import boot

from . import ev_messages as ev
from .conftest import SetUpSite
from .site import (
    Profile,
    advance,
    connected,
    drain,
    held_limit,
    ocpp_subentry,
    run_for,
    sent_profiles,
    site_entry,
)

VERSIONS = pytest.mark.parametrize(
    "factory", [RecordingChargePointV16, RecordingChargePointV201]
)
QUIET = (10.0, 10.0, 10.0)  # the building without EVs: 28 A left per phase


def _dynamic(limit: float, unit: str = "A") -> Profile:
    """The balancer's limit: stack level 1 above the failsafe, on connector 1."""
    return Profile(
        connector=1,
        stack_level=1,
        purpose="TxDefaultProfile",
        unit=unit,
        limit=limit,
        duration_s=180,  # validity 120 s + 60 s of clock slack
        transaction_id=None,
    )


@VERSIONS
async def test_limits_follow_the_building(
    hass: HomeAssistant,
    setup_site: SetUpSite,
    freezer: FrozenDateTimeFactory,
    factory: type[RecordingChargePointV16 | RecordingChargePointV201],
) -> None:
    entry = await setup_site(site_entry(ocpp_subentry("CP1", title="Bay 1")))
    async with connected(entry, "CP1", factory) as charger:
        assert await boot(charger) == "Accepted"
        await ev.status(charger, plugged=True)
        await drain(hass)
        await advance(hass, freezer, 1, QUIET)
        failsafe, *dynamic = sent_profiles(charger)
        assert (failsafe.connector, failsafe.stack_level, failsafe.limit) == (0, 0, 6)
        assert failsafe.duration_s is None  # permanent
        # Not one pause on the way: the first limit is the balancer's, the
        # minimum plus one ramp step (4 A) while the site is new to it.
        assert dynamic == [_dynamic(10.0)]
        assert hass.states.get("sensor.bay_1_allocated_limit").state == "10.0"
        assert hass.states.get("sensor.bay_1_reason").state == "held"
        # A step per settle period (15 s) up to its maximum. The EV draws
        # nothing: once a raise is older than the settle period, the meter is
        # all building.
        await run_for(hass, freezer, 60, QUIET)
        assert [p.limit for p in sent_profiles(charger)[1:]] == [10.0, 14.0, 16.0]
        assert hass.states.get("sensor.bay_1_allocated_limit").state == "16.0"
        assert hass.states.get("sensor.bay_1_reason").state == "max_current"

        # The building takes more: the decrease goes out in the same round.
        await advance(hass, freezer, 1, (31.3, 30.0, 29.0))
        assert sent_profiles(charger)[-1] == _dynamic(6.7)
        assert hass.states.get("sensor.bay_1_allocated_limit").state == "6.7"


@VERSIONS
async def test_pause_and_resume_during_a_session(
    hass: HomeAssistant,
    setup_site: SetUpSite,
    freezer: FrozenDateTimeFactory,
    factory: type[RecordingChargePointV16 | RecordingChargePointV201],
) -> None:
    entry = await setup_site(site_entry(ocpp_subentry("CP1", title="Bay 1")))
    async with connected(entry, "CP1", factory) as charger:
        assert await boot(charger) == "Accepted"
        await ev.status(charger, plugged=True)
        transaction = await ev.start(charger, "TAG-1", 0.0)
        await drain(hass)
        await run_for(hass, freezer, 60, QUIET)
        assert held_limit(charger) == 16.0

        # Not even the minimum is left: paused with 0 A, the session goes on.
        await advance(hass, freezer, 1, (35.0, 35.0, 35.0))
        assert held_limit(charger) == 0.0
        assert sent_profiles(charger)[-1] == _dynamic(0.0)
        assert hass.states.get("sensor.bay_1_reason").state.startswith("paused")

        # Room again: once the site has settled the EV resumes, on the default
        # profile and on the running transaction (some chargers read the default
        # one only when a session starts).
        before = len(sent_profiles(charger))
        await run_for(hass, freezer, 40, QUIET)
        resumed = sent_profiles(charger)[before:]
        assert resumed[0].purpose == "TxDefaultProfile"
        assert resumed[0].limit >= 6.0
        tx_profile = next(p for p in resumed if p.purpose == "TxProfile")
        assert tx_profile.transaction_id == transaction
        assert tx_profile.stack_level == 1
        assert tx_profile.limit == resumed[0].limit
        assert held_limit(charger) == float(
            hass.states.get("sensor.bay_1_allocated_limit").state
        )


async def test_a_charger_that_takes_watts_gets_watts(
    hass: HomeAssistant, setup_site: SetUpSite, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_site(site_entry(ocpp_subentry("CP1", title="Bay 1")))
    async with connected(entry, "CP1", RecordingChargePointV16) as charger:
        charger.behaviour.configuration["ChargingScheduleAllowedChargingRateUnit"] = (
            "Power"
        )
        assert await boot(charger) == "Accepted"
        await ev.status(charger, plugged=True)
        await drain(hass)
        await advance(hass, freezer, 1, QUIET)
        failsafe, dynamic = sent_profiles(charger)
        # 3 phases x 230 V: 6 A is 4140 W, 10 A is 6900 W.
        assert (failsafe.unit, failsafe.limit) == ("W", 4140.0)
        assert dynamic == _dynamic(6900.0, unit="W")


async def test_a_reconnecting_charger_is_balanced_at_once_without_a_pause(
    hass: HomeAssistant, setup_site: SetUpSite, freezer: FrozenDateTimeFactory
) -> None:
    """Away for minutes (its limits failed meanwhile): back, it gets its limit
    at once, not a pause first and not after a retry backoff."""
    entry = await setup_site(site_entry(ocpp_subentry("CP1", title="Bay 1")))
    await run_for(hass, freezer, 120, QUIET, step_s=5)
    assert hass.states.get("sensor.bay_1_reason").state == "not_controlled"
    assert hass.states.get("binary_sensor.bay_1_not_responding").state == "on"
    async with connected(entry, "CP1", RecordingChargePointV201) as charger:
        assert await boot(charger) == "Accepted"
        await ev.status(charger, plugged=True)
        await drain(hass)
        await advance(hass, freezer, 0.5, QUIET)
        assert [p.limit for p in sent_profiles(charger)] == [6.0, 10.0]
        assert hass.states.get("binary_sensor.bay_1_not_responding").state == "off"
        assert hass.states.get("sensor.bay_1_allocated_limit").state == "10.0"
