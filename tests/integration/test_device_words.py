"""Device models and the default site name follow Home Assistant's language."""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_load_balancer.const import DOMAIN


def _default(schema: object, name: str) -> object:
    for key in schema.schema:  # type: ignore[attr-defined]
        if key == name:
            return key.default()
    raise KeyError(name)


@pytest.mark.parametrize(
    ("language", "site_model", "charger_model", "default_name"),
    [
        ("en", "Site", "Charger", "Main fuse"),
        ("sv", "Anläggning", "Laddare", "Huvudsäkring"),
    ],
)
async def test_device_words_are_translated(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    language: str,
    site_model: str,
    charger_model: str,
    default_name: str,
) -> None:
    hass.config.language = language
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    devices = dr.async_entries_for_config_entry(
        device_registry, mock_config_entry.entry_id
    )
    models = {device.name: device.model for device in devices}
    assert models == {
        "Garage": site_model,
        "CP1": charger_model,
        "CP2": charger_model,
        "CP3": charger_model,
    }
    form = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert _default(form["data_schema"], CONF_NAME) == default_name
    hass.config_entries.flow.async_abort(form["flow_id"])
