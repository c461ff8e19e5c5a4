"""A slow or dead charger never delays the others; the newest limit wins.

Ordering is observed with events, never with wall-clock assertions.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack

from ocpp.v16 import call as call16
import pytest

from custom_components.ev_load_balancer.chargers.base import ChargerCommandError
from custom_components.ev_load_balancer.ocpp_cs import (
    ChargerConfig,
    LimitFailure,
    OcppChargerBackend,
)
from evlb_sim.live.ocpp_charge_points import RecordingChargePointV16

from .conftest import StartServer, boot_and_setup
from .fake_chargers import charger_session
from .messages import now_iso


def _limit(call: dict) -> float:
    profile = call["cs_charging_profiles"]
    return profile["charging_schedule"]["charging_schedule_period"][0]["limit"]


def _start_now(backend: OcppChargerBackend, current_a: float) -> asyncio.Task[None]:
    """Start applying at once (up to its first wait), in call order."""
    return asyncio.Task(
        backend.async_apply_limit(current_a),
        loop=asyncio.get_running_loop(),
        eager_start=True,
    )


async def test_slow_charger_does_not_delay_the_others(
    start_server: StartServer,
) -> None:
    ids = [f"CP{index}" for index in range(5)]
    server = await start_server(*(ChargerConfig(charger_id=name) for name in ids))
    async with AsyncExitStack() as stack:
        chargers = {
            name: await stack.enter_async_context(
                charger_session(server, name, RecordingChargePointV16)
            )
            for name in ids
        }
        for name, charger in chargers.items():
            await boot_and_setup(charger, server.backends[name])
            await charger.recorder.next("SetChargingProfile")
        slow = chargers["CP0"]
        slow.behaviour.hold = asyncio.Event()
        tasks = {
            name: _start_now(server.backends[name], 10.0 + index)
            for index, name in enumerate(ids)
        }
        await slow.recorder.next("SetChargingProfile")  # in flight, unanswered
        # Every other charger got and acknowledged its limit meanwhile.
        await asyncio.gather(*(tasks[name] for name in ids[1:]))
        for index, name in enumerate(ids[1:], start=1):
            assert _limit(await chargers[name].recorder.next("SetChargingProfile")) == (
                10.0 + index
            )
        assert not tasks["CP0"].done()
        slow.behaviour.hold.set()
        await tasks["CP0"]


async def test_dead_charger_times_out_and_the_late_answer_is_dropped(
    start_server: StartServer,
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"), call_timeout_s=0.5)
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        await boot_and_setup(charger, backend)
        await charger.recorder.next("SetChargingProfile")
        await charger.call(
            call16.StartTransaction(
                connector_id=1, id_tag="T", meter_start=0, timestamp=now_iso()
            )
        )
        charger.behaviour.hold = asyncio.Event()
        with pytest.raises(ChargerCommandError) as error:
            await backend.async_apply_limit(10.0)
        assert error.value.reason == LimitFailure.TIMEOUT
        assert _limit(await charger.recorder.next("SetChargingProfile")) == 10.0
        # The charger wakes up: its late answer says Rejected, while the
        # answer to the next command says Accepted.
        charger.behaviour.profile_status = lambda call: (
            "Rejected" if _limit(call) == 10.0 else "Accepted"
        )
        charger.behaviour.hold.set()
        charger.behaviour.hold = None
        await backend.async_apply_limit(12.0)
        resent = await charger.recorder.next("SetChargingProfile")
        assert _limit(resent) == 12.0
        assert resent["cs_charging_profiles"]["charging_profile_purpose"] == (
            "TxDefaultProfile"
        )
        # Had the late Rejected been taken for this answer, a fallback
        # TxProfile would have followed.
        assert charger.recorder.pending("SetChargingProfile") == 0


async def test_newest_limit_wins(start_server: StartServer) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        await boot_and_setup(charger, backend)
        await charger.recorder.next("SetChargingProfile")
        charger.behaviour.hold = asyncio.Event()
        first = _start_now(backend, 10.0)
        assert _limit(await charger.recorder.next("SetChargingProfile")) == 10.0
        waiting = [_start_now(backend, value) for value in (11.0, 12.0, 13.0)]
        charger.behaviour.hold.set()
        await asyncio.gather(first, *waiting)
        # Only the newest of those that waited went out, once.
        assert _limit(await charger.recorder.next("SetChargingProfile")) == 13.0
        assert charger.recorder.pending("SetChargingProfile") == 0
        assert backend.info.limit_a == 13.0


async def test_callers_covered_by_a_failed_send_get_its_error(
    start_server: StartServer,
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with charger_session(server, "CP1", RecordingChargePointV16) as charger:
        await boot_and_setup(charger, backend)
        await charger.recorder.next("SetChargingProfile")
        await charger.call(
            call16.StartTransaction(
                connector_id=1, id_tag="T", meter_start=0, timestamp=now_iso()
            )
        )
        charger.behaviour.profile_status = lambda call: (
            "Accepted" if _limit(call) == 10.0 else "Rejected"
        )
        charger.behaviour.hold = asyncio.Event()
        first = _start_now(backend, 10.0)
        await charger.recorder.next("SetChargingProfile")
        waiting = [_start_now(backend, value) for value in (11.0, 12.0)]
        charger.behaviour.hold.set()
        results = await asyncio.gather(first, *waiting, return_exceptions=True)
        assert results[0] is None
        for result in results[1:]:
            assert isinstance(result, ChargerCommandError)
            assert result.reason == LimitFailure.PROFILE_REJECTED
        # 12 A was tried in every form (both purposes, connector 0, watts);
        # 11 A never went out.
        tried = [
            (
                payload["connector_id"],
                payload["cs_charging_profiles"]["charging_profile_purpose"],
                _limit(payload),
            )
            for action, payload in charger.recorder.calls[-4:]
        ]
        assert tried == [
            (1, "TxDefaultProfile", 12.0),
            (1, "TxProfile", 12.0),
            (0, "TxDefaultProfile", 12.0),
            (1, "TxDefaultProfile", 12.0 * 230 * 3),
        ]
        assert 11.0 not in [
            _limit(p) for a, p in charger.recorder.calls if a == "SetChargingProfile"
        ]
