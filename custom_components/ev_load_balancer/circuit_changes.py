"""Circuits added, changed or removed while the site runs: applied in place.

As with chargers (site_changes.py), a reload would drop every OCPP charger's
websocket; a circuit changes only the tree the loop balances on, the meters
it reads and the circuit's own entities.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from .config_model import SiteConfig
from .site_changes import remove_stale_entities

if TYPE_CHECKING:
    from .models import EvLoadBalancerConfigEntry

_LOGGER = logging.getLogger(__name__)


async def async_apply_circuit_changes(entry: EvLoadBalancerConfigEntry) -> None:
    """Bring the running site's circuits in line with the entry's subentries."""
    data = entry.runtime_data
    coordinator, platforms = data.coordinator, data.circuit_platforms
    circuits = SiteConfig.from_entry(entry).circuits
    old = {c.circuit_id: c for c in coordinator.site_config.circuits}
    new = {c.circuit_id: c for c in circuits}
    if old == new:
        return
    for circuit_id in old.keys() - new.keys():
        # Home Assistant removed the subentry's entities and device already.
        platforms.forget_charger(circuit_id)
        _LOGGER.info("Circuit %s leaves %s", old[circuit_id].name, entry.title)
    changed = [cid for cid in new if cid in old and old[cid] != new[cid]]
    for circuit_id in changed:
        await platforms.async_remove_charger(circuit_id)
    await coordinator.async_set_circuits(circuits)
    for circuit_id, circuit in new.items():
        if circuit_id in old and circuit_id not in changed:
            continue
        platforms.add_charger(circuit_id)
        if circuit_id in old:
            remove_stale_entities(
                coordinator.hass, entry.entry_id, circuit_id, platforms
            )
        _LOGGER.info(
            "Circuit %s %s %s",
            circuit.name,
            "changed in" if circuit_id in old else "joins",
            entry.title,
        )
