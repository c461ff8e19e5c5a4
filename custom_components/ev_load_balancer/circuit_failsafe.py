"""The OCPP chargers' own failsafe currents against the circuits' fuses.

When Home Assistant is gone every OCPP charger falls back to its failsafe
current at once (failsafe_budget.py keeps their sum within the main fuse).
On a sub-board or row the same sum must stay within that circuit's rating
less its margin and the load assumed without a meter, and so on up the tree.
"""

from __future__ import annotations

from collections.abc import Mapping
import math

from homeassistant.config_entries import ConfigEntry

from .circuit_model import CircuitConfig
from .config_model import SiteConfig
from .ocpp_const import CONF_FAILSAFE_CURRENT, SUBENTRY_OCPP_CHARGER


def _chain(
    circuit_id: str | None, circuits: Mapping[str, CircuitConfig]
) -> list[CircuitConfig]:
    """The circuit and every circuit above it (not the main fuse)."""
    chain: list[CircuitConfig] = []
    while circuit_id is not None and circuit_id in circuits:
        circuit = circuits[circuit_id]
        if circuit in chain:
            break
        chain.append(circuit)
        circuit_id = circuit.parent_id
    return chain


def _budget(circuit: CircuitConfig) -> float:
    return max(0.0, circuit.rating_a - circuit.margin_a - circuit.reserve_a)


def circuit_failsafe_room(
    entry: ConfigEntry,
    circuit_id: str | None,
    wiring: tuple[int, ...],
    skip: str | None = None,
) -> float:
    """The highest failsafe current a charger on `circuit_id` wired to these
    site phases may have, for every circuit above it (inf on the main fuse
    alone); subentry `skip` (the one being reconfigured) is left out."""
    config = SiteConfig.from_entry(entry)
    circuits = {c.circuit_id: c for c in config.circuits}
    chain = _chain(circuit_id, circuits)
    if not chain:
        return math.inf
    used = {c.circuit_id: [0.0] * config.phases for c in chain}
    for charger in config.chargers:
        subentry = entry.subentries.get(charger.charger_id)
        if (
            subentry is None
            or subentry.subentry_type != SUBENTRY_OCPP_CHARGER
            or charger.charger_id == skip
        ):
            continue
        failsafe = float(subentry.data.get(CONF_FAILSAFE_CURRENT, 0.0))
        for above in _chain(charger.circuit_id, circuits):
            if above.circuit_id in used:
                for phase in charger.wiring:
                    used[above.circuit_id][phase] += failsafe
    return max(
        0.0,
        min(
            _budget(circuit) - used[circuit.circuit_id][phase]
            for circuit in chain
            for phase in wiring
        ),
    )


def circuit_share_cap(
    entry: ConfigEntry, newcomer_circuit: str | None, newcomer_wiring: tuple[int, ...]
) -> float:
    """The highest failsafe current that every OCPP charger (the newcomer
    too) may share equally without overloading a circuit (inf: no circuit)."""
    config = SiteConfig.from_entry(entry)
    circuits = {c.circuit_id: c for c in config.circuits}
    members: list[tuple[str | None, tuple[int, ...]]] = [
        (newcomer_circuit, newcomer_wiring)
    ]
    for charger in config.chargers:
        subentry = entry.subentries.get(charger.charger_id)
        if subentry is not None and subentry.subentry_type == SUBENTRY_OCPP_CHARGER:
            members.append((charger.circuit_id, charger.wiring))
    cap = math.inf
    for circuit in circuits.values():
        for phase in range(config.phases):
            count = sum(
                1
                for circuit_id, wiring in members
                if phase in wiring and circuit in _chain(circuit_id, circuits)
            )
            if count:
                cap = min(cap, _budget(circuit) / count)
    return cap


def failsafe_under(entry: ConfigEntry, circuit_id: str) -> list[float]:
    """Per site phase, the OCPP chargers' failsafe currents under a circuit."""
    config = SiteConfig.from_entry(entry)
    circuits = {c.circuit_id: c for c in config.circuits}
    used = [0.0] * config.phases
    for charger in config.chargers:
        subentry = entry.subentries.get(charger.charger_id)
        if subentry is None or subentry.subentry_type != SUBENTRY_OCPP_CHARGER:
            continue
        if any(
            c.circuit_id == circuit_id for c in _chain(charger.circuit_id, circuits)
        ):
            for phase in charger.wiring:
                used[phase] += float(subentry.data.get(CONF_FAILSAFE_CURRENT, 0.0))
    return used


def failsafe_fits_under_parent(
    entry: ConfigEntry, circuit_id: str, parent_id: str | None
) -> bool:
    """Whether the OCPP failsafe currents under `circuit_id` still fit every
    circuit above `parent_id` if the circuit hangs there (moved or not)."""
    config = SiteConfig.from_entry(entry)
    circuits = {c.circuit_id: c for c in config.circuits}
    moving = failsafe_under(entry, circuit_id)
    # The circuits above it now, which already count what it carries.
    above_now = {c.circuit_id for c in _chain(circuit_id, circuits)}
    for ancestor in _chain(parent_id, circuits):
        if ancestor.circuit_id == circuit_id:
            continue  # a cycle: refused by the form on its own
        there = failsafe_under(entry, ancestor.circuit_id)
        counted = ancestor.circuit_id in above_now
        for phase, amps in enumerate(there):
            total = amps + (0.0 if counted else moving[phase])
            if total > _budget(ancestor) + 1e-6:
                return False
    return True
