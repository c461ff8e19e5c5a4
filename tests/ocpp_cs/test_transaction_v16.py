"""A whole OCPP 1.6J session: status, authorization, meter values, billing."""

from __future__ import annotations

import csv
import io

from ocpp.v16 import call as call16
import pytest

from custom_components.ev_load_balancer.balancer import ChargerState
from custom_components.ev_load_balancer.ocpp_cs import (
    CentralSystem,
    ChargerConfig,
    OcppChargerBackend,
)
from evlb_sim.live.ocpp_charge_points import RecordingChargePointV16

from .conftest import StartServer, boot_and_setup
from .fake_chargers import charger_session
from .messages import meter_value, now_iso, sampled_v16, three_phase_v16


async def _status(
    charger: RecordingChargePointV16, status: str, connector: int = 1
) -> None:
    await charger.call(
        call16.StatusNotification(
            connector_id=connector, error_code="NoError", status=status
        )
    )


async def test_whole_transaction(start_server: StartServer) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    notified: list[None] = []
    backend.add_listener(lambda: notified.append(None))
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        await boot_and_setup(charger, backend)
        await _status(charger, "Preparing")
        assert backend.status.state is ChargerState.CONNECTED
        assert backend.info.connector_status == "Preparing"

        authorized = await charger.call(call16.Authorize(id_tag="TAG-1"))
        assert authorized.id_tag_info["status"] == "Accepted"
        started = await charger.call(
            call16.StartTransaction(
                connector_id=1, id_tag="TAG-1", meter_start=1000, timestamp=now_iso()
            )
        )
        assert started.id_tag_info["status"] == "Accepted"
        transaction_id = started.transaction_id
        await _status(charger, "Charging")
        await charger.call(
            call16.MeterValues(
                connector_id=1,
                transaction_id=transaction_id,
                meter_value=[
                    three_phase_v16(
                        (16.0, 15.5, 16.2),
                        voltage=231.0,
                        power_w=11000.0,
                        energy_kwh=3.5,
                        soc=54.0,
                    )
                ],
            )
        )
        status = backend.status
        assert status.state is ChargerState.CHARGING
        assert status.current_a == (16.0, 15.5, 16.2)
        assert status.power_w == 11000.0
        assert status.energy_kwh == pytest.approx(3.5)
        assert status.updated_at is not None
        info = backend.info
        assert info.transaction_id == str(transaction_id)
        assert info.id_tag == "TAG-1"
        assert info.session_energy_kwh == pytest.approx(2.5)
        assert info.soc_percent == 54.0
        assert info.voltage_v == pytest.approx(231.0)

        assert backend.info.last_heartbeat is None
        await charger.call(call16.Heartbeat())
        assert backend.info.last_heartbeat is not None

        stopped = await charger.call(
            call16.StopTransaction(
                meter_stop=4700,
                timestamp=now_iso(),
                transaction_id=transaction_id,
                reason="EVDisconnected",
                id_tag="TAG-1",
            )
        )
        assert stopped.id_tag_info["status"] == "Accepted"
        assert backend.status.current_a == (0.0, 0.0, 0.0)  # no phantom draw
        await _status(charger, "Finishing")
        assert backend.status.state is ChargerState.EV_FULL
        await _status(charger, "Available")
        assert backend.status.state is ChargerState.NO_EV
    assert notified  # listeners heard about the changes
    _assert_one_session(server, str(transaction_id))


def _assert_one_session(server: CentralSystem, transaction_id: str) -> None:
    (record,) = server.sessions.records
    assert record.transaction_id == transaction_id
    assert record.id_tag == "TAG-1"
    assert record.energy_kwh == pytest.approx(3.7)
    assert record.stop_reason == "EVDisconnected"
    rows = list(csv.DictReader(io.StringIO(server.sessions.to_csv())))
    assert len(rows) == 1
    assert rows[0]["charger_id"] == "CP1"
    assert rows[0]["transaction_id"] == transaction_id
    assert rows[0]["energy_kwh"] == "3.700"
    assert rows[0]["meter_start_kwh"] == "1.000"


async def test_id_tag_policy(start_server: StartServer) -> None:
    server = await start_server(
        ChargerConfig(charger_id="CP1"),
        authorize=lambda charger_id, id_tag: id_tag != "BLOCKED",
    )
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        await boot_and_setup(charger, backend)
        refused = await charger.call(call16.Authorize(id_tag="BLOCKED"))
        assert refused.id_tag_info["status"] == "Invalid"
        allowed = await charger.call(call16.Authorize(id_tag="FRIEND"))
        assert allowed.id_tag_info["status"] == "Accepted"


async def test_other_messages_are_answered(start_server: StartServer) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend: OcppChargerBackend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        await boot_and_setup(charger, backend)
        transfer = await charger.call(
            call16.DataTransfer(vendor_id="com.acme", data="x")
        )
        assert transfer.status == "UnknownVendorId"
        await charger.call(call16.FirmwareStatusNotification(status="Idle"))
        await _status(charger, "Faulted", connector=0)
        assert backend.status.state is ChargerState.FAULTED


async def test_charger_meter_counts_only_until_the_connector_reports(
    start_server: StartServer,
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1", phases=1))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        await boot_and_setup(charger, backend)
        whole = meter_value(sampled_v16("Current.Import", 9.0, "A"))
        await charger.call(call16.MeterValues(connector_id=0, meter_value=[whole]))
        assert backend.status.current_a == (9.0,)
        own = meter_value(sampled_v16("Current.Import", 7.0, "A", phase="L1"))
        await charger.call(call16.MeterValues(connector_id=1, meter_value=[own]))
        assert backend.status.current_a == (7.0,)
        await charger.call(call16.MeterValues(connector_id=0, meter_value=[whole]))
        assert backend.status.current_a == (7.0,)
