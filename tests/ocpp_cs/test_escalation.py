"""The escalation names every step it sends, answered or not: a stop the
charger received is never missing from what was tried."""

from __future__ import annotations

import asyncio
from typing import Any

from ocpp.routing import on
from ocpp.v16 import call as call16, call_result as result16
from ocpp.v16.enums import Action as Action16
import pytest

from custom_components.ev_load_balancer.chargers.base import ChargerCommandError
from custom_components.ev_load_balancer.ocpp_cs import ChargerConfig
from evlb_sim.live.ocpp_charge_points import RecordingChargePointV16

from .conftest import StartServer, boot_and_setup
from .fake_chargers import charger_session
from .messages import now_iso

CALL_TIMEOUT_S = 0.3


class SlowToStop(RecordingChargePointV16):
    """Takes the stop, answers it only after the central system gave up."""

    @on(Action16.remote_stop_transaction)
    async def _remote_stop(self, **payload: Any) -> Any:
        self.recorder.record("RemoteStopTransaction", payload)
        await asyncio.sleep(CALL_TIMEOUT_S * 3)
        return result16.RemoteStopTransaction(status="Accepted")


@pytest.mark.parametrize(
    ("factory", "named"),
    [
        (RecordingChargePointV16, "RemoteStopTransaction: Accepted"),
        (SlowToStop, "RemoteStopTransaction: no answer"),
    ],
)
async def test_the_stop_is_named_whether_or_not_it_is_answered(
    start_server: StartServer, factory: type[RecordingChargePointV16], named: str
) -> None:
    server = await start_server(
        ChargerConfig(charger_id="CP1"), call_timeout_s=CALL_TIMEOUT_S
    )
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", factory) as charger:
        await boot_and_setup(charger, backend)
        await charger.call(
            call16.StartTransaction(
                connector_id=1, id_tag="TAG-E", meter_start=0, timestamp=now_iso()
            )
        )
        escalating = asyncio.create_task(backend.async_escalate(allow_stop=True))
        await charger.recorder.next("RemoteStopTransaction")
        # Received by the charger: already named, before any answer.
        assert backend.escalation_steps == ("RemoteStopTransaction: no answer",)
        if factory is SlowToStop:
            with pytest.raises(ChargerCommandError):
                await escalating
        else:
            await escalating
        assert backend.escalation_steps == (named,)
        backend.forget_escalation()
        assert backend.escalation_steps == ()
