"""OCPP 2.0.1 CALLs from an adopted charger."""

from __future__ import annotations

from collections.abc import Mapping
import time

from .const import OcppVersion
from .incoming import IncomingCalls, Route
from .meter_values import MeterSample, parse_meter_values
from .payload import as_int, as_object, as_str, parse_time, path
from .sessions import SessionRecord
from .wire import JsonObject


class IncomingV201(IncomingCalls):
    """Answers OCPP 2.0.1."""

    version = OcppVersion.V201
    acknowledged = frozenset(
        {
            "ClearedChargingLimit",
            "FirmwareStatusNotification",
            "LogStatusNotification",
            "NotifyChargingLimit",
            "NotifyCustomerInformation",
            "NotifyDisplayMessages",
            "NotifyEvent",
            "NotifyMonitoringReport",
            "NotifyReport",
            "PublishFirmwareStatusNotification",
            "ReportChargingProfiles",
            "ReservationStatusUpdate",
            "SecurityEventNotification",
        }
    )

    def routes(self) -> Mapping[str, Route]:
        return {
            "BootNotification": self.boot_notification,
            "Heartbeat": self.heartbeat,
            "DataTransfer": self.data_transfer,
            "StatusNotification": self._status_notification,
            "Authorize": self._authorize,
            "TransactionEvent": self._transaction_event,
            "MeterValues": self._meter_values,
        }

    def _status_notification(self, payload: JsonObject) -> JsonObject:
        if as_int(payload.get("evseId")) == self._host.config.connector_id:
            self.status_changed(as_str(payload.get("connectorStatus")) or "Unknown")
        return {}

    def _authorize(self, payload: JsonObject) -> JsonObject:
        id_token = as_str(path(payload, "idToken", "idToken"))
        return {"idTokenInfo": {"status": self.authorization(id_token)}}

    def _meter_values(self, payload: JsonObject) -> JsonObject:
        evse = as_int(payload.get("evseId"))
        own = evse == self._host.config.connector_id
        if own or evse == 0:
            sample = parse_meter_values(self.version, payload.get("meterValue"))
            self.take_meter_sample(sample, own_connector=own)
        return {}

    def _transaction_event(self, payload: JsonObject) -> JsonObject:
        host = self._host
        state = host.state
        event = as_str(payload.get("eventType"))
        info = as_object(payload.get("transactionInfo")) or {}
        transaction_id = as_str(info.get("transactionId")) or ""
        id_token = as_str(path(payload, "idToken", "idToken"))
        evse = as_int(path(payload, "evse", "id"))
        # evse is only required in the first event of a transaction.
        # A transaction begun before a restart is known by its record.
        known = host.sessions.active(host.charger_id)
        ours = (
            transaction_id == state.transaction_id
            or evse == host.config.connector_id
            or (known is not None and known.transaction_id == transaction_id)
        )
        sample = parse_meter_values(self.version, payload.get("meterValue"))
        now = time.time()
        if ours and state.transaction_id != transaction_id and event != "Ended":
            self._begin(payload, transaction_id, id_token, sample)
        if ours:
            if id_token is not None:
                state.id_tag = id_token
            charging_state = as_str(info.get("chargingState"))
            if charging_state is not None:
                state.charging_state = charging_state
            if sample.energy_wh is not None or sample.phase_current_a:
                self.take_meter_sample(sample, own_connector=True)
            if charging_state not in (None, "Charging", "SuspendedEV", "SuspendedEVSE"):
                state.stop_drawing(now)
        if event == "Ended":
            self._end(payload, transaction_id, sample, ours=ours)
        if id_token is None:
            return {}
        return {"idTokenInfo": {"status": self.authorization(id_token)}}

    def _begin(
        self,
        payload: JsonObject,
        transaction_id: str,
        id_token: str | None,
        sample: MeterSample,
    ) -> None:
        host = self._host
        known = host.sessions.active(host.charger_id)
        if known is not None and known.transaction_id == transaction_id:
            # Begun before a restart: the record keeps its start (and its bill).
            host.state.start_session(
                transaction_id, id_token or known.id_tag, known.meter_start_wh
            )
            return
        meter_start = _first_known(
            sample.transaction_begin_energy_wh, sample.energy_wh, host.state.energy_wh
        )
        host.state.start_session(transaction_id, id_token, meter_start)
        host.sessions.start(
            SessionRecord(
                charger_id=host.charger_id,
                transaction_id=transaction_id,
                connector_id=host.config.connector_id,
                id_tag=id_token,
                started_at=parse_time(payload.get("timestamp")) or time.time(),
                meter_start_wh=meter_start,
            )
        )

    def _end(
        self,
        payload: JsonObject,
        transaction_id: str,
        sample: MeterSample,
        *,
        ours: bool,
    ) -> None:
        host = self._host
        meter_stop = _first_known(
            sample.transaction_end_energy_wh,
            sample.energy_wh,
            host.state.energy_wh if ours else None,
        )
        now = time.time()
        host.sessions.stop(
            host.charger_id,
            transaction_id,
            stopped_at=parse_time(payload.get("timestamp")) or now,
            meter_stop_wh=meter_stop,
            reason=as_str(path(payload, "transactionInfo", "stoppedReason")) or "Local",
        )
        if ours:
            host.state.end_session(paused=host.holds_paused, now=now)


def _first_known(*values: float | None) -> float | None:
    return next((value for value in values if value is not None), None)
