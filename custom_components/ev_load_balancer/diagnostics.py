"""Diagnostics: configuration, the last round, the circuit tree and every
charger's link."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from .coordinator import BalancerCoordinator
from .models import EvLoadBalancerConfigEntry

TO_REDACT = {"password", "password_hash", "username", "service_data", "id_tag"}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: EvLoadBalancerConfigEntry
) -> dict[str, Any]:
    coordinator = entry.runtime_data.coordinator
    allocation = coordinator.loop.last_allocation
    meter = coordinator.meter
    peak = coordinator.peak
    return {
        "entry": {
            "title": entry.title,
            "data": async_redact_data(dict(entry.data), TO_REDACT),
            "options": dict(entry.options),
            "subentries": [
                {
                    "type": sub.subentry_type,
                    "title": sub.title,
                    "data": async_redact_data(dict(sub.data), TO_REDACT),
                }
                for sub in entry.subentries.values()
            ],
        },
        "meter": {
            "problem": meter.problem.value if meter.problem else None,
            "detail": meter.problem_detail,
            "reading": asdict(meter.reading) if meter.reading else None,
        },
        "circuits": _circuits(coordinator),
        "snapshot": asdict(coordinator.data) if coordinator.data else None,
        "allocation": asdict(allocation) if allocation else None,
        # Peak shaving (capacity tariff), None while off.
        "peak": None
        if peak is None
        else {
            "tariff": asdict(peak.tariff),
            "decision": asdict(peak.controller.last) if peak.controller.last else None,
            "view": asdict(peak.view),
            "daily_peaks_kw": {
                day.isoformat(): kw
                for day, kw in peak.controller.tracker.daily_peaks_kw.items()
            },
        },
        "ocpp": async_redact_data(entry.runtime_data.ocpp.diagnostics(), TO_REDACT),
        "links": {
            charger_id: {
                "desired_a": track.link.desired_a,
                "in_flight_a": track.link.in_flight_a,
                "applied_a": track.link.applied_a,
                "failing_since": track.link.failing_since,
                "last_error": track.link.last_error,
                "ignores_limit": track.compliance.ignoring,
            }
            for charger_id, track in coordinator.loop.tracks.items()
        },
    }


def _circuits(coordinator: BalancerCoordinator) -> dict[str, Any]:
    """The tree as configured and as balanced: ratings, members, the meter's
    last reading and why it was not trusted."""
    loop_circuits = {c.circuit_id: c for c in coordinator.loop.config.circuits}
    members: dict[str | None, list[str]] = {}
    for charger in coordinator.loop.config.chargers:
        members.setdefault(charger.circuit_id, []).append(charger.charger_id)
    tree: dict[str, Any] = {}
    for circuit in coordinator.site_config.circuits:
        circuit_id = circuit.circuit_id
        meter = coordinator.circuit_meters.meters.get(circuit_id)
        reading = coordinator.loop.circuit_readings.get(circuit_id)
        tree[circuit_id] = {
            "config": asdict(circuit),
            # Left out: its parent is gone or lacks one of its phases.
            "balanced": asdict(loop_circuits[circuit_id])
            if circuit_id in loop_circuits
            else None,
            "chargers": members.get(circuit_id, []),
            "meter": None
            if meter is None
            else {
                "problem": meter.problem.value if meter.problem else None,
                "detail": meter.problem_detail,
                "reading": asdict(meter.reading) if meter.reading else None,
            },
            "trusted_reading": asdict(reading) if reading is not None else None,
            "problem": coordinator.loop.circuit_problems.get(circuit_id),
        }
    return {"tree": tree, "on_main_fuse": members.get(None, [])}
