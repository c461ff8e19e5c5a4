"""go-e: paused through its force state below 6 A, and switched to one phase
when the fuse leaves too little for three, with the real loop."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant

from .conftest import async_add_charger, async_site, our_entity, settle
from .physics import Building, StandInCharger
from .standins.goe import goe

SERIAL = "40k1"


def _select(hass: HomeAssistant, key: str) -> str:
    return hass.states.get(f"select.go_e_k1_{key}").state


async def _go_e(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    building: Building,
    answers: dict[str, object] | None = None,
) -> tuple[StandInCharger, dict[str, str], str, object]:
    charger = building.add(StandInCharger("k1", limit_a=10.0))
    standin = goe(hass, building, charger)
    await standin.async_setup(hass)
    entry = await async_site(hass, building)
    sub = await async_add_charger(hass, entry, "(go-e)", answers)
    await settle(hass, freezer, building, seconds=31, rounds=1)
    return charger, standin.model, sub.subentry_id, entry


async def test_go_e_pauses_through_frc_below_6_a_and_resumes(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, building: Building
) -> None:
    charger, state, charger_id, entry = await _go_e(
        hass, freezer, building, {"phase_switching": False}
    )
    await settle(hass, freezer, building, seconds=5, rounds=8)
    assert (state["frc"], charger.limit_a) == ("0", 16.0)
    assert (
        hass.states.get(our_entity(hass, entry, charger_id, "state")).state
        == "charging"
    )

    # 4 A left on L1: below the go-e's 6 A. `amp` cannot go there (its
    # minimum is 6): the go-e is told not to charge, its current untouched.
    building.baseline_a = [34.0, 10.0, 10.0]
    await settle(hass, freezer, building, seconds=2, rounds=3)
    assert state["frc"] == "1"
    assert charger.limit_a >= 6
    assert charger.draw() == (0.0, 0.0, 0.0)

    building.baseline_a = [10.0, 10.0, 10.0]
    await settle(hass, freezer, building, seconds=10, rounds=12)
    assert state["frc"] == "0"
    assert charger.draw() == (16.0, 16.0, 16.0)


async def test_go_e_runs_on_one_phase_on_a_tight_evening_and_back_later(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, building: Building
) -> None:
    # The evening: L2 and L3 leave 4 A, L1 18 A. Three phases cannot have
    # 6 A each; one phase (the go-e's L1 on site L1) can have 16 A.
    building.baseline_a = [20.0, 34.0, 34.0]
    charger, state, charger_id, entry = await _go_e(hass, freezer, building)
    await settle(hass, freezer, building, seconds=5, rounds=12)
    assert state["psm"] == "1"
    assert charger.phases_mode == 1
    assert charger.draw() == (16.0, 0.0, 0.0)
    assert state["frc"] == "0"
    reason = hass.states.get(our_entity(hass, entry, charger_id, "reason")).state
    assert reason == "max_current"
    assert charger.phase_switches == 1

    # Later the flats go quiet: back on three phases once the 5 minutes since
    # the switch are over, through a pause, and the fuse holds all along.
    building.baseline_a = [10.0, 10.0, 10.0]
    await settle(hass, freezer, building, seconds=20, rounds=30)
    assert state["psm"] == "2"
    assert charger.draw() == (16.0, 16.0, 16.0)
    assert charger.phase_switches == 2

    # A baseline hovering at the threshold (5 or 7 A left on L2 and L3) for
    # six minutes does not toggle it: one switch per dwell time at most.
    for baseline in ([20.0, 33.0, 33.0], [20.0, 31.0, 31.0]) * 6:
        building.baseline_a = baseline
        await settle(hass, freezer, building, seconds=10, rounds=3)
    assert charger.phase_switches - 2 <= 2
