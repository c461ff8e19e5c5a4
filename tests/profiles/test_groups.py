"""Group actuators: chargers behind one per-phase limit stay inside the fuse.

Two Zaptec chargers share their installation's available current; three
Easee chargers share their circuit's dynamic limit. The balancer allocates
each charger on its own; the group's limit on every site phase is the sum
of its members' allocations there, sent as one command, and the brands
spread it their own way (physics.spread_group_limit).
"""

from __future__ import annotations

from itertools import pairwise

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest

from custom_components.ev_load_balancer.const import DOMAIN

from .conftest import async_add_charger, async_site, our_entity, settle
from .physics import Building, Ev, StandInCharger
from .standins.easee import easee
from .standins.zaptec import zaptec


def _limit(hass: HomeAssistant, entry: object, charger_id: str) -> float:
    return float(hass.states.get(our_entity(hass, entry, charger_id, "limit")).state)


async def test_two_zaptec_chargers_share_their_installation_per_phase(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, building: Building
) -> None:
    z1 = building.add(StandInCharger("z1", limit_a=32.0))
    # A single-phase EV on a charger wired L2-L3-L1: it loads L2 only.
    z2 = building.add(
        StandInCharger(
            "z2", connection="three_phase_l2l3l1", ev=Ev(phases=1), limit_a=32.0
        )
    )
    standin = zaptec(hass, building, [z1, z2])
    installation = standin.model
    await standin.async_setup(hass)
    entry = await async_site(hass, building)
    first = await async_add_charger(
        hass, entry, "Zaptec z1", {"connection": "three_phase_l1l2l3"}
    )
    second = await async_add_charger(
        hass, entry, "Zaptec z2", {"connection": "three_phase_l2l3l1"}
    )
    await settle(hass, freezer, building, seconds=60, rounds=50)

    # 28 A per phase for EVs; L2 carries both: 14 A each, z1 14 A on all three.
    limits = {
        "z1": _limit(hass, entry, first.subentry_id),
        "z2": _limit(hass, entry, second.subentry_id),
    }
    assert limits == {"z1": 14.0, "z2": 14.0}
    assert installation.limit == (14.0, 28.0, 14.0)
    assert (z1.draw(), z2.draw()) == ((14.0, 14.0, 14.0), (14.0, 0.0, 0.0))

    # A sauna on L1: the installation's L1 goes down at once, in one command.
    calls = len(installation.calls)
    building.baseline_a = [30.0, 10.0, 10.0]
    await settle(hass, freezer, building, seconds=2, rounds=2)
    assert len(installation.calls) == calls + 1
    assert installation.limit[0] == 8.0
    assert z1.draw() == (8.0, 8.0, 8.0)

    # The sauna goes: the increases come at most once per 15 minutes.
    building.baseline_a = [10.0, 10.0, 10.0]
    await settle(hass, freezer, building, seconds=60, rounds=60)
    assert installation.limit == (14.0, 28.0, 14.0)
    times = [when for when, _limit in installation.calls]
    raises = [
        when
        for (when, new), (_, old) in zip(
            installation.calls[1:], installation.calls, strict=False
        )
        if any(n > o for n, o in zip(new, old, strict=True))
    ]
    assert len(raises) >= 2
    assert all(b - a >= 900 for a, b in pairwise(raises))
    assert times == sorted(times)

    # Both chargers show under the installation's group device.
    registry = dr.async_get(hass)
    group = next(
        device
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id)
        if device.name == "Home installation"
    )
    for sub in (first, second):
        member = registry.async_get_device(identifiers={(DOMAIN, sub.subentry_id)})
        assert member is not None
        assert member.via_device_id == group.id


async def test_zaptec_spreading_its_installation_limit_is_not_ignoring_it(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, building: Building
) -> None:
    """One EV tops out at 4 A; Zaptec gives the other what it leaves, above
    that charger's own share, for as long as an increase must wait (15 min).
    The installation as a whole follows its limit: nobody ignores it."""
    z1 = building.add(StandInCharger("z1", ev=Ev(max_a=32.0), limit_a=32.0))
    z2 = building.add(StandInCharger("z2", ev=Ev(max_a=4.0), limit_a=32.0))
    standin = zaptec(hass, building, [z1, z2])
    installation = standin.model
    await standin.async_setup(hass)
    building.baseline_a = [12.0, 12.0, 12.0]
    entry = await async_site(hass, building)
    subs = [
        await async_add_charger(hass, entry, f"Zaptec {key}") for key in ("z1", "z2")
    ]
    await settle(hass, freezer, building, seconds=10, rounds=60)

    limits = [_limit(hass, entry, sub.subentry_id) for sub in subs]
    # z1 draws what the installation leaves it, above its own limit.
    assert z1.draw()[0] > limits[0] + 2.0
    assert max(installation.limit) == sum(limits)
    for sub in subs:
        ignores = hass.states.get(
            our_entity(hass, entry, sub.subentry_id, "ignores_limit")
        )
        assert ignores.state == "off"
    assert (
        hass.states.get(our_entity(hass, entry, subs[0].subentry_id, "reason")).state
        != "not_controlled"
    )


async def test_three_easee_chargers_on_one_circuit_stay_inside_the_fuse(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, building: Building
) -> None:
    chargers = [
        building.add(StandInCharger(key, connection=connection))
        for key, connection in (
            ("e1", "three_phase_l1l2l3"),
            ("e2", "three_phase_l2l3l1"),
            ("e3", "three_phase_l3l1l2"),
        )
    ]
    standin = easee(hass, building, chargers)
    circuit = standin.model
    await standin.async_setup(hass)
    entry = await async_site(hass, building)
    subs = [
        await async_add_charger(
            hass, entry, f"{c.key} (Easee)", {"connection": c.connection}
        )
        for c in chargers
    ]
    assert {sub.data["group_ref"] for sub in subs} == {"7"}
    await settle(hass, freezer, building, seconds=5, rounds=30)

    def check_circuit() -> None:
        # Every member reserves all its phases (Easee reports power only), so
        # each phase of the circuit carries the sum of the three limits.
        total = sum(_limit(hass, entry, sub.subentry_id) for sub in subs)
        assert circuit["limit"] == (total, total, total)
        for charger, sub in zip(chargers, subs, strict=True):
            assert charger.limit_a == _limit(hass, entry, sub.subentry_id)

    check_circuit()
    assert all(max(c.draw()) >= 6 for c in chargers)

    # Spikes on each phase in turn: the circuit and the chargers follow at
    # once and nothing flows above the fuse at any step (settle checks it).
    for phase in range(3):
        building.baseline_a = [10.0, 10.0, 10.0]
        building.baseline_a[phase] = 26.0
        await settle(hass, freezer, building, seconds=2, rounds=5)
        check_circuit()
    building.baseline_a = [10.0, 10.0, 10.0]
    # An EV leaves, one arrives on the emptied charger later.
    chargers[0].ev = None
    await settle(hass, freezer, building, seconds=5, rounds=10)
    check_circuit()
    assert chargers[0].limit_a == 0.0
    chargers[0].ev = Ev()
    await settle(hass, freezer, building, seconds=5, rounds=20)
    check_circuit()
    assert max(chargers[0].draw()) >= 6


@pytest.mark.parametrize("members", [1])
async def test_a_lone_easee_uses_its_own_limit_only(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    building: Building,
    members: int,
) -> None:
    charger = building.add(StandInCharger("e1"))
    standin = easee(hass, building, [charger])
    circuit = standin.model
    await standin.async_setup(hass)
    entry = await async_site(hass, building)
    await async_add_charger(hass, entry, "e1 (Easee)")
    await settle(hass, freezer, building, seconds=5, rounds=10)
    # No other charger of the site is on its circuit: the circuit is left alone.
    assert circuit["limit"] == (40.0, 40.0, 40.0)
    assert max(charger.draw()) >= 6
