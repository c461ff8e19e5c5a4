"""A whole OCPP 2.0.1 session through TransactionEvent."""

from __future__ import annotations

from typing import Any

from ocpp.v201 import call as call201
import pytest

from custom_components.ev_load_balancer.balancer import ChargerState
from custom_components.ev_load_balancer.ocpp_cs import ChargerConfig
from evlb_sim.live.ocpp_charge_points import RecordingChargePointV201

from .conftest import StartServer, boot_and_setup
from .fake_chargers import charger_session
from .messages import meter_value, now_iso, sampled_v201

TOKEN = {"id_token": "TAG-2", "type": "ISO14443"}


async def _status(charger: RecordingChargePointV201, status: str) -> None:
    await charger.call(
        call201.StatusNotification(
            timestamp=now_iso(), connector_status=status, evse_id=1, connector_id=1
        )
    )


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


async def test_whole_transaction(start_server: StartServer) -> None:
    server = await start_server(ChargerConfig(charger_id="CS1"))
    backend = server.backends["CS1"]
    async with charger_session(server, "CS1", RecordingChargePointV201) as charger:
        await boot_and_setup(charger, backend)
        await _status(charger, "Available")
        assert backend.status.state is ChargerState.NO_EV
        await _status(charger, "Occupied")
        assert backend.status.state is ChargerState.CONNECTED

        authorized = await charger.call(call201.Authorize(id_token=TOKEN))
        assert authorized.id_token_info["status"] == "Accepted"
        started = await _event(
            charger,
            "Started",
            0,
            {"transaction_id": "tx-42", "charging_state": "EVConnected"},
            trigger_reason="Authorized",
            evse={"id": 1, "connector_id": 1},
            id_token=TOKEN,
            meter_value=[
                meter_value(
                    sampled_v201(
                        "Energy.Active.Import.Register",
                        2.0,
                        "kWh",
                        context="Transaction.Begin",
                    )
                )
            ],
        )
        assert started.id_token_info["status"] == "Accepted"
        assert backend.status.state is ChargerState.CONNECTED
        await _event(
            charger,
            "Updated",
            1,
            {"transaction_id": "tx-42", "charging_state": "Charging"},
            meter_value=[
                meter_value(
                    *(
                        sampled_v201("Current.Import", current, "A", phase=phase)
                        for current, phase in ((10.0, "L1"), (10.5, "L2"), (9.5, "L3"))
                    ),
                    sampled_v201("Voltage", 229.0, "V", phase="L1-N"),
                    sampled_v201("Power.Active.Import", 7.0, "W", multiplier=3),
                    sampled_v201("Energy.Active.Import.Register", 2500.0, "Wh"),
                    sampled_v201("SoC", 61.0, "Percent"),
                )
            ],
        )
        status = backend.status
        assert status.state is ChargerState.CHARGING
        assert status.current_a == (10.0, 10.5, 9.5)
        assert status.power_w == pytest.approx(7000.0)
        assert status.energy_kwh == pytest.approx(2.5)
        info = backend.info
        assert (info.transaction_id, info.id_tag) == ("tx-42", "TAG-2")
        assert info.charging_state == "Charging"
        assert info.session_energy_kwh == pytest.approx(0.5)
        assert info.soc_percent == 61.0

        await _event(
            charger,
            "Updated",
            2,
            {"transaction_id": "tx-42", "charging_state": "SuspendedEV"},
        )
        assert backend.status.state is ChargerState.EV_FULL
        await charger.call(
            call201.MeterValues(
                evse_id=1,
                meter_value=[
                    meter_value(sampled_v201("Energy.Active.Import.Register", 3100.0))
                ],
            )
        )
        await _event(
            charger,
            "Ended",
            3,
            {"transaction_id": "tx-42", "stopped_reason": "EVDisconnected"},
            trigger_reason="EVCommunicationLost",
        )
        assert backend.info.transaction_id is None
        assert backend.status.current_a == (0.0, 0.0, 0.0)
        assert backend.status.state is ChargerState.EV_FULL  # plugged, session over
        await _status(charger, "Available")
        assert backend.status.state is ChargerState.NO_EV
    (record,) = server.sessions.records
    assert record.transaction_id == "tx-42"
    assert record.id_tag == "TAG-2"
    assert record.energy_kwh == pytest.approx(1.1)
    assert record.stop_reason == "EVDisconnected"


async def test_faulted_and_other_messages(start_server: StartServer) -> None:
    server = await start_server(ChargerConfig(charger_id="CS1"))
    backend = server.backends["CS1"]
    async with charger_session(server, "CS1", RecordingChargePointV201) as charger:
        await boot_and_setup(charger, backend)
        await _status(charger, "Faulted")
        assert backend.status.state is ChargerState.FAULTED
        transfer = await charger.call(call201.DataTransfer(vendor_id="com.acme"))
        assert transfer.status == "UnknownVendorId"
        await charger.call(
            call201.NotifyEvent(
                generated_at=now_iso(),
                seq_no=0,
                event_data=[
                    {
                        "event_id": 1,
                        "timestamp": now_iso(),
                        "trigger": "Delta",
                        "actual_value": "Faulted",
                        "event_notification_type": "HardWiredNotification",
                        "component": {"name": "Connector"},
                        "variable": {"name": "AvailabilityState"},
                    }
                ],
            )
        )
        heartbeat = await charger.call(call201.Heartbeat())
        assert heartbeat.current_time
        assert backend.info.last_heartbeat is not None
