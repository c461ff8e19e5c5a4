"""What an EV session makes a charger say, in whichever version it speaks."""

from __future__ import annotations

from collections.abc import Sequence
import itertools

from ocpp.v16 import call as call16
from ocpp.v201 import call as call201

from evlb_sim.live.ocpp_charge_points import (
    RecordingChargePointV16,
    RecordingChargePointV201,
)
from tests.ocpp_cs.messages import meter_value, now_iso, sampled_v16, sampled_v201

type RecordingChargePoint = RecordingChargePointV16 | RecordingChargePointV201

PHASES = ("L1", "L2", "L3")
_transaction_ids = itertools.count(1)
# 2.0.1 numbers the events of a transaction.
_sequence = itertools.count()


async def status(
    charger: RecordingChargePoint, plugged: bool, charging: bool = False
) -> None:
    """The connector's status: free, EV plugged in, or charging."""
    if isinstance(charger, RecordingChargePointV16):
        word = "Charging" if charging else "Preparing" if plugged else "Available"
        await charger.call(
            call16.StatusNotification(connector_id=1, error_code="NoError", status=word)
        )
        return
    await charger.call(
        call201.StatusNotification(
            timestamp=now_iso(),
            connector_status="Occupied" if plugged else "Available",
            evse_id=1,
            connector_id=1,
        )
    )


async def start(charger: RecordingChargePoint, id_tag: str, meter_wh: float) -> str:
    """Begin a transaction; returns its id."""
    if isinstance(charger, RecordingChargePointV16):
        started = await charger.call(
            call16.StartTransaction(
                connector_id=1,
                id_tag=id_tag,
                meter_start=int(meter_wh),
                timestamp=now_iso(),
            )
        )
        return str(started.transaction_id)
    transaction_id = f"tx-{next(_transaction_ids)}"
    await charger.call(
        call201.TransactionEvent(
            event_type="Started",
            timestamp=now_iso(),
            trigger_reason="Authorized",
            seq_no=next(_sequence),
            transaction_info={
                "transaction_id": transaction_id,
                "charging_state": "EVConnected",
            },
            evse={"id": 1, "connector_id": 1},
            id_token={"id_token": id_tag, "type": "ISO14443"},
            meter_value=[
                meter_value(
                    sampled_v201("Energy.Active.Import.Register", meter_wh, "Wh")
                )
            ],
        )
    )
    return transaction_id


async def meter(
    charger: RecordingChargePoint,
    transaction_id: str | None,
    currents: Sequence[float],
    energy_wh: float,
) -> None:
    """Per-phase currents (one per charger conductor) and the energy register."""
    if isinstance(charger, RecordingChargePointV16):
        values = [
            sampled_v16("Current.Import", round(current, 2), "A", phase=phase)
            for current, phase in zip(currents, PHASES, strict=False)
        ]
        values.append(
            sampled_v16("Energy.Active.Import.Register", round(energy_wh), "Wh")
        )
        await charger.call(
            call16.MeterValues(
                connector_id=1,
                transaction_id=None if transaction_id is None else int(transaction_id),
                meter_value=[meter_value(*values)],
            )
        )
        return
    values = [
        sampled_v201("Current.Import", round(current, 2), "A", phase=phase)
        for current, phase in zip(currents, PHASES, strict=False)
    ]
    values.append(sampled_v201("Energy.Active.Import.Register", energy_wh, "Wh"))
    if transaction_id is None:
        await charger.call(
            call201.MeterValues(evse_id=1, meter_value=[meter_value(*values)])
        )
        return
    drawing = max(currents, default=0.0) > 0.5
    await charger.call(
        call201.TransactionEvent(
            event_type="Updated",
            timestamp=now_iso(),
            trigger_reason="MeterValuePeriodic",
            seq_no=next(_sequence),
            transaction_info={
                "transaction_id": transaction_id,
                "charging_state": "Charging" if drawing else "SuspendedEVSE",
            },
            meter_value=[meter_value(*values)],
        )
    )


async def stop(
    charger: RecordingChargePoint, transaction_id: str, meter_wh: float
) -> None:
    """End a transaction (the EV was unplugged)."""
    if isinstance(charger, RecordingChargePointV16):
        await charger.call(
            call16.StopTransaction(
                transaction_id=int(transaction_id),
                meter_stop=int(meter_wh),
                timestamp=now_iso(),
                reason="EVDisconnected",
            )
        )
        return
    await charger.call(
        call201.TransactionEvent(
            event_type="Ended",
            timestamp=now_iso(),
            trigger_reason="EVCommunicationLost",
            seq_no=next(_sequence),
            transaction_info={
                "transaction_id": transaction_id,
                "stopped_reason": "EVDisconnected",
            },
            meter_value=[
                meter_value(
                    sampled_v201(
                        "Energy.Active.Import.Register",
                        meter_wh,
                        "Wh",
                        context="Transaction.End",
                    )
                )
            ],
        )
    )
