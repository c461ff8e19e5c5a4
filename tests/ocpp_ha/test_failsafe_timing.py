"""The dynamic limit's validity is a site option: a dead Home Assistant leaves
every charger at its failsafe within it. Renewals come well before expiry."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest

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
    ocpp_subentry,
    run_for,
    sent_profiles,
    site_entry,
)

VERSIONS = pytest.mark.parametrize(
    "factory", [RecordingChargePointV16, RecordingChargePointV201]
)
QUIET = (10.0, 10.0, 10.0)
CLOCK_SLACK_S = 60  # profiles start a minute in the past


def _dynamic_durations(charger: RecordingChargePoint) -> list[int | None]:
    return [p.duration_s for p in sent_profiles(charger) if p.stack_level == 1]


@VERSIONS
async def test_the_default_validity_is_two_minutes(
    hass: HomeAssistant,
    setup_site: SetUpSite,
    freezer: FrozenDateTimeFactory,
    factory: type[RecordingChargePoint],
) -> None:
    entry = await setup_site(site_entry(ocpp_subentry("CP1")))
    async with connected(entry, "CP1", factory) as charger:
        assert await boot(charger) == "Accepted"
        await ev.status(charger, plugged=True)
        await drain(hass)
        await advance(hass, freezer, 1, QUIET)
        assert _dynamic_durations(charger) == [120 + CLOCK_SLACK_S]


@VERSIONS
async def test_limits_are_renewed_well_before_they_expire(
    hass: HomeAssistant,
    setup_site: SetUpSite,
    freezer: FrozenDateTimeFactory,
    factory: type[RecordingChargePoint],
) -> None:
    # min = max: the limit never changes, only renewals go out.
    entry = await setup_site(
        site_entry(
            ocpp_subentry("CP1", min_current=6, max_current=6), profile_validity=90
        )
    )
    async with connected(entry, "CP1", factory) as charger:
        assert await boot(charger) == "Accepted"
        await ev.status(charger, plugged=True)
        await drain(hass)
        await advance(hass, freezer, 1, QUIET)
        assert _dynamic_durations(charger) == [90 + CLOCK_SLACK_S]
        # Not before 30 % of the validity ...
        await run_for(hass, freezer, 26, QUIET)
        assert len(_dynamic_durations(charger)) == 1
        # ... and by half of it, with the same limit.
        await run_for(hass, freezer, 20, QUIET)
        durations = _dynamic_durations(charger)
        assert len(durations) == 2
        assert sent_profiles(charger)[-1].limit == 6.0

        # A new validity applies in place, on the same socket.
        sent_before = len(sent_profiles(charger))
        hass.config_entries.async_update_entry(
            entry, options={**entry.options, "profile_validity": 300}
        )
        await drain(hass)
        await advance(hass, freezer, 1, QUIET)
        while len(sent_profiles(charger)) <= sent_before:
            await charger.recorder.next("SetChargingProfile")
        assert _dynamic_durations(charger)[-1] == 300 + CLOCK_SLACK_S
        assert charger.recorder.actions().count("BootNotification") == 0
