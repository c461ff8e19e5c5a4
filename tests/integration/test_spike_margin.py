"""The margin that follows the building's quick rises, in the real HA loop:
set in the options, fed by the meter's readings, shown as a sensor, and
handed to the balancer (less for the EVs, never over the fuse)."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .conftest import FUSE_A, MARGIN_A
from .loop_helpers import assert_within_fuse, settle
from .simulated_site import SimulatedSite

SECTIONS = ("ocpp_server", "capacity_tariff")
LIFT_A = 6.0
MARGIN = "sensor.garage_fuse_margin"
USABLE = "sensor.garage_usable_current"


async def _set_option(hass: HomeAssistant, entry: MockConfigEntry, on: bool) -> None:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    # The form's own fields; its sections, left out, stay as they are.
    fields = {k: v for k, v in entry.options.items() if k not in SECTIONS}
    await hass.config_entries.options.async_configure(
        result["flow_id"], {**fields, "margin_follows_spikes": on}
    )
    await hass.async_block_till_done()
    assert entry.options["margin_follows_spikes"] is on


async def _lift_every_ten_minutes(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, site: SimulatedSite
) -> None:
    """70 minutes at a 10 s meter; a lift of LIFT_A on L1 for 30 s in ten."""
    for step in range(70 * 6):
        lifting = step % 60 < 3
        site.baseline_a = [10.0 + (LIFT_A if lifting else 0.0), 10.0, 10.0]
        await settle(hass, freezer, site, seconds=10, rounds=1)
        assert_within_fuse(site)


def _allowed_a(site: SimulatedSite) -> list[float]:
    """The building with what every plugged-in charger's limit allows."""
    allowed = list(site.baseline_a)
    for charger in site.chargers:
        if charger.plugged:
            for conductor in range(min(charger.ev_phases, len(charger.wiring))):
                allowed[charger.wiring[conductor]] += charger.limit_a
    return allowed


def _amps(hass: HomeAssistant, entity_id: str) -> float:
    state = hass.states.get(entity_id)
    assert state is not None
    return float(state.state)


@pytest.mark.parametrize("follows", [True, False])
async def test_the_margin_follows_a_lift_when_the_option_is_on(
    hass: HomeAssistant,
    site: SimulatedSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    follows: bool,
) -> None:
    await _set_option(hass, init_integration, follows)
    await settle(hass, freezer, site, seconds=5, rounds=4)
    assert _amps(hass, MARGIN) == MARGIN_A
    await _lift_every_ten_minutes(hass, freezer, site)
    margin = _amps(hass, MARGIN)
    if follows:
        assert LIFT_A <= margin <= LIFT_A + 1.0
    else:
        assert margin == MARGIN_A
    # The balancer shares below the margin in use, as the sensors show it.
    assert _amps(hass, USABLE) == pytest.approx(FUSE_A - margin, abs=0.1)
    assert max(_allowed_a(site)) <= FUSE_A - margin + 1e-6


async def test_switching_it_off_is_live_and_a_reload_learns_anew(
    hass: HomeAssistant,
    site: SimulatedSite,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    await _set_option(hass, init_integration, True)
    await _lift_every_ten_minutes(hass, freezer, site)
    assert _amps(hass, MARGIN) >= LIFT_A
    await _set_option(hass, init_integration, False)
    await settle(hass, freezer, site, seconds=10, rounds=2)
    assert _amps(hass, MARGIN) == MARGIN_A
    # On again: what the loop saw before is still there (applied in place).
    await _set_option(hass, init_integration, True)
    await settle(hass, freezer, site, seconds=10, rounds=2)
    assert _amps(hass, MARGIN) >= LIFT_A
    # A reload starts from the configured margin (rises are kept in memory).
    await hass.config_entries.async_reload(init_integration.entry_id)
    await settle(hass, freezer, site, seconds=10, rounds=3)
    assert _amps(hass, MARGIN) == MARGIN_A
