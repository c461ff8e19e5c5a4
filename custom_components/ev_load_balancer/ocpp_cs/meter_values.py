"""MeterValues of both versions, reduced to the quantities the balancer uses.

Per-phase currents are what matters most: the balancer subtracts them from the
building's measurement. Values are normalised to A, W, Wh, V and percent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
import math

from .const import OcppVersion
from .payload import as_float, as_list, as_object, as_str
from .wire import Json, JsonObject

CURRENT = "Current.Import"
POWER = "Power.Active.Import"
ENERGY = "Energy.Active.Import.Register"
VOLTAGE = "Voltage"
SOC = "SoC"

# Phase tag -> charger conductor index. "L1" and "L1-N" are both phase values.
_PHASE_INDEX = {"L1": 0, "L2": 1, "L3": 2, "L1-N": 0, "L2-N": 1, "L3-N": 2}
_LINE_TO_LINE = {"L1-L2", "L2-L3", "L3-L1"}

_UNIT_SCALE = {"W": 1.0, "kW": 1000.0, "Wh": 1.0, "kWh": 1000.0, "A": 1.0, "V": 1.0}
_UNIT_SCALE |= {"Percent": 1.0}

# Prefer the outlet (what the EV gets); the inlet also counts the charger itself.
_LOCATION_RANK = {None: 0, "Outlet": 0, "Inlet": 1, "EV": 2}


@dataclass(slots=True, kw_only=True)
class MeterSample:
    """What one MeterValues (or TransactionEvent) told us; None = not reported."""

    phase_current_a: dict[int, float] = field(default_factory=dict)
    current_a: float | None = None  # reported without a phase
    power_w: float | None = None
    energy_wh: float | None = None
    voltage_v: float | None = None  # mean phase-to-neutral voltage
    soc_percent: float | None = None
    transaction_begin_energy_wh: float | None = None
    transaction_end_energy_wh: float | None = None


@dataclass(frozen=True, slots=True)
class _Value:
    measurand: str
    phase: str | None
    value: float
    rank: int
    context: str | None


def _to_number(value: Json) -> float | None:
    number = as_float(value)
    if number is None and isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
    if number is None or not math.isfinite(number):
        return None
    return number


def _sampled_value(version: OcppVersion, sampled: JsonObject) -> _Value | None:
    """One sampled value, normalised; None for what we cannot use."""
    if as_str(sampled.get("format")) == "SignedData":
        return None
    raw = _to_number(sampled.get("value"))
    if raw is None:
        return None
    measurand = as_str(sampled.get("measurand")) or ENERGY
    location = as_str(sampled.get("location"))
    if version is OcppVersion.V16:
        unit = as_str(sampled.get("unit"))
        multiplier = 0.0
    else:
        unit_of_measure = as_object(sampled.get("unitOfMeasure")) or {}
        unit = as_str(unit_of_measure.get("unit"))
        multiplier = as_float(unit_of_measure.get("multiplier")) or 0.0
    if unit is None:
        unit = {ENERGY: "Wh", POWER: "W", CURRENT: "A", VOLTAGE: "V"}.get(
            measurand, "Percent"
        )
    scale = _UNIT_SCALE.get(unit)
    if scale is None:
        return None
    return _Value(
        measurand=measurand,
        phase=as_str(sampled.get("phase")),
        value=raw * scale * 10.0**multiplier,
        rank=_LOCATION_RANK.get(location, 3),
        context=as_str(sampled.get("context")),
    )


def _best(values: Iterable[_Value]) -> dict[tuple[str, str | None], _Value]:
    """Per (measurand, phase), the value from the most relevant location."""
    best: dict[tuple[str, str | None], _Value] = {}
    for value in values:
        key = (value.measurand, value.phase)
        if key not in best or value.rank <= best[key].rank:
            best[key] = value
    return best


def _apply(sample: MeterSample, values: list[_Value]) -> None:
    best = _best(values)
    phase_power: list[float] = []
    phase_voltage: list[float] = []
    line_voltage: list[float] = []
    for (measurand, phase), value in best.items():
        index = _PHASE_INDEX.get(phase) if phase else None
        if measurand == CURRENT:
            if index is not None:
                sample.phase_current_a[index] = value.value
            elif phase is None:
                sample.current_a = value.value
        elif measurand == POWER:
            if phase is None:
                sample.power_w = value.value
            elif index is not None:
                phase_power.append(value.value)
        elif measurand == ENERGY and phase is None:
            sample.energy_wh = value.value
            if value.context == "Transaction.Begin":
                sample.transaction_begin_energy_wh = value.value
            elif value.context == "Transaction.End":
                sample.transaction_end_energy_wh = value.value
        elif measurand == VOLTAGE:
            if phase in _LINE_TO_LINE:
                line_voltage.append(value.value / math.sqrt(3))
            elif index is not None or phase is None:
                phase_voltage.append(value.value)
        elif measurand == SOC:
            sample.soc_percent = value.value
    if phase_power and sample.power_w is None:
        sample.power_w = sum(phase_power)
    voltages = phase_voltage or line_voltage
    if voltages:
        sample.voltage_v = sum(voltages) / len(voltages)


def parse_meter_values(version: OcppVersion, meter_values: Json) -> MeterSample:
    """Reduce a `meterValue` list (oldest first) to the newest of each quantity."""
    sample = MeterSample()
    for meter_value in as_list(meter_values):
        entry = as_object(meter_value)
        if entry is None:
            continue
        values = [
            value
            for sampled in as_list(entry.get("sampledValue"))
            if (sampled_object := as_object(sampled)) is not None
            and (value := _sampled_value(version, sampled_object)) is not None
        ]
        _apply(sample, values)
    return sample
