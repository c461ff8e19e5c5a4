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
        """Follows our EVSE's transaction. Only a Started event creates a
        record; an event of a transaction we do not know (and did not see on
        our EVSE) is answered and changes nothing."""
        host = self._host
        state = host.state
        event = as_str(payload.get("eventType"))
        info = as_object(payload.get("transactionInfo")) or {}
        transaction_id = as_str(info.get("transactionId")) or ""
        id_token = as_str(path(payload, "idToken", "idToken"))
        answer: JsonObject = (
            {}
            if id_token is None
            else {"idTokenInfo": {"status": self.authorization(id_token)}}
        )
        record = host.sessions.find(host.charger_id, transaction_id)
        sample = parse_meter_values(self.version, payload.get("meterValue"))
        if transaction_id in state.ended_transactions or (
            record is not None and record.stopped_at is not None
        ):
            # Late news of a transaction that ended: its register still counts.
            if record is None or record.connector_id == host.config.connector_id:
                self.take_meter_sample(sample, own_connector=True, live=False)
            return answer
        # evse is only required in the first event of a transaction; a
        # transaction begun before a restart is known by its record.
        on_our_evse = as_int(path(payload, "evse", "id")) == host.config.connector_id
        running = transaction_id == state.transaction_id
        if not running and event != "Ended":
            if record is not None and record.connector_id == host.config.connector_id:
                # Begun before a restart: the record keeps its start (and bill).
                state.start_session(
                    transaction_id, id_token or record.id_tag, record.meter_start_wh
                )
                running = True
            elif on_our_evse:
                self._begin(payload, transaction_id, id_token, sample, event)
                running = True
        if not running:
            return answer
        if id_token is not None:
            state.id_tag = id_token
        charging_state = as_str(info.get("chargingState"))
        if charging_state is not None:
            state.charging_state = charging_state
        self.take_meter_sample(sample, own_connector=True)
        if charging_state not in (None, "Charging", "SuspendedEV", "SuspendedEVSE"):
            state.stop_drawing(time.time())
        if event == "Ended":
            self._end(payload, transaction_id, sample)
        return answer

    def _begin(
        self,
        payload: JsonObject,
        transaction_id: str,
        id_token: str | None,
        sample: MeterSample,
        event: str | None,
    ) -> None:
        host = self._host
        state = host.state
        begin = _first_known(sample.transaction_begin_energy_wh, sample.energy_wh)
        meter_start = state.read_energy(begin) if begin is not None else None
        if event != "Started":
            # We missed its start (its record is lost): follow it, record nothing.
            state.start_session(transaction_id, id_token, None)
            return
        if meter_start is None:
            meter_start = state.energy_wh
        state.start_session(transaction_id, id_token, meter_start)
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
        self, payload: JsonObject, transaction_id: str, sample: MeterSample
    ) -> None:
        host = self._host
        state = host.state
        end = _first_known(sample.transaction_end_energy_wh, sample.energy_wh)
        meter_stop = state.read_energy(end) if end is not None else state.energy_wh
        now = time.time()
        host.sessions.stop(
            host.charger_id,
            transaction_id,
            stopped_at=parse_time(payload.get("timestamp")) or now,
            meter_stop_wh=meter_stop,
            reason=as_str(path(payload, "transactionInfo", "stoppedReason")) or "Local",
        )
        state.end_session(paused=host.holds_paused, now=now)


def _first_known(*values: float | None) -> float | None:
    return next((value for value in values if value is not None), None)
