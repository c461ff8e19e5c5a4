"""Hostile and careless chargers, seen from Home Assistant (issue #12).

Defect 1: one MeterValues with an energy register of "1e308" kWh made the
energy sensor infinite, and every round after it failed until the site was
reloaded: other chargers' sensors stopped updating. Defect 4: without a
password, a second connection with an adopted id took over. Chargers
adopted without a password are now a repair issue, and the adoption flow
offers a generated password.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from websockets.exceptions import InvalidStatus

from custom_components.ev_load_balancer.const import DOMAIN
from custom_components.ev_load_balancer.ocpp_cs import SessionRecord, hash_password
from custom_components.ev_load_balancer.ocpp_sessions_store import (
    SessionStore,
    export_path,
)
from evlb_sim.live.ocpp_charge_points import RecordingChargePointV16
from tests.ocpp_cs.conftest import boot
from tests.ocpp_cs.raw_charger import raw_charger

from .conftest import SetUpSite
from .site import connected, ocpp_subentry, server_port, site_entry, state_becomes

ENERGY = "Energy.Active.Import.Register"
BOOT = {"chargePointVendor": "Acme", "chargePointModel": "X"}


def _energy(kwh: str) -> dict[str, Any]:
    return {
        "connectorId": 1,
        "meterValue": [
            {
                "timestamp": "2026-01-01T12:00:00Z",
                "sampledValue": [{"value": kwh, "measurand": ENERGY, "unit": "kWh"}],
            }
        ],
    }


async def test_an_infinite_register_neither_shows_nor_stops_the_loop(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    entry = await setup_site(site_entry(ocpp_subentry("CP1"), ocpp_subentry("CP2")))
    port = server_port(entry)
    async with (
        raw_charger(port, "CP1", "ocpp1.6") as first,
        raw_charger(port, "CP2", "ocpp1.6") as second,
    ):
        for charger in (first, second):
            assert (await charger.call("b", "BootNotification", BOOT))[0] == 3
        await first.call("m1", "MeterValues", _energy("12.5"))
        await state_becomes(hass, "sensor.cp1_energy", "12.5")
        answer = await first.call("m2", "MeterValues", _energy("1e308"))
        assert answer[:3] == [3, "m2", {}]
        # The site goes on: the other charger's register still shows.
        await second.call("m3", "MeterValues", _energy("3.25"))
        await state_becomes(hass, "sensor.cp2_energy", "3.25")
        await first.call("m4", "MeterValues", _energy("12.75"))
        await state_becomes(hass, "sensor.cp1_energy", "12.75")
    exported = await hass.services.async_call(
        DOMAIN,
        "export_sessions",
        {"site": entry.entry_id},
        blocking=True,
        return_response=True,
    )
    assert exported is not None
    assert exported["sessions"] == 0


async def test_a_second_connection_is_refused_and_named_in_a_repair_issue(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    entry = await setup_site(site_entry(ocpp_subentry("CP1", title="Bay 1")))
    issues = ir.async_get(hass)
    issue_id = f"ocpp_id_collision_{entry.entry_id}_CP1"
    async with connected(entry, "CP1", RecordingChargePointV16) as real:
        assert await boot(real) == "Accepted"
        await state_becomes(hass, "binary_sensor.bay_1_connected", "on")
        with pytest.raises(InvalidStatus) as refused:
            async with connected(entry, "CP1", RecordingChargePointV16):
                pass
        assert refused.value.response.status_code == 409
        issue = issues.async_get_issue(DOMAIN, issue_id)
        assert issue is not None
        assert issue.translation_placeholders == {
            "site": "Garage",
            "charger": "Bay 1",
            "charger_id": "CP1",
            "address": "127.0.0.1",
        }
        assert hass.states.get("binary_sensor.bay_1_connected").state == "on"
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert issues.async_get_issue(DOMAIN, issue_id) is None


async def test_chargers_without_a_password_are_a_repair_issue(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    secret = await hass.async_add_executor_job(hash_password, "0123456789abcdefABCD")
    entry = await setup_site(
        site_entry(
            ocpp_subentry("CP1", title="Bay 1"),
            ocpp_subentry("CP2", title="Bay 2", password_hash=secret),
            ocpp_subentry("CP3", title="Bay 3"),
        )
    )
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"ocpp_no_password_{entry.entry_id}"
    )
    assert issue is not None
    assert issue.translation_key == "ocpp_no_password"
    assert issue.translation_placeholders == {
        "site": "Garage",
        "chargers": "Bay 1, Bay 3",
    }


async def test_with_every_password_set_there_is_no_issue(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    secret = await hass.async_add_executor_job(hash_password, "0123456789abcdefABCD")
    entry = await setup_site(site_entry(ocpp_subentry("CP1", password_hash=secret)))
    assert (
        ir.async_get(hass).async_get_issue(DOMAIN, f"ocpp_no_password_{entry.entry_id}")
        is None
    )


async def test_adoption_offers_a_generated_password(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    entry = await setup_site(site_entry())
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "ocpp_charger"), context={"source": "user"}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"charge_point_id": "CP7"}
    )
    assert result["step_id"] == "charger"
    suggested = result["description_placeholders"]["suggested_password"]
    assert len(suggested) == 20
    assert suggested.isalnum()
    field = next(key for key in result["data_schema"].schema if key == "password")
    assert field.description == {"suggested_value": suggested}
    # Another flow, another password.
    again = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "ocpp_charger"), context={"source": "user"}
    )
    again = await hass.config_entries.subentries.async_configure(
        again["flow_id"], {"charge_point_id": "CP8"}
    )
    assert again["description_placeholders"]["suggested_password"] != suggested


async def test_old_sessions_are_exported_before_they_are_dropped(
    hass: HomeAssistant, tmp_path: Path, hass_storage: dict[str, Any]
) -> None:
    hass.config.config_dir = str(tmp_path)
    store = SessionStore(hass, "site1", max_sessions=10)
    log = await store.async_load()
    for index in range(25):
        log.start(
            SessionRecord(
                charger_id="CP1",
                transaction_id=str(index),
                connector_id=1,
                id_tag=None,
                started_at=1_767_225_600.0 + index,
                meter_start_wh=1000.0 * index,
            )
        )
    await store.async_save()
    lines = export_path(hass, "site1").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("charger_id,transaction_id")
    exported = [line.split(",")[1] for line in lines[1:]]
    kept = [record.transaction_id for record in log.records]
    assert exported + kept == [str(index) for index in range(25)]
    stored = hass_storage[f"{DOMAIN}.site1.ocpp_sessions"]["data"]
    assert [r["transaction_id"] for r in stored["records"]] == kept


def _reading(kwh: str, current_a: str) -> dict[str, Any]:
    sampled = [
        {"value": kwh, "measurand": ENERGY, "unit": "kWh"},
        {"value": current_a, "measurand": "Current.Import", "phase": "L1"},
    ]
    return {
        "connectorId": 1,
        "meterValue": [{"timestamp": "2026-01-01T12:00:00Z", "sampledValue": sampled}],
    }


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_the_energy_sensor_never_goes_back_across_a_reload(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    entry = await setup_site(
        site_entry(ocpp_subentry("CP1", connection="single_phase_l1"))
    )
    async with raw_charger(server_port(entry), "CP1", "ocpp1.6") as charger:
        await charger.call("b", "BootNotification", BOOT)
        await charger.call("m1", "MeterValues", _reading("0.194", "6"))
        await state_becomes(hass, "sensor.cp1_energy", "0.194")
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    async with raw_charger(server_port(entry), "CP1", "ocpp1.6") as charger:
        await charger.call("b", "BootNotification", BOOT)
        # Rounded differently: a step back that total_increasing must not see.
        await charger.call("m2", "MeterValues", _reading("0.19358", "7"))
        await state_becomes(hass, "sensor.cp1_current_l1", "7.0")
        assert hass.states.get("sensor.cp1_energy").state == "0.194"
        await charger.call("m3", "MeterValues", _reading("0.25", "8"))
        await state_becomes(hass, "sensor.cp1_energy", "0.25")
