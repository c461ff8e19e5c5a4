"""Helpers to let the loop run and to check the fuse from the outside."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from .conftest import FUSE_A, MARGIN_A
from .simulated_site import SimulatedSite


async def drain(hass: HomeAssistant) -> None:
    """Run until quiet: state listeners are called one loop pass after a change,
    so a chain (limit -> EV follows -> meter -> next round) needs several."""
    for _ in range(6):
        await hass.async_block_till_done()


async def settle(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    site: SimulatedSite,
    seconds: float = 1.0,
    rounds: int = 4,
) -> None:
    """Let time pass in steps; the meter reports at every step, as real ones do."""
    for _ in range(rounds):
        freezer.tick(seconds)
        site.publish()
        async_fire_time_changed(hass)
        await drain(hass)


async def flush(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let a debounced round run (the loop recomputes at most every 0.2 s)."""
    await drain(hass)
    freezer.tick(0.25)
    async_fire_time_changed(hass)
    await drain(hass)


def limits(hass: HomeAssistant, site: SimulatedSite) -> dict[str, float]:
    """The current limit each charger's own entity holds now."""
    return {
        c.key: float(hass.states.get(c.number).state)
        for c in site.chargers
        if c.installed
    }


def assert_within_fuse(site: SimulatedSite) -> None:
    """What the chargers' limits allow, with the building, stays in the fuse.

    A charger that ignores its limit counts with what it really draws.
    """
    allowed = list(site.baseline_a)
    for charger in site.chargers:
        if not charger.plugged:
            continue
        current = max(charger.draw()) if charger.ignores_limit else charger.limit_a
        for conductor in range(min(charger.ev_phases, len(charger.wiring))):
            allowed[charger.wiring[conductor]] += current
    for phase, value in enumerate(allowed):
        assert value <= FUSE_A - MARGIN_A + 1e-6, f"L{phase + 1}: {value} A"
