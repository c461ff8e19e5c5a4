"""OCPP 1.6J CALLs from an adopted charger."""

from __future__ import annotations

from collections.abc import Mapping
import time

from .const import OcppVersion
from .incoming import IncomingCalls, Route
from .meter_values import parse_meter_values
from .payload import as_int, as_str, parse_time
from .sessions import SessionRecord
from .wire import ErrorCode, JsonObject, OcppError

# No charger has more connectors; a session on connector 10^9 is no session.
MAX_CONNECTOR_ID = 64


class IncomingV16(IncomingCalls):
    """Answers OCPP 1.6J."""

    version = OcppVersion.V16
    acknowledged = frozenset(
        {
            "DiagnosticsStatusNotification",
            "FirmwareStatusNotification",
            "LogStatusNotification",
            "SecurityEventNotification",
            "SignedFirmwareStatusNotification",
        }
    )

    def routes(self) -> Mapping[str, Route]:
        return {
            "BootNotification": self.boot_notification,
            "Heartbeat": self.heartbeat,
            "DataTransfer": self.data_transfer,
            "StatusNotification": self._status_notification,
            "Authorize": self._authorize,
            "StartTransaction": self._start_transaction,
            "StopTransaction": self._stop_transaction,
            "MeterValues": self._meter_values,
        }

    def _status_notification(self, payload: JsonObject) -> JsonObject:
        connector = as_int(payload.get("connectorId"))
        status = as_str(payload.get("status")) or "Unknown"
        state = self._host.state
        if connector == 0:
            state.station_status = status
            state.updated_at = time.time()
        elif connector == self._host.config.connector_id:
            state.error_code = as_str(payload.get("errorCode"))
            self.status_changed(status)
        return {}

    def _authorize(self, payload: JsonObject) -> JsonObject:
        id_tag = as_str(payload.get("idTag"))
        return {"idTagInfo": {"status": self.authorization(id_tag)}}

    def _start_transaction(self, payload: JsonObject) -> JsonObject:
        host = self._host
        connector = as_int(payload.get("connectorId")) or 0
        if not 1 <= connector <= MAX_CONNECTOR_ID:
            raise OcppError(
                ErrorCode.PROPERTY_CONSTRAINT_VIOLATION,
                f"connectorId {connector} is not a connector",
            )
        id_tag = as_str(payload.get("idTag"))
        meter_start = self.register_reading(payload, "meterStart")
        own = connector == host.config.connector_id
        if own:  # only the balanced connector's meter is our register
            meter_start = host.state.read_energy(meter_start)
        transaction_id = str(host.sessions.next_transaction_id())
        host.sessions.start(
            SessionRecord(
                charger_id=host.charger_id,
                transaction_id=transaction_id,
                connector_id=connector,
                id_tag=id_tag,
                started_at=parse_time(payload.get("timestamp")) or time.time(),
                meter_start_wh=meter_start,
            )
        )
        if own:
            host.state.start_session(transaction_id, id_tag, meter_start)
        return {
            "transactionId": int(transaction_id),
            "idTagInfo": {"status": self.authorization(id_tag)},
        }

    def _stop_transaction(self, payload: JsonObject) -> JsonObject:
        """Closes the session; a transaction we never gave out creates nothing
        (a stop is answered all the same, or the charger would retry it)."""
        host = self._host
        state = host.state
        transaction_id = str(as_int(payload.get("transactionId")))
        meter_stop = self.register_reading(payload, "meterStop")
        id_tag = as_str(payload.get("idTag"))
        answer: JsonObject = (
            {}
            if id_tag is None
            else {"idTagInfo": {"status": self.authorization(id_tag)}}
        )
        record = host.sessions.find(host.charger_id, transaction_id)
        running = state.transaction_id == transaction_id
        if record is None and not running:
            return answer
        if running or (
            record is not None and record.connector_id == host.config.connector_id
        ):
            # Its last meter values count toward the register, not the draw.
            sample = parse_meter_values(self.version, payload.get("transactionData"))
            self.take_meter_sample(sample, own_connector=True, live=False)
            meter_stop = state.read_energy(meter_stop)
        now = time.time()
        host.sessions.stop(
            host.charger_id,
            transaction_id,
            stopped_at=parse_time(payload.get("timestamp")) or now,
            meter_stop_wh=meter_stop,
            reason=as_str(payload.get("reason")) or "Local",
        )
        if running:
            state.end_session(paused=host.holds_paused, now=now)
        return answer

    def _meter_values(self, payload: JsonObject) -> JsonObject:
        connector = as_int(payload.get("connectorId"))
        own = connector == self._host.config.connector_id
        transaction = as_int(payload.get("transactionId"))
        if own:
            self._resume_known_session(transaction)
        if own or connector == 0:
            sample = parse_meter_values(self.version, payload.get("meterValue"))
            ended = str(transaction) in self._host.state.ended_transactions
            self.take_meter_sample(sample, own_connector=own, live=not ended)
        return {}

    def _resume_known_session(self, transaction: int | None) -> None:
        """A session that began before a restart goes on: take it up again.

        Only the charger's word that the transaction still runs (its id in a
        MeterValues) does it; the record gives its start for session energy.
        """
        host = self._host
        if transaction is None or host.state.transaction_id is not None:
            return
        record = host.sessions.active(host.charger_id)
        if record is not None and record.transaction_id == str(transaction):
            host.state.start_session(
                record.transaction_id, record.id_tag, record.meter_start_wh
            )
