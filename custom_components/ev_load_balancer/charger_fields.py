"""The form fields every kind of charger asks for: name, wiring, currents, priority."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_NAME
from homeassistant.helpers import selector
import voluptuous as vol

from .config_model import SiteConfig, connection_wiring
from .const import (
    CIRCUIT_SITE,
    CONF_CIRCUIT,
    CONF_CONNECTION,
    CONF_MAX_CURRENT,
    CONF_MIN_CURRENT,
    CONF_PRIORITY,
    CONNECTIONS,
    DEFAULT_PRIORITY,
    PRIORITY_MAX,
    PRIORITY_MIN,
)
from .form_selectors import number_box


def site_connections(site_phases: int) -> list[str]:
    """The wirings a charger can have on a site with this many phases."""
    return [c for c in CONNECTIONS if max(connection_wiring(c)) < site_phases]


def charger_fields(
    defaults: dict[str, Any], connections: list[str], suggested_name: str | None = None
) -> dict[vol.Marker, Any]:
    return {
        vol.Required(
            CONF_NAME, default=defaults.get(CONF_NAME, suggested_name or vol.UNDEFINED)
        ): selector.TextSelector(),
        vol.Required(
            CONF_CONNECTION, default=defaults.get(CONF_CONNECTION, connections[0])
        ): selector.SelectSelector(
            selector.SelectSelectorConfig(
                options=connections, translation_key="connection"
            )
        ),
        vol.Required(
            CONF_MIN_CURRENT, default=defaults.get(CONF_MIN_CURRENT, 6)
        ): number_box(6, 80, "A"),
        vol.Required(
            CONF_MAX_CURRENT, default=defaults.get(CONF_MAX_CURRENT, 16)
        ): number_box(6, 80, "A"),
        vol.Required(
            CONF_PRIORITY, default=defaults.get(CONF_PRIORITY, DEFAULT_PRIORITY)
        ): number_box(PRIORITY_MIN, PRIORITY_MAX),
    }


def circuit_fields(
    entry: ConfigEntry, defaults: dict[str, Any]
) -> dict[vol.Marker, Any]:
    """The circuit a charger hangs on; asked only when the site has circuits."""
    circuits = SiteConfig.from_entry(entry).circuits
    if not circuits:
        return {}
    options = [
        selector.SelectOptionDict(value=CIRCUIT_SITE, label=entry.title),
        *(
            selector.SelectOptionDict(value=circuit.circuit_id, label=circuit.name)
            for circuit in circuits
        ),
    ]
    return {
        vol.Required(
            CONF_CIRCUIT, default=defaults.get(CONF_CIRCUIT) or CIRCUIT_SITE
        ): selector.SelectSelector(
            selector.SelectSelectorConfig(
                options=options, mode=selector.SelectSelectorMode.DROPDOWN
            )
        )
    }


def check_circuit(entry: ConfigEntry, user_input: dict[str, Any]) -> dict[str, str]:
    """The charger's circuit must exist and carry every phase it is wired to."""
    circuit_id = user_input.get(CONF_CIRCUIT) or CIRCUIT_SITE
    if circuit_id == CIRCUIT_SITE:
        return {}
    circuits = {c.circuit_id: c for c in SiteConfig.from_entry(entry).circuits}
    circuit = circuits.get(circuit_id)
    if circuit is None:
        return {CONF_CIRCUIT: "unknown_circuit"}
    wiring = connection_wiring(user_input[CONF_CONNECTION])
    if not set(wiring) <= set(circuit.phases):
        return {CONF_CIRCUIT: "circuit_lacks_phase"}
    return {}
