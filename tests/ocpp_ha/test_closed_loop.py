"""Twenty EVs behind real OCPP clients, a building, one fuse: the closed loop.

Each EV follows its charger's limit after a delay (1 to 3 s: IEC 61851 gives
an EV up to 5 s) and reports its draw in MeterValues every second; the meter
(HA sensors) shows the building plus every EV. One sample is one meter
interval: EVs follow and report, the meter reads, the loop runs and its
profiles reach the chargers.

"One cycle" after an unplug: the freed EV's limit drops to 0 at once, and that
cut freezes every raise for the balancer's settle period (follow_s, 15 s: the
site settles before anyone gets more; hold_time is 0 here, and the freed
current is below one ramp step per EV); the round after it raises everyone.
"""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant

from custom_components.ev_load_balancer.balancer import BalancerSettings

from .conftest import SetUpSite
from .simulated_evs import SimulatedEv, SimulatedGarage, garage_online
from .site import MARGIN_A, ocpp_subentry, site_entry

FUSE_A = 160.0
CHARGER_MAX_A = 16.0  # ocpp_subentry's max_current
METER_INTERVAL_S = 1.0
CYCLE_S = BalancerSettings().follow_s + METER_INTERVAL_S
# Three-phase chargers in every rotation, some with one-phase EVs, and
# single-phase chargers on every phase.
LAYOUT = [
    ("three_phase_l1l2l3", 3),
    ("three_phase_l2l3l1", 3),
    ("three_phase_l3l1l2", 3),
    ("three_phase_l1l2l3", 1),
    ("single_phase_l1", 1),
    ("three_phase_l2l3l1", 3),
    ("three_phase_l3l1l2", 1),
    ("single_phase_l2", 1),
    ("three_phase_l1l2l3", 3),
    ("single_phase_l3", 1),
] * 2


def _evs() -> list[SimulatedEv]:
    return [
        SimulatedEv(
            charge_point_id=f"EV{index + 1:02d}",
            connection=connection,
            ev_phases=ev_phases,
            follow_delay_s=1.0 + index % 3,
        )
        for index, (connection, ev_phases) in enumerate(LAYOUT)
    ]


def _within_fuse(garage: SimulatedGarage) -> None:
    """The invariant, on the true building load (not the loop's estimate)."""
    commanded = garage.commanded()
    assert max(commanded) <= FUSE_A - MARGIN_A + 1e-6, commanded
    measured = garage.site_current()
    assert max(measured) <= FUSE_A + 1e-6, measured


async def test_twenty_evs_share_the_fuse_and_an_unplug_frees_current(
    hass: HomeAssistant, setup_site: SetUpSite, freezer: FrozenDateTimeFactory
) -> None:
    evs = _evs()
    entry = await setup_site(
        site_entry(
            *(
                ocpp_subentry(
                    car.charge_point_id,
                    connection=car.connection,
                    failsafe_current=0,
                )
                for car in evs
            ),
            fuse_a=FUSE_A,
            failsafe_reserve=FUSE_A / 2,
        )
    )
    garage = SimulatedGarage(hass, freezer, evs, baseline_a=[20.0, 24.0, 18.0])
    async with garage_online(hass, entry, evs):
        for car in evs:
            await car.plug_in()
        # Ramp up to a steady share, with the building wandering within the
        # margin; the invariant holds at every sample.
        for second in range(120):
            if second in (40, 70):
                garage.baseline_a[1] += 1.5 if second == 40 else -1.5
            await garage.step(METER_INTERVAL_S)
            _within_fuse(garage)
        assert all(car.draw_a > 6.0 for car in evs)
        assert max(garage.commanded()) > FUSE_A - MARGIN_A - 8  # well used

        leaving = evs[0]
        others = [car for car in evs if car is not leaving]
        before = {car.charge_point_id: car.limit_a for car in others}
        unplugged_at = garage.now
        await leaving.unplug()
        await garage.step(METER_INTERVAL_S)
        assert leaving.limit_a == 0.0  # its cut goes out in the same round
        raised_at: dict[str, float] = {}
        while garage.now - unplugged_at <= 2 * CYCLE_S:
            await garage.step(METER_INTERVAL_S)
            _within_fuse(garage)
            for car in others:
                if car.limit_a > before[car.charge_point_id]:
                    raised_at.setdefault(car.charge_point_id, garage.now)
        # Everyone below the charger's maximum gets some of it, in one cycle.
        wanting = {key for key, limit in before.items() if limit < CHARGER_MAX_A}
        assert len(wanting) >= 15
        assert set(raised_at) == wanting
        assert max(raised_at.values()) - unplugged_at <= CYCLE_S

    session = hass.states.get(f"sensor.{leaving.charge_point_id.lower()}_energy")
    assert float(session.state) > 0
