"""A simulated charger's OCPP 1.6J connection to its central system.

It connects (and reconnects) like a real charger: BootNotification until
accepted (a pending charger boots again after the interval it was given, or
at once when the central system asks with TriggerMessage), then status
notifications, transactions, meter values (periodic, and when the EV changes
its draw) and heartbeats. Transaction messages wait for the connection; status
and meter values are sent fresh after a reconnection instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
import logging
import random
import time
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import (
    ConnectionClosed,
    InvalidHandshake,
    InvalidStatus,
    InvalidURI,
)
from websockets.typing import Subprotocol

from .charger_hardware import (
    ChargerHardware,
    DrawChanged,
    Message,
    StatusChanged,
    TransactionStarted,
    TransactionStopped,
)
from .ocpp_charge_points import (
    Action16,
    ChargerBehaviour,
    RecordingChargePointV16,
    after,
    call16,
)

_LOGGER = logging.getLogger(__name__)

# Connection failures a charger shrugs off: it tries again.
LINK_ERRORS = (OSError, InvalidHandshake, InvalidURI, ConnectionClosed, TimeoutError)
RETRY_S = (1.0, 3.0)  # wait before reconnecting, at random in this range
# Refused before the upgrade (the server's list of chargers waiting for
# adoption is full): real chargers back off; the wait doubles up to this.
REFUSED_BACKOFF_CAP_S = 15.0
MIN_METER_GAP_S = 1.0  # at most one MeterValues a second on draw changes
MEASURANDS = (
    "Current.Import",
    "Power.Active.Import",
    "Energy.Active.Import.Register",
    "Voltage",
)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class _Answers(ChargerBehaviour):
    """Remote start and stop are answered from the charger's state."""

    def __init__(self, hardware: ChargerHardware) -> None:
        super().__init__()
        self._hardware = hardware

    @property
    def remote_start_status(self) -> str:
        ready = self._hardware.plugged is not None and not self._hardware.transaction
        return "Accepted" if ready else "Rejected"

    @remote_start_status.setter
    def remote_start_status(self, value: str) -> None:
        """Set by the base class; the state decides."""

    @property
    def remote_stop_status(self) -> str:
        return "Accepted" if self._hardware.transaction else "Rejected"

    @remote_stop_status.setter
    def remote_stop_status(self, value: str) -> None:
        """Set by the base class; the state decides."""


class _LinkedChargePoint(RecordingChargePointV16):
    """Answers the central system for one link, then acts on what it was told."""

    def __init__(self, link: ChargerLink, connection: ClientConnection) -> None:
        super().__init__(link.charger_id, connection, keep_calls=False)
        self._link = link
        hardware = link.hardware
        self.behaviour = _Answers(hardware)
        self.behaviour.configuration = link.configuration
        self.behaviour.profile_status = lambda call: hardware.set_profile(
            int(call["connector_id"]), call["cs_charging_profiles"]
        )
        self.behaviour.configuration_status = link.change_configuration

    @after(Action16.trigger_message)
    def _after_trigger(self, requested_message: str, **_: Any) -> None:
        self._link.trigger(str(requested_message))

    @after(Action16.clear_charging_profile)
    def _after_clear(self, **criteria: Any) -> None:
        self._link.hardware.clear_profiles(criteria)

    @after(Action16.remote_start_transaction)
    def _after_remote_start(
        self, id_tag: str, charging_profile: dict[str, Any] | None = None, **_: Any
    ) -> None:
        self._link.hardware.remote_start(id_tag, charging_profile, datetime.now(UTC))

    @after(Action16.remote_stop_transaction)
    def _after_remote_stop(self, transaction_id: int, **_: Any) -> None:
        self._link.hardware.remote_stop(int(transaction_id), datetime.now(UTC))


class ChargerLink:
    """Keeps one simulated charger connected to `url` until cancelled."""

    def __init__(
        self,
        hardware: ChargerHardware,
        url: str,
        *,
        vendor: str = "evlb_sim",
        model: str = "Simulated AC 22",
        on_state: Callable[[], None] | None = None,
    ) -> None:
        self.hardware = hardware
        self.charger_id = hardware.spec.charger_id
        self.url = f"{url.rstrip('/')}/{self.charger_id}"
        self.vendor = vendor
        self.model = model
        self.connected = False
        self.accepted = False
        self.configuration: dict[str, str] = {
            "ChargeProfileMaxStackLevel": "3",
            "ChargingScheduleAllowedChargingRateUnit": "Current,Power",
            "MeterValueSampleInterval": "60",
            "MeterValuesSampledData": ",".join(MEASURANDS),
            "NumberOfConnectors": "1",
        }
        self._on_state = on_state
        self._wake = asyncio.Event()
        self._triggered: list[str] = []
        self._heartbeat_s = 300.0
        self._last_meter = 0.0
        hardware.on_message = self._wake.set

    def change_configuration(self, key: str, value: str) -> str:
        """ChangeConfiguration: every key is taken (read-only ones are not)."""
        if key in ("ChargeProfileMaxStackLevel", "NumberOfConnectors"):
            return "Rejected"
        self.configuration[key] = value
        return "Accepted"

    def trigger(self, message: str) -> None:
        """TriggerMessage: send it once the answer is out."""
        self._triggered.append(message)
        self._wake.set()

    async def run(self) -> None:
        """Connect, talk, and reconnect after a failure, until cancelled."""
        refusals = 0
        while True:
            refused = False
            try:
                async with connect(
                    self.url,
                    subprotocols=[Subprotocol("ocpp1.6")],
                    open_timeout=10,
                ) as websocket:
                    self._set_state(connected=True, accepted=False)
                    await self._serve(websocket)
            except InvalidStatus as err:
                refused = True
                _LOGGER.debug("%s: refused (%s)", self.charger_id, err)
            except LINK_ERRORS as err:
                _LOGGER.debug("%s: link down (%s)", self.charger_id, err)
            finally:
                self._set_state(connected=False, accepted=False)
            refusals = refusals + 1 if refused else 0
            factor = min(2.0**refusals, REFUSED_BACKOFF_CAP_S / RETRY_S[1])
            await asyncio.sleep(random.uniform(*RETRY_S) * factor)

    def _set_state(self, *, connected: bool, accepted: bool) -> None:
        if (connected, accepted) != (self.connected, self.accepted):
            self.connected, self.accepted = connected, accepted
            if self._on_state is not None:
                self._on_state()

    async def _serve(self, websocket: ClientConnection) -> None:
        charge_point = _LinkedChargePoint(self, websocket)
        receiving = asyncio.create_task(charge_point.start())
        talking = asyncio.create_task(self._talk(charge_point))
        try:
            done, _ = await asyncio.wait(
                {receiving, talking}, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for task in (receiving, talking):
                task.cancel()
            await asyncio.gather(receiving, talking, return_exceptions=True)
        for task in done:
            error = task.exception()
            if error is not None:
                raise error

    async def _talk(self, charge_point: _LinkedChargePoint) -> None:
        await self._boot(charge_point)
        self.hardware.commissioned = True  # EVs may come now
        self._set_state(connected=True, accepted=True)
        await self._status(charge_point, connector_id=0, status="Available")
        await self._status(charge_point)
        # Status and draw are sent fresh; sessions still have to be told.
        fresh = (StatusChanged, DrawChanged)
        outbox = self.hardware.outbox
        for message in [m for m in outbox if isinstance(m, fresh)]:
            outbox.remove(message)
        next_heartbeat = time.monotonic() + self._heartbeat_s
        next_meter = time.monotonic()
        while True:
            while self._triggered:
                await self._send_triggered(charge_point, self._triggered.pop(0))
            while outbox:
                await self._send(charge_point, outbox[0])
                outbox.popleft()
            now = time.monotonic()
            if now >= next_meter:
                await self._meter_values(charge_point)
                next_meter = now + self._meter_interval_s()
            if now >= next_heartbeat:
                await charge_point.call(call16.Heartbeat())
                next_heartbeat = now + self._heartbeat_s
            self._wake.clear()
            if outbox or self._triggered:
                continue
            wait = max(0.05, min(next_meter, next_heartbeat) - time.monotonic())
            with suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await self._wake.wait()

    def _meter_interval_s(self) -> float:
        try:
            return max(1.0, float(self.configuration["MeterValueSampleInterval"]))
        except (KeyError, ValueError):
            return 60.0

    async def _boot(self, charge_point: _LinkedChargePoint) -> None:
        """BootNotification until accepted."""
        while True:
            self._triggered = [m for m in self._triggered if m != "BootNotification"]
            result = await charge_point.call(
                call16.BootNotification(
                    charge_point_model=self.model,
                    charge_point_vendor=self.vendor,
                    charge_point_serial_number=self.charger_id,
                    firmware_version="evlb_sim",
                )
            )
            interval = float(getattr(result, "interval", 0) or 0)
            if result is not None and str(result.status) == "Accepted":
                self._heartbeat_s = interval if interval > 0 else 300.0
                return
            _LOGGER.debug("%s: boot %s", self.charger_id, getattr(result, "status", ""))
            self._wake.clear()
            deadline = time.monotonic() + max(5.0, interval)
            while "BootNotification" not in self._triggered:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                with suppress(TimeoutError):
                    async with asyncio.timeout(left):
                        await self._wake.wait()
                self._wake.clear()

    async def _send_triggered(
        self, charge_point: _LinkedChargePoint, message: str
    ) -> None:
        if message == "BootNotification":
            await self._boot(charge_point)
        elif message == "StatusNotification":
            await self._status(charge_point)
        elif message == "MeterValues":
            await self._meter_values(charge_point, force=True)
        elif message == "Heartbeat":
            await charge_point.call(call16.Heartbeat())

    async def _send(self, charge_point: _LinkedChargePoint, message: Message) -> None:
        if isinstance(message, StatusChanged):
            await self._status(charge_point)
        elif isinstance(message, DrawChanged):
            if time.monotonic() - self._last_meter >= MIN_METER_GAP_S:
                await self._meter_values(charge_point)
            else:  # soon: the periodic loop picks it up
                self._wake.set()
        elif isinstance(message, TransactionStarted):
            transaction = message.transaction
            result = await charge_point.call(
                call16.StartTransaction(
                    connector_id=1,
                    id_tag=transaction.id_tag,
                    meter_start=transaction.meter_start_wh,
                    timestamp=_iso(transaction.started_at),
                )
            )
            if result is not None:
                transaction.transaction_id = int(result.transaction_id)
        elif isinstance(message, TransactionStopped):
            transaction = message.transaction
            if transaction.transaction_id is None:
                return  # the central system never heard of it
            await charge_point.call(
                call16.StopTransaction(
                    meter_stop=message.meter_stop_wh,
                    timestamp=_iso(message.stopped_at),
                    transaction_id=transaction.transaction_id,
                    reason=message.reason,
                    id_tag=transaction.id_tag,
                )
            )

    async def _status(
        self,
        charge_point: _LinkedChargePoint,
        *,
        connector_id: int = 1,
        status: str | None = None,
    ) -> None:
        await charge_point.call(
            call16.StatusNotification(
                connector_id=connector_id,
                error_code="NoError",
                status=status or self.hardware.status.value,
                timestamp=_iso(datetime.now(UTC)),
            )
        )

    async def _meter_values(
        self, charge_point: _LinkedChargePoint, *, force: bool = False
    ) -> None:
        hardware = self.hardware
        transaction = hardware.transaction
        if not force and (transaction is None or transaction.transaction_id is None):
            return
        self._last_meter = time.monotonic()
        wanted = set(self.configuration.get("MeterValuesSampledData", "").split(","))
        sampled: list[dict[str, str]] = []
        if "Current.Import" in wanted:
            for phase, current in zip(
                ("L1", "L2", "L3"), hardware.conductor_currents(), strict=True
            ):
                sampled.append(_sample("Current.Import", f"{current:.2f}", "A", phase))
        if "Power.Active.Import" in wanted:
            sampled.append(
                _sample("Power.Active.Import", f"{hardware.power_w:.0f}", "W")
            )
        if "Energy.Active.Import.Register" in wanted:
            sampled.append(
                _sample(
                    "Energy.Active.Import.Register", str(hardware.register_wh), "Wh"
                )
            )
        if "Voltage" in wanted:
            sampled.append(_sample("Voltage", f"{hardware.voltage_v:.1f}", "V", "L1-N"))
        await charge_point.call(
            call16.MeterValues(
                connector_id=1,
                meter_value=[
                    {"timestamp": _iso(datetime.now(UTC)), "sampled_value": sampled}
                ],
                transaction_id=None
                if transaction is None
                else transaction.transaction_id,
            )
        )


def _sample(
    measurand: str, value: str, unit: str, phase: str | None = None
) -> dict[str, str]:
    sample = {
        "value": value,
        "measurand": measurand,
        "unit": unit,
        "context": "Sample.Periodic",
    }
    if phase is not None:
        sample["phase"] = phase
    return sample
