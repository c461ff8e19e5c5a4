"""A read-only picture of one adopted charger, for HA entities and diagnostics."""

from __future__ import annotations

from dataclasses import dataclass

from .commands import RateUnit
from .state import ChargePointState


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargerInfo:
    """Everything an entity may show; None = not known (yet)."""

    charger_id: str
    connected: bool
    ocpp_version: str | None
    vendor: str | None
    model: str | None
    serial_number: str | None
    firmware_version: str | None
    connector_status: str | None
    charging_state: str | None
    error_code: str | None
    transaction_id: str | None
    id_tag: str | None
    last_heartbeat: float | None  # epoch seconds
    last_seen: float | None
    current_a: tuple[float, ...] | None
    power_w: float | None
    voltage_v: float | None
    energy_kwh: float | None  # the charger's register
    session_energy_kwh: float | None
    soc_percent: float | None
    limit_a: float | None  # the last limit applied, in A as the balancer asked
    rate_unit: RateUnit | None
    failsafe_installed: bool | None


def charger_info(
    charger_id: str,
    state: ChargePointState,
    *,
    limit_a: float | None,
    rate_unit: RateUnit | None,
    failsafe_installed: bool | None,
) -> ChargerInfo:
    """Freeze the charger's state."""
    boot = state.boot
    return ChargerInfo(
        charger_id=charger_id,
        connected=state.connected,
        ocpp_version=state.version.value if state.version else None,
        vendor=boot.vendor if boot else None,
        model=boot.model if boot else None,
        serial_number=boot.serial_number if boot else None,
        firmware_version=boot.firmware_version if boot else None,
        connector_status=state.connector_status,
        charging_state=state.charging_state,
        error_code=state.error_code,
        transaction_id=state.transaction_id,
        id_tag=state.id_tag,
        last_heartbeat=state.last_heartbeat,
        last_seen=state.last_seen,
        current_a=state.current_a,
        power_w=state.power_w,
        voltage_v=state.voltage_v,
        energy_kwh=None if state.energy_wh is None else state.energy_wh / 1000.0,
        session_energy_kwh=state.session_energy_kwh,
        soc_percent=state.soc_percent,
        limit_a=limit_a,
        rate_unit=rate_unit,
        failsafe_installed=failsafe_installed,
    )
