"""Fix flows of repair issues: a charger found wired otherwise than configured."""

from __future__ import annotations

from typing import Any

from homeassistant import data_entry_flow
from homeassistant.components.repairs import RepairsFlow
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import voluptuous as vol

from .const import CONF_CONNECTION, CONNECTIONS, DOMAIN


class WiringFixFlow(RepairsFlow):
    """Write the detected connection into the charger's configuration."""

    def __init__(self, entry_id: str, charger_id: str, connection: str) -> None:
        self._entry_id = entry_id
        self._charger_id = charger_id
        self._connection = connection

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> data_entry_flow.FlowResult:
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> data_entry_flow.FlowResult:
        entries = self.hass.config_entries
        entry = entries.async_get_entry(self._entry_id)
        subentry = entry.subentries.get(self._charger_id) if entry else None
        if entry is None or subentry is None:
            return self.async_abort(reason="charger_gone")
        if user_input is not None:
            # The update listener applies it in place; the issue clears when
            # the detector sees the charger configured as detected.
            entries.async_update_subentry(
                entry,
                subentry,
                data={**subentry.data, CONF_CONNECTION: self._connection},
            )
            return self.async_create_entry(data={})
        issue = ir.async_get(self.hass).async_get_issue(DOMAIN, self.issue_id)
        return self.async_show_form(
            step_id="confirm",
            data_schema=vol.Schema({}),
            description_placeholders=issue.translation_placeholders if issue else None,
        )


async def async_create_fix_flow(
    hass: HomeAssistant,
    issue_id: str,
    data: dict[str, str | int | float | None] | None,
) -> RepairsFlow:
    """The fix flow of one of this integration's fixable issues."""
    assert data is not None
    connection = str(data["connection"])
    if connection not in CONNECTIONS:
        raise ValueError(f"unknown connection {connection!r}")
    return WiringFixFlow(str(data["entry_id"]), str(data["charger_id"]), connection)
