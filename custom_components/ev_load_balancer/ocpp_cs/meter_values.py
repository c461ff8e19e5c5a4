"""MeterValues of both versions, reduced to the quantities the balancer uses.

Per-phase currents are what matters most: the balancer subtracts them from the
building's measurement. Values are normalised to A, W, Wh, V and percent, and
checked against plausible ranges after that: a value in kWh passes as a
number and fails as energy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
import math

from .const import OcppVersion
from .payload import as_float, as_list, as_object, as_str
from .plausibility import Quantity, plausible
from .wire import Json, JsonObject

CURRENT = "Current.Import"
POWER = "Power.Active.Import"
ENERGY = "Energy.Active.Import.Register"
VOLTAGE = "Voltage"
SOC = "SoC"

# Phase tag -> charger conductor index. "L1" and "L1-N" are both phase values.
_PHASE_INDEX = {"L1": 0, "L2": 1, "L3": 2, "L1-N": 0, "L2-N": 1, "L3-N": 2}
_LINE_TO_LINE = {"L1-L2", "L2-L3", "L3-L1"}

# The measurands we use: what each is, and its units with their scale to
# A, W, Wh, V and percent. The first unit is the default when none is given.
_MEASURANDS: dict[str, tuple[Quantity, dict[str, float]]] = {
    CURRENT: (Quantity.CURRENT, {"A": 1.0}),
    POWER: (Quantity.POWER, {"W": 1.0, "kW": 1000.0}),
    ENERGY: (Quantity.ENERGY, {"Wh": 1.0, "kWh": 1000.0}),
    VOLTAGE: (Quantity.VOLTAGE, {"V": 1.0}),
    SOC: (Quantity.SOC, {"Percent": 1.0}),
}
# 2.0.1 multipliers are powers of ten; chargers use -3 to 3.
_MAX_MULTIPLIER = 9

# Prefer the outlet (what the EV gets); the inlet also counts the charger itself.
_LOCATION_RANK = {None: 0, "Outlet": 0, "Inlet": 1, "EV": 2}


@dataclass(slots=True, kw_only=True)
class MeterSample:
    """What one MeterValues (or TransactionEvent) told us; None = not reported.

    Every number is plausible (plausibility.py); `rejected` names the
    quantities the charger reported unreadable or absurd values of.
    """

    phase_current_a: dict[int, float] = field(default_factory=dict)
    current_a: float | None = None  # reported without a phase
    power_w: float | None = None
    energy_wh: float | None = None
    voltage_v: float | None = None  # mean phase-to-neutral voltage
    soc_percent: float | None = None
    transaction_begin_energy_wh: float | None = None
    transaction_end_energy_wh: float | None = None
    rejected: set[Quantity] = field(default_factory=set)

    @property
    def has_live_values(self) -> bool:
        """Whether it says what the charger draws now (not just its register)."""
        return bool(
            self.phase_current_a
            or self.current_a is not None
            or self.power_w is not None
            or {Quantity.CURRENT, Quantity.POWER} & self.rejected
        )


@dataclass(frozen=True, slots=True)
class _Value:
    measurand: str
    quantity: Quantity
    phase: str | None
    value: float
    rank: int
    context: str | None


def _to_number(value: Json) -> float | None:
    """A number, or a 1.6 number in a string; None if it is neither."""
    number = as_float(value)
    if number is None and isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
    return number


def _multiplier(unit_of_measure: JsonObject) -> int | None:
    raw = unit_of_measure.get("multiplier", 0)
    if isinstance(raw, bool) or not isinstance(raw, int):
        return None
    return raw if abs(raw) <= _MAX_MULTIPLIER else None


def _sampled_value(
    version: OcppVersion, sampled: JsonObject
) -> _Value | Quantity | None:
    """One sampled value, scaled; the quantity when it is unreadable; None
    for what we do not use (other measurands, signed data)."""
    if as_str(sampled.get("format")) == "SignedData":
        return None
    measurand = as_str(sampled.get("measurand")) or ENERGY
    known = _MEASURANDS.get(measurand)
    if known is None:
        return None
    quantity, units = known
    raw = _to_number(sampled.get("value"))
    if version is OcppVersion.V16:
        unit = as_str(sampled.get("unit"))
        multiplier: int | None = 0
    else:
        unit_of_measure = as_object(sampled.get("unitOfMeasure")) or {}
        unit = as_str(unit_of_measure.get("unit"))
        multiplier = _multiplier(unit_of_measure)
    scale = units.get(unit if unit is not None else next(iter(units)))
    if raw is None or scale is None or multiplier is None:
        return quantity
    return _Value(
        measurand=measurand,
        quantity=quantity,
        phase=as_str(sampled.get("phase")),
        value=raw * scale * 10.0**multiplier,
        rank=_LOCATION_RANK.get(as_str(sampled.get("location")), 3),
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
    phase_power: list[float] = []
    phase_voltage: list[float] = []
    line_voltage: list[float] = []
    for (measurand, phase), value in _best(values).items():
        raw = value.value
        if measurand == VOLTAGE and phase in _LINE_TO_LINE:
            raw /= math.sqrt(3)  # checked as what it is: a phase voltage
        number = plausible(value.quantity, raw)
        if number is None:
            sample.rejected.add(value.quantity)
            continue
        index = _PHASE_INDEX.get(phase) if phase else None
        if measurand == CURRENT:
            if index is not None:
                sample.phase_current_a[index] = number
            elif phase is None:
                sample.current_a = number
        elif measurand == POWER:
            if phase is None:
                sample.power_w = number
            elif index is not None:
                phase_power.append(number)
        elif measurand == ENERGY and phase is None:
            sample.energy_wh = number
            if value.context == "Transaction.Begin":
                sample.transaction_begin_energy_wh = number
            elif value.context == "Transaction.End":
                sample.transaction_end_energy_wh = number
        elif measurand == VOLTAGE:
            if phase in _LINE_TO_LINE:
                line_voltage.append(number)
            elif index is not None or phase is None:
                phase_voltage.append(number)
        elif measurand == SOC:
            sample.soc_percent = number
    if phase_power and sample.power_w is None:
        sample.power_w = plausible(Quantity.POWER, sum(phase_power))
        if sample.power_w is None:
            sample.rejected.add(Quantity.POWER)
    voltages = phase_voltage or line_voltage
    if voltages:
        sample.voltage_v = sum(voltages) / len(voltages)


def _discard_rejected(sample: MeterSample) -> None:
    """A quantity with any absurd value in the sample is not known from it."""
    if Quantity.CURRENT in sample.rejected:
        sample.phase_current_a.clear()
        sample.current_a = None
    if Quantity.POWER in sample.rejected:
        sample.power_w = None
    if Quantity.VOLTAGE in sample.rejected:
        sample.voltage_v = None
    if Quantity.SOC in sample.rejected:
        sample.soc_percent = None
    if Quantity.ENERGY in sample.rejected:
        sample.energy_wh = None
        sample.transaction_begin_energy_wh = None
        sample.transaction_end_energy_wh = None


def parse_meter_values(version: OcppVersion, meter_values: Json) -> MeterSample:
    """Reduce a `meterValue` list (oldest first) to the newest of each quantity."""
    sample = MeterSample()
    for meter_value in as_list(meter_values):
        entry = as_object(meter_value)
        if entry is None:
            continue
        values: list[_Value] = []
        for sampled in as_list(entry.get("sampledValue")):
            sampled_object = as_object(sampled)
            if sampled_object is None:
                continue
            value = _sampled_value(version, sampled_object)
            if isinstance(value, _Value):
                values.append(value)
            elif value is not None:
                sample.rejected.add(value)
        _apply(sample, values)
    _discard_rejected(sample)
    return sample
