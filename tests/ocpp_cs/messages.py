"""Builders for the charger-side messages the tests send (snake_case, as the
`ocpp` library wants them)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def sampled_v16(
    measurand: str,
    value: float,
    unit: str | None = None,
    *,
    phase: str | None = None,
    context: str | None = None,
    location: str | None = None,
) -> dict[str, Any]:
    """A 1.6 sampled value: the value travels as a string."""
    sampled: dict[str, Any] = {"value": str(value), "measurand": measurand}
    for key, item in (
        ("unit", unit),
        ("phase", phase),
        ("context", context),
        ("location", location),
    ):
        if item is not None:
            sampled[key] = item
    return sampled


def sampled_v201(
    measurand: str,
    value: float,
    unit: str | None = None,
    *,
    phase: str | None = None,
    context: str | None = None,
    multiplier: int | None = None,
) -> dict[str, Any]:
    """A 2.0.1 sampled value: a number with an optional unit of measure."""
    sampled: dict[str, Any] = {"value": value, "measurand": measurand}
    if unit is not None or multiplier is not None:
        sampled["unit_of_measure"] = {
            key: item
            for key, item in (("unit", unit), ("multiplier", multiplier))
            if item is not None
        }
    if phase is not None:
        sampled["phase"] = phase
    if context is not None:
        sampled["context"] = context
    return sampled


def meter_value(*sampled: dict[str, Any]) -> dict[str, Any]:
    return {"timestamp": now_iso(), "sampled_value": list(sampled)}


def three_phase_v16(
    currents: tuple[float, float, float], **extra: float
) -> dict[str, Any]:
    """Per-phase currents (and optionally voltage, power, energy kWh, SoC)."""
    values = [
        sampled_v16("Current.Import", current, "A", phase=phase)
        for current, phase in zip(currents, ("L1", "L2", "L3"), strict=True)
    ]
    if "voltage" in extra:
        values += [
            sampled_v16("Voltage", extra["voltage"], "V", phase=f"{phase}-N")
            for phase in ("L1", "L2", "L3")
        ]
    if "power_w" in extra:
        values.append(sampled_v16("Power.Active.Import", extra["power_w"], "W"))
    if "energy_kwh" in extra:
        values.append(
            sampled_v16("Energy.Active.Import.Register", extra["energy_kwh"], "kWh")
        )
    if "soc" in extra:
        values.append(sampled_v16("SoC", extra["soc"], "Percent"))
    return meter_value(*values)
