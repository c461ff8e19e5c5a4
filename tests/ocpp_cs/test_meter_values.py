"""MeterValues of both versions reduced to A, W, Wh, V and percent."""

from __future__ import annotations

import math

import pytest

from custom_components.ev_load_balancer.ocpp_cs.const import OcppVersion
from custom_components.ev_load_balancer.ocpp_cs.meter_values import (
    MeterSample,
    parse_meter_values,
)
from custom_components.ev_load_balancer.ocpp_cs.state import ChargePointState


def _v16(*sampled: dict) -> MeterSample:
    return parse_meter_values(
        OcppVersion.V16,
        [{"timestamp": "2026-01-01T00:00:00Z", "sampledValue": list(sampled)}],
    )


def _v201(*sampled: dict) -> MeterSample:
    return parse_meter_values(
        OcppVersion.V201,
        [{"timestamp": "2026-01-01T00:00:00Z", "sampledValue": list(sampled)}],
    )


def test_per_phase_currents_with_both_phase_spellings() -> None:
    sample = _v16(
        {"value": "16.1", "measurand": "Current.Import", "phase": "L1", "unit": "A"},
        {"value": "15.9", "measurand": "Current.Import", "phase": "L2-N", "unit": "A"},
        {"value": "0.0", "measurand": "Current.Import", "phase": "L3", "unit": "A"},
        {"value": "0.4", "measurand": "Current.Import", "phase": "N", "unit": "A"},
    )
    assert sample.phase_current_a == {0: 16.1, 1: 15.9, 2: 0.0}


def test_units_are_normalised() -> None:
    sample = _v16(
        {"value": "12.5", "measurand": "Energy.Active.Import.Register", "unit": "kWh"},
        {"value": "7.2", "measurand": "Power.Active.Import", "unit": "kW"},
        {"value": "80", "measurand": "SoC", "unit": "Percent", "location": "EV"},
    )
    assert sample.energy_wh == pytest.approx(12500.0)
    assert sample.power_w == pytest.approx(7200.0)
    assert sample.soc_percent == 80.0


def test_energy_is_the_default_measurand_in_wh() -> None:
    assert _v16({"value": "1234"}).energy_wh == 1234.0


def test_power_per_phase_is_summed_without_a_total() -> None:
    sample = _v16(
        *(
            {"value": "2000", "measurand": "Power.Active.Import", "phase": phase}
            for phase in ("L1", "L2", "L3")
        )
    )
    assert sample.power_w == 6000.0


def test_voltage_prefers_phase_to_neutral() -> None:
    both = _v16(
        {"value": "230", "measurand": "Voltage", "phase": "L1-N"},
        {"value": "232", "measurand": "Voltage", "phase": "L2-N"},
        {"value": "400", "measurand": "Voltage", "phase": "L1-L2"},
    )
    assert both.voltage_v == pytest.approx(231.0)
    line_only = _v16({"value": "400", "measurand": "Voltage", "phase": "L1-L2"})
    assert line_only.voltage_v == pytest.approx(400 / math.sqrt(3))


def test_outlet_wins_over_inlet() -> None:
    sample = _v16(
        {
            "value": "17",
            "measurand": "Current.Import",
            "phase": "L1",
            "location": "Inlet",
        },
        {
            "value": "16",
            "measurand": "Current.Import",
            "phase": "L1",
            "location": "Outlet",
        },
        {
            "value": "18",
            "measurand": "Current.Import",
            "phase": "L2",
            "location": "Inlet",
        },
    )
    assert sample.phase_current_a == {0: 16.0, 1: 18.0}  # inlet when nothing else


@pytest.mark.parametrize(
    "bad",
    [
        {"value": "nan", "measurand": "Current.Import", "phase": "L1"},
        {"value": "inf", "measurand": "Current.Import", "phase": "L1"},
        {"value": "lots", "measurand": "Current.Import", "phase": "L1"},
        {
            "value": "16",
            "measurand": "Current.Import",
            "phase": "L1",
            "unit": "furlong",
        },
        {
            "value": "AB12",
            "measurand": "Current.Import",
            "phase": "L1",
            "format": "SignedData",
        },
    ],
)
def test_unusable_values_are_skipped(bad: dict) -> None:
    assert _v16(bad).phase_current_a == {}


def test_2_0_1_numbers_with_multiplier() -> None:
    sample = _v201(
        {
            "value": 3.2,
            "measurand": "Energy.Active.Import.Register",
            "unitOfMeasure": {"unit": "Wh", "multiplier": 3},
            "context": "Transaction.Begin",
        },
        {"value": 11.0, "measurand": "Current.Import", "phase": "L3"},
    )
    assert sample.energy_wh == pytest.approx(3200.0)
    assert sample.transaction_begin_energy_wh == pytest.approx(3200.0)
    assert sample.phase_current_a == {2: 11.0}


def test_newest_entry_wins() -> None:
    sample = parse_meter_values(
        OcppVersion.V16,
        [
            {"timestamp": "t1", "sampledValue": [{"value": "100"}]},
            {"timestamp": "t2", "sampledValue": [{"value": "150"}]},
        ],
    )
    assert sample.energy_wh == 150.0


def test_garbage_structure_gives_an_empty_sample() -> None:
    assert parse_meter_values(OcppVersion.V16, "nonsense") == MeterSample()
    assert parse_meter_values(OcppVersion.V16, [1, None, {"x": 1}]) == MeterSample()


@pytest.mark.parametrize(
    ("phases", "sample", "expected"),
    [
        (3, MeterSample(phase_current_a={0: 16.0}), (16.0, 0.0, 0.0)),
        (1, MeterSample(phase_current_a={0: 7.0}), (7.0,)),
        (1, MeterSample(current_a=7.0), (7.0,)),
        (3, MeterSample(current_a=7.0), None),  # per phase unknown: not guessed
    ],
)
def test_state_keeps_one_current_per_conductor(
    phases: int, sample: MeterSample, expected: tuple[float, ...] | None
) -> None:
    state = ChargePointState(phases=phases)
    state.merge(sample, now=1.0)
    assert state.current_a == expected
    assert state.updated_at == 1.0
