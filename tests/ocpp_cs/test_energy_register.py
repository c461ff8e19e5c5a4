"""The energy register only moves forward; a reset is a new register."""

from __future__ import annotations

import json

import pytest

from custom_components.ev_load_balancer.ocpp_cs.energy_register import (
    EnergyRegister,
    MeterSource,
)
from custom_components.ev_load_balancer.ocpp_cs.plausibility import Quantity, plausible


def test_rounding_and_late_readings_are_held() -> None:
    register = EnergyRegister()
    assert register.read(194.0) == 194.0
    assert register.read(193.58) == 194.0  # kWh with fewer decimals
    assert register.read(150.0) == 194.0  # a reading queued offline
    assert register.read(200.0) == 200.0
    assert register.resets == 0


def test_a_reset_counts_on_from_the_old_total() -> None:
    register = EnergyRegister()
    register.read(50_000.0)
    assert register.read(1_000.0) == 51_000.0
    assert register.read(3_000.0) == 53_000.0
    assert register.resets == 1


def test_the_total_never_leaves_the_plausible_range() -> None:
    register = EnergyRegister()
    high = 0.9e10
    assert register.read(high) == high
    assert register.read(0.0) == high  # a reset: counted on
    assert register.read(0.5e10) is None  # the total would pass 1e10 Wh
    assert register.total_wh == high


def test_the_connector_takes_over_from_the_station_without_going_back() -> None:
    register = EnergyRegister()
    register.read(10_000.0, MeterSource.STATION)
    assert register.read(4_000.0) == 10_000.0  # the connector's own, smaller
    assert register.read(4_500.0) == 10_500.0
    assert register.read(20_000.0, MeterSource.STATION) is None  # ignored now
    assert register.total_wh == 10_500.0


def test_round_trip_and_damage() -> None:
    register = EnergyRegister()
    register.read(5000.0)
    register.read(10.0)
    restored = EnergyRegister.from_dict(json.loads(json.dumps(register.as_dict())))
    assert restored == register
    for damaged, why in (
        ({"offset_wh": "x"}, "not a number"),
        ({"offset_wh": 0.0, "raw_wh": 1e300}, "damaged"),
        ({"offset_wh": 0.0, "raw_wh": 1.0, "source": "moon"}, "MeterSource"),
    ):
        with pytest.raises(ValueError, match=why):
            EnergyRegister.from_dict(damaged)


@pytest.mark.parametrize(
    ("quantity", "value", "expected"),
    [
        (Quantity.CURRENT, 16.0, 16.0),
        (Quantity.CURRENT, -0.3, 0.0),  # noise
        (Quantity.CURRENT, -16.0, None),
        (Quantity.CURRENT, 1e308, None),
        (Quantity.POWER, float("nan"), None),
        (Quantity.POWER, -1e308, None),
        (Quantity.ENERGY, -1.0, None),
        (Quantity.SOC, 101.0, None),
        (Quantity.VOLTAGE, 230.0, 230.0),
    ],
)
def test_plausible_ranges(
    quantity: Quantity, value: float, expected: float | None
) -> None:
    assert plausible(quantity, value) == expected
