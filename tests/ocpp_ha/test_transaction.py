"""A whole session of each version, seen through entities, services and storage."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from ocpp.v16 import call as call16
from ocpp.v201 import call as call201
import pytest

from evlb_sim.live.ocpp_charge_points import (
    RecordingChargePointV16,
    RecordingChargePointV201,
)
from tests.ocpp_cs.messages import (
    meter_value,
    now_iso,
    sampled_v201,
    three_phase_v16,
)

from .conftest import SetUpSite
from .site import booted, export_sessions, ocpp_subentry, site_entry, state_becomes


async def _status16(charger: RecordingChargePointV16, status: str) -> None:
    await charger.call(
        call16.StatusNotification(connector_id=1, error_code="NoError", status=status)
    )


async def test_an_idle_charger_draws_nothing_before_any_meter_value(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    entry = await setup_site(site_entry(ocpp_subentry("CP1", title="Bay 1")))
    async with booted(entry, "CP1", RecordingChargePointV16) as charger:
        await _status16(charger, "Available")
        await state_becomes(hass, "sensor.bay_1_state", "no_ev")
        # No MeterValues yet, but with nothing plugged in there is no power.
        assert hass.states.get("sensor.bay_1_power").state == "0"
        await _status16(charger, "Preparing")
        await state_becomes(hass, "sensor.bay_1_state", "connected")
        # An EV is there: until the charger reports, its power is not known.
        assert hass.states.get("sensor.bay_1_power").state == "unknown"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_whole_session_v16(hass: HomeAssistant, setup_site: SetUpSite) -> None:
    entry = await setup_site(site_entry(ocpp_subentry("CP1", title="Bay 1")))
    async with booted(entry, "CP1", RecordingChargePointV16) as charger:
        await _status16(charger, "Preparing")
        await state_becomes(hass, "sensor.bay_1_connector_status", "preparing")
        await state_becomes(hass, "sensor.bay_1_state", "connected")

        started = await charger.call(
            call16.StartTransaction(
                connector_id=1, id_tag="TAG-1", meter_start=1000, timestamp=now_iso()
            )
        )
        await _status16(charger, "Charging")
        await charger.call(
            call16.MeterValues(
                connector_id=1,
                transaction_id=started.transaction_id,
                meter_value=[
                    three_phase_v16((10.0, 10.5, 9.5), power_w=6900.0, energy_kwh=3.5)
                ],
            )
        )
        await state_becomes(hass, "sensor.bay_1_energy", "3.5")
        assert hass.states.get("sensor.bay_1_session_energy").state == "2.5"
        assert hass.states.get("sensor.bay_1_current_l2").state == "10.5"
        assert hass.states.get("sensor.bay_1_power").state == "6900"
        assert hass.states.get("sensor.bay_1_state").state == "charging"
        assert hass.states.get("sensor.bay_1_connector_status").state == "charging"
        assert hass.states.get("sensor.bay_1_id_tag").state == "TAG-1"
        energy = hass.states.get("sensor.bay_1_energy")
        assert energy.attributes["state_class"] == "total_increasing"
        assert energy.attributes["device_class"] == "energy"
        assert energy.attributes["unit_of_measurement"] == "kWh"

        assert hass.states.get("sensor.bay_1_last_heartbeat").state == "unknown"
        await charger.call(call16.Heartbeat())
        await state_becomes(
            hass, "sensor.bay_1_last_heartbeat", lambda state: state != "unknown"
        )
        assert hass.states.get("binary_sensor.bay_1_connected").state == "on"

        await charger.call(
            call16.StopTransaction(
                transaction_id=started.transaction_id,
                meter_stop=5000,
                timestamp=now_iso(),
                reason="EVDisconnected",
            )
        )
        await _status16(charger, "Available")
        await state_becomes(hass, "sensor.bay_1_state", "no_ev")
        assert hass.states.get("sensor.bay_1_energy").state == "5.0"

    (row,) = await export_sessions(hass, entry.entry_id)
    assert row["charger_id"] == "CP1"
    assert row["id_tag"] == "TAG-1"
    assert row["energy_kwh"] == "4.000"
    assert row["stop_reason"] == "EVDisconnected"
    assert row["started_at"] <= row["stopped_at"]

    # Sessions survive a restart of the site.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert await export_sessions(hass, entry.entry_id) == [row]


async def test_a_session_running_through_a_site_reload_keeps_its_energy(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    entry = await setup_site(site_entry(ocpp_subentry("CP1", title="Bay 1")))
    async with booted(entry, "CP1", RecordingChargePointV16) as charger:
        started = await charger.call(
            call16.StartTransaction(
                connector_id=1, id_tag="TAG-1", meter_start=1000, timestamp=now_iso()
            )
        )
        await _status16(charger, "Charging")

    # Adopting another charger, or new options, reload the site mid-session.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    async with booted(entry, "CP1", RecordingChargePointV16) as charger:
        await charger.call(
            call16.MeterValues(
                connector_id=1,
                transaction_id=started.transaction_id,
                meter_value=[
                    three_phase_v16((10.0, 10.0, 10.0), power_w=6900.0, energy_kwh=3.0)
                ],
            )
        )
        await state_becomes(hass, "sensor.bay_1_energy", "3.0")
        assert hass.states.get("sensor.bay_1_session_energy").state == "2.0"
        assert hass.states.get("sensor.bay_1_id_tag").state == "TAG-1"
        await charger.call(
            call16.StopTransaction(
                meter_stop=4000,
                timestamp=now_iso(),
                transaction_id=started.transaction_id,
                reason="EVDisconnected",
            )
        )

    (row,) = await export_sessions(hass, entry.entry_id)
    assert row["id_tag"] == "TAG-1"
    assert row["energy_kwh"] == "3.000"


async def _event(
    charger: RecordingChargePointV201,
    event_type: str,
    seq_no: int,
    info: dict[str, Any],
    **extra: Any,
) -> Any:
    return await charger.call(
        call201.TransactionEvent(
            event_type=event_type,
            timestamp=now_iso(),
            trigger_reason=extra.pop("trigger_reason", "MeterValuePeriodic"),
            seq_no=seq_no,
            transaction_info=info,
            **extra,
        )
    )


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_whole_session_v201(hass: HomeAssistant, setup_site: SetUpSite) -> None:
    entry = await setup_site(
        site_entry(
            ocpp_subentry("CS1", title="Bay 2", connection="single_phase_l2"),
            ocpp_subentry("CS2", title="Bay 3"),
        )
    )
    token = {"id_token": "TAG-2", "type": "ISO14443"}
    async with booted(entry, "CS1", RecordingChargePointV201) as charger:
        await charger.call(
            call201.StatusNotification(
                timestamp=now_iso(),
                connector_status="Occupied",
                evse_id=1,
                connector_id=1,
            )
        )
        await state_becomes(hass, "sensor.bay_2_connector_status", "occupied")
        await _event(
            charger,
            "Started",
            0,
            {"transaction_id": "tx-7", "charging_state": "EVConnected"},
            trigger_reason="Authorized",
            evse={"id": 1, "connector_id": 1},
            id_token=token,
            meter_value=[
                meter_value(sampled_v201("Energy.Active.Import.Register", 2.0, "kWh"))
            ],
        )
        await _event(
            charger,
            "Updated",
            1,
            {"transaction_id": "tx-7", "charging_state": "Charging"},
            meter_value=[
                meter_value(
                    sampled_v201("Current.Import", 12.0, "A", phase="L1"),
                    sampled_v201("Energy.Active.Import.Register", 2750.0, "Wh"),
                )
            ],
        )
        await state_becomes(hass, "sensor.bay_2_session_energy", "0.75")
        assert hass.states.get("sensor.bay_2_current_l1").state == "12.0"
        assert hass.states.get("sensor.bay_2_state").state == "charging"
        assert hass.states.get("sensor.bay_2_id_tag").state == "TAG-2"
        await _event(
            charger,
            "Ended",
            2,
            {"transaction_id": "tx-7", "stopped_reason": "Local"},
            meter_value=[
                meter_value(
                    sampled_v201(
                        "Energy.Active.Import.Register",
                        3.0,
                        "kWh",
                        context="Transaction.End",
                    )
                )
            ],
        )
        await state_becomes(hass, "sensor.bay_2_energy", "3.0")
    # Disconnected: the charger is no longer trusted, and says so.
    await state_becomes(hass, "binary_sensor.bay_2_connected", "off")

    rows = await export_sessions(hass, entry.entry_id)
    assert [
        (row["charger_id"], row["transaction_id"], row["energy_kwh"]) for row in rows
    ] == [("CS1", "tx-7", "1.000")]


async def test_a_v201_session_running_through_a_site_reload_is_one_record(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    entry = await setup_site(site_entry(ocpp_subentry("CS1", title="Bay 2")))
    token = {"id_token": "TAG-2", "type": "ISO14443"}
    async with booted(entry, "CS1", RecordingChargePointV201) as charger:
        await _event(
            charger,
            "Started",
            0,
            {"transaction_id": "tx-9", "charging_state": "Charging"},
            trigger_reason="Authorized",
            evse={"id": 1, "connector_id": 1},
            id_token=token,
            meter_value=[
                meter_value(sampled_v201("Energy.Active.Import.Register", 2.0, "kWh"))
            ],
        )

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    async with booted(entry, "CS1", RecordingChargePointV201) as charger:
        await _event(
            charger,
            "Updated",
            1,
            {"transaction_id": "tx-9", "charging_state": "Charging"},
            meter_value=[
                meter_value(sampled_v201("Energy.Active.Import.Register", 2.5, "kWh"))
            ],
        )
        await state_becomes(hass, "sensor.bay_2_session_energy", "0.5")
        await _event(
            charger,
            "Ended",
            2,
            {"transaction_id": "tx-9", "stopped_reason": "EVDisconnected"},
            meter_value=[
                meter_value(sampled_v201("Energy.Active.Import.Register", 3.5, "kWh"))
            ],
        )

    rows = await export_sessions(hass, entry.entry_id)
    assert [(row["transaction_id"], row["energy_kwh"]) for row in rows] == [
        ("tx-9", "1.500")
    ]
