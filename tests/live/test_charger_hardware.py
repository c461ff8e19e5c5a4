"""A simulated charger and its EV, without the protocol."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

import pytest

from custom_components.ev_load_balancer.sizing import ChargerSpec, EvModel, Session
from evlb_sim.live.charger_hardware import (
    ChargerHardware,
    ConnectorStatus,
    DrawChanged,
    StatusChanged,
    TransactionStarted,
    TransactionStopped,
)

WALL = datetime(2026, 1, 14, 16, 30, tzinfo=UTC)
MODEL = EvModel(decrease_delay_s=2.0, increase_delay_s=5.0, measurement_lag_s=0.0)


def _sessions(**overrides: Any) -> Any:
    base = {
        "charger_id": "CP001",
        "arrival_s": 10.0,
        "departure_s": 4000.0,
        "energy_kwh": 20.0,
        "ev_phases": 1,
        "ev_max_a": 32.0,
    }
    base.update(overrides)
    first = Session(**base)
    for number in count():
        yield (
            first
            if number == 0
            else Session(
                **{**base, "arrival_s": 1e9 + number, "departure_s": 2e9 + number}
            )
        )


def _charger(unmanaged_a: float | None = None, **session: Any) -> ChargerHardware:
    hardware = ChargerHardware(
        ChargerSpec(charger_id="CP001", wiring=(1, 2, 0), max_a=16.0),
        _sessions(**session),
        ev_model=MODEL,
        unmanaged_a=unmanaged_a,
    )
    hardware.commissioned = True
    return hardware


def _limit(hardware: ChargerHardware, amps: float) -> None:
    profile = {
        "charging_profile_id": 7302,
        "stack_level": 1,
        "charging_profile_purpose": "TxDefaultProfile",
        "charging_profile_kind": "Absolute",
        "charging_schedule": {
            "charging_rate_unit": "A",
            "start_schedule": (WALL - timedelta(minutes=1)).isoformat(),
            "charging_schedule_period": [{"start_period": 0, "limit": amps}],
        },
    }
    assert hardware.set_profile(1, profile) == "Accepted"


def test_the_ev_follows_a_limit_late_and_loads_the_wired_phase() -> None:
    hardware = _charger()
    hardware.tick(11.0, WALL)
    assert hardware.status is ConnectorStatus.SUSPENDED_EVSE
    started = [m for m in hardware.outbox if isinstance(m, TransactionStarted)]
    assert len(started) == 1
    hardware.tick(17.0, WALL)  # the increase delay has passed: the charger's max
    assert hardware.draw_a == 16.0
    assert hardware.status is ConnectorStatus.CHARGING
    assert hardware.conductor_currents() == (16.0, 0.0, 0.0)
    assert hardware.site_currents() == [0.0, 16.0, 0.0]  # its L1 is site L2
    _limit(hardware, 8.0)
    hardware.tick(18.0, WALL)
    assert hardware.draw_a == 16.0  # not yet
    hardware.tick(20.5, WALL)
    assert hardware.draw_a == 8.0
    assert any(isinstance(m, DrawChanged) for m in hardware.outbox)


def test_a_zero_limit_suspends_and_departure_ends_the_session() -> None:
    hardware = _charger(departure_s=100.0)
    _limit(hardware, 0.0)
    hardware.tick(60.0, WALL)
    assert hardware.status is ConnectorStatus.SUSPENDED_EVSE
    assert hardware.wants_energy
    hardware.tick(101.0, WALL)
    assert hardware.status is ConnectorStatus.AVAILABLE
    stopped = [m for m in hardware.outbox if isinstance(m, TransactionStopped)]
    assert stopped[0].reason == "EVDisconnected"
    statuses = [m.status for m in hardware.outbox if isinstance(m, StatusChanged)]
    assert statuses[0] is ConnectorStatus.PREPARING
    assert statuses[-1] is ConnectorStatus.AVAILABLE


def test_a_full_ev_stops_and_its_energy_is_on_the_register() -> None:
    hardware = _charger(energy_kwh=1.0)
    before = hardware.register_wh
    for second in range(11, 3000, 10):
        hardware.tick(float(second), WALL)
    assert hardware.status is ConnectorStatus.SUSPENDED_EV
    assert hardware.draw_a == 0.0
    assert hardware.delivered_kwh == pytest.approx(1.0, abs=0.002)
    assert hardware.register_wh - before == pytest.approx(1000, abs=2)


def test_a_remote_stop_ends_the_session_and_a_remote_start_resumes() -> None:
    hardware = _charger()
    hardware.tick(20.0, WALL)
    transaction = hardware.transaction
    assert transaction is not None
    transaction.transaction_id = 5
    assert not hardware.remote_stop(6, WALL)
    assert hardware.remote_stop(5, WALL)
    hardware.tick(30.0, WALL)
    hardware.tick(33.0, WALL)  # the EV stops after its decrease delay
    assert hardware.status is ConnectorStatus.FINISHING
    assert hardware.draw_a == 0.0
    assert hardware.remote_start("TAG", None, WALL)
    assert not hardware.remote_start("TAG", None, WALL)  # one session at a time
    hardware.tick(40.0, WALL)
    assert hardware.transaction is not None


def test_evs_wait_until_the_charger_runs() -> None:
    hardware = _charger()
    hardware.commissioned = False
    hardware.tick(50.0, WALL)
    assert hardware.plugged is None
    hardware.commissioned = True
    hardware.tick(60.0, WALL)
    assert hardware.plugged is not None
    assert hardware.plugged.session.arrival_s == 60.0


def test_installed_for_load_management_it_gives_nothing_before_a_profile() -> None:
    hardware = _charger(unmanaged_a=0.0)
    hardware.tick(12.0, WALL)
    hardware.tick(30.0, WALL)  # long past the EV's increase delay
    assert hardware.transaction is not None
    assert hardware.draw_a == 0.0
    assert hardware.status is ConnectorStatus.SUSPENDED_EVSE
    _limit(hardware, 10.0)  # the central system's first profile
    hardware.tick(31.0, WALL)
    hardware.tick(37.0, WALL)
    assert hardware.draw_a == 10.0
