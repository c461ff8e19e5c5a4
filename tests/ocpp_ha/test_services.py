"""Remote start/stop, unlock, reset and the session export of OCPP chargers."""

from __future__ import annotations

import csv
import io
from typing import Any

from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_load_balancer.const import DOMAIN
from evlb_sim.live.ocpp_charge_points import (
    RecordingChargePointV16,
    RecordingChargePointV201,
)
from tests.ocpp_cs.conftest import boot

from . import ev_messages as ev
from .conftest import SetUpSite
from .site import connected, ocpp_subentry, site_entry


def _device(hass: HomeAssistant, subentry_id: str) -> str:
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, subentry_id)})
    assert device is not None
    return device.id


async def _call(hass: HomeAssistant, service: str, **data: Any) -> None:
    await hass.services.async_call(DOMAIN, service, data, blocking=True)


async def test_commands_reach_the_charger(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    entry = await setup_site(site_entry(ocpp_subentry("CP1", title="Bay 1")))
    device = _device(hass, "sub_CP1")
    async with connected(entry, "CP1", RecordingChargePointV16) as charger:
        assert await boot(charger) == "Accepted"
        await _call(hass, "remote_start", charger=device, id_tag="CARD-9")
        start = await charger.recorder.next("RemoteStartTransaction")
        assert (start["connector_id"], start["id_tag"]) == (1, "CARD-9")

        with pytest.raises(ServiceValidationError) as no_session:
            await _call(hass, "remote_stop", charger=device)
        assert no_session.value.translation_key == "ocpp_no_transaction"
        transaction = await ev.start(charger, "CARD-9", 0.0)
        await _call(hass, "remote_stop", charger=device)
        stop = await charger.recorder.next("RemoteStopTransaction")
        assert str(stop["transaction_id"]) == transaction

        await _call(hass, "unlock_connector", charger=device)
        assert (await charger.recorder.next("UnlockConnector"))["connector_id"] == 1
        await _call(hass, "reset_charger", charger=device, hard=True)
        assert (await charger.recorder.next("Reset"))["type"] == "Hard"

        charger.behaviour.remote_start_status = "Rejected"
        with pytest.raises(HomeAssistantError) as rejected:
            await _call(hass, "remote_start", charger=device)
        assert rejected.value.translation_key == "ocpp_command_rejected"
        assert rejected.value.translation_placeholders == {
            "charger": "Bay 1",
            "command": "RemoteStart",
            "status": "Rejected",
        }


async def test_commands_need_a_connected_ocpp_charger(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    entity_charger = ConfigSubentryData(
        data={
            "connection": "single_phase_l1",
            "min_current": 6,
            "max_current": 16,
            "control": "number",
            "current_entity": "input_number.wallbox_limit",
        },
        subentry_id="sub_wallbox",
        subentry_type="charger",
        title="Wallbox",
        unique_id="input_number.wallbox_limit",
    )
    entry = await setup_site(
        site_entry(ocpp_subentry("CP1", title="Bay 1"), entity_charger)
    )
    with pytest.raises(HomeAssistantError) as offline:
        await _call(hass, "unlock_connector", charger=_device(hass, "sub_CP1"))
    assert offline.value.translation_key == "ocpp_not_connected"
    with pytest.raises(ServiceValidationError) as not_ocpp:
        await _call(hass, "reset_charger", charger=_device(hass, "sub_wallbox"))
    assert not_ocpp.value.translation_key == "not_ocpp_charger"
    assert not_ocpp.value.translation_placeholders == {"charger": "Wallbox"}
    # The site's own device is not a charger.
    with pytest.raises(ServiceValidationError) as not_charger:
        await _call(hass, "remote_start", charger=_device(hass, entry.entry_id))
    assert not_charger.value.translation_key == "unknown_charger"


async def test_sessions_export_per_site_or_charger(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    entry = await setup_site(
        site_entry(ocpp_subentry("CP1", title="Bay 1"), ocpp_subentry("CP2"))
    )
    for charge_point_id, factory, energy in (
        ("CP1", RecordingChargePointV16, 7000.0),
        ("CP2", RecordingChargePointV201, 2500.0),
    ):
        async with connected(entry, charge_point_id, factory) as charger:
            assert await boot(charger) == "Accepted"
            transaction = await ev.start(charger, "TAG", 1000.0)
            await ev.stop(charger, transaction, energy)

    async def export(**data: str) -> list[dict[str, str]]:
        response = await hass.services.async_call(
            DOMAIN,
            "export_sessions",
            {"site": entry.entry_id, **data},
            blocking=True,
            return_response=True,
        )
        assert response is not None
        return list(csv.DictReader(io.StringIO(str(response["csv"]))))

    everything = await export()
    assert [(row["charger_id"], row["energy_kwh"]) for row in everything] == [
        ("CP1", "6.000"),
        ("CP2", "1.500"),
    ]
    only = await export(charger=_device(hass, "sub_CP2"))
    assert [row["charger_id"] for row in only] == ["CP2"]
    with pytest.raises(ServiceValidationError) as unknown:
        await export(site="not-a-site")
    assert unknown.value.translation_key == "unknown_site"


async def test_export_refuses_a_charger_of_another_site(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    garage = await setup_site(site_entry())
    template = site_entry(ocpp_subentry("CP7", title="Shed bay"))
    shed = await setup_site(
        MockConfigEntry(
            domain=DOMAIN,
            title="Shed",
            unique_id="shed",
            data={**template.data, "name": "Shed"},
            options=dict(template.options),
            subentries_data=[ocpp_subentry("CP7", title="Shed bay")],
        )
    )
    assert shed.runtime_data.ocpp.port != garage.runtime_data.ocpp.port
    with pytest.raises(ServiceValidationError) as elsewhere:
        await hass.services.async_call(
            DOMAIN,
            "export_sessions",
            {"site": garage.entry_id, "charger": _device(hass, "sub_CP7")},
            blocking=True,
            return_response=True,
        )
    assert elsewhere.value.translation_key == "charger_not_on_site"
