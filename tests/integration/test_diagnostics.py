"""Diagnostics: enough to understand a site's last round, nothing secret."""

from __future__ import annotations

from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.ev_load_balancer.diagnostics import (
    async_get_config_entry_diagnostics,
)

from .loop_helpers import drain
from .simulated_site import SimulatedSite


async def test_diagnostics_show_the_round_and_redact_service_data(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    site: SimulatedSite,
    mock_config_entry: MockConfigEntry,
) -> None:
    # No frozen clock here: HA's diagnostics view imports modules lazily, and
    # that fails under freezegun's fake datetime.
    hass.services.async_register("zaptec", "limit_current", lambda call: None)
    zaptec = ConfigSubentryData(
        data={
            **site.subentry_data(site.charger("cp4")),
            "control": "service",
            "service": "zaptec.limit_current",
            "service_data": {"device_id": "secret-device"},
        },
        subentry_type="charger",
        title="CP4",
        unique_id="zaptec",
    )
    entry = MockConfigEntry(
        domain=mock_config_entry.domain,
        title=mock_config_entry.title,
        unique_id=mock_config_entry.unique_id,
        data=mock_config_entry.data,
        options=mock_config_entry.options,
        subentries_data=[
            *(
                ConfigSubentryData(
                    data=sub.data,
                    subentry_id=sub.subentry_id,
                    subentry_type=sub.subentry_type,
                    title=sub.title,
                    unique_id=sub.unique_id,
                )
                for sub in mock_config_entry.subentries.values()
            ),
            zaptec,
        ],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await drain(hass)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    direct = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics.keys() == direct.keys()
    assert diagnostics["meter"]["problem"] is None
    assert diagnostics["meter"]["reading"]["current_a"] == [28.0, 37.0, 28.0]
    limits = {
        charger_id: limit["current_a"]
        for charger_id, limit in diagnostics["allocation"]["limits"].items()
    }
    assert limits["sub_cp1"] == 9.0
    assert diagnostics["links"]["sub_cp1"]["applied_a"] == 9.0
    zaptec = next(s for s in diagnostics["entry"]["subentries"] if s["title"] == "CP4")
    assert zaptec["data"]["service_data"] == "**REDACTED**"
    assert "secret-device" not in str(diagnostics)
