"""OCPP statuses -> the balancer's ChargerState."""

from __future__ import annotations

import pytest

from custom_components.ev_load_balancer.balancer import ChargerState
from custom_components.ev_load_balancer.ocpp_cs.const import OcppVersion
from custom_components.ev_load_balancer.ocpp_cs.state import ChargePointState
from custom_components.ev_load_balancer.ocpp_cs.status_map import charger_state


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("Available", ChargerState.NO_EV),
        ("Preparing", ChargerState.CONNECTED),
        ("Charging", ChargerState.CHARGING),
        ("SuspendedEVSE", ChargerState.CONNECTED),
        ("SuspendedEV", ChargerState.EV_FULL),
        ("Finishing", ChargerState.EV_FULL),
        ("Reserved", ChargerState.NO_EV),
        ("Faulted", ChargerState.FAULTED),
        ("Unavailable", ChargerState.FAULTED),
        ("Nonsense", None),
    ],
)
def test_1_6_connector_status(status: str, expected: ChargerState | None) -> None:
    state = ChargePointState(phases=3, version=OcppVersion.V16, connector_status=status)
    assert charger_state(state) is expected


@pytest.mark.parametrize(
    ("charging_state", "expected"),
    [
        ("Charging", ChargerState.CHARGING),
        ("EVConnected", ChargerState.CONNECTED),
        ("SuspendedEVSE", ChargerState.CONNECTED),
        ("SuspendedEV", ChargerState.EV_FULL),
        ("Idle", ChargerState.CONNECTED),
        (None, ChargerState.CONNECTED),
    ],
)
def test_2_0_1_occupied_follows_the_charging_state(
    charging_state: str | None, expected: ChargerState
) -> None:
    state = ChargePointState(
        phases=3,
        version=OcppVersion.V201,
        connector_status="Occupied",
        transaction_id="t",
        charging_state=charging_state,
    )
    assert charger_state(state) is expected


def test_nothing_known_yet() -> None:
    assert charger_state(ChargePointState(phases=3)) is None


def test_whole_charger_fault_wins() -> None:
    state = ChargePointState(
        phases=3, connector_status="Charging", station_status="Faulted"
    )
    assert charger_state(state) is ChargerState.FAULTED


def test_session_ended_by_our_pause_still_wants_energy() -> None:
    state = ChargePointState(
        phases=3, version=OcppVersion.V16, connector_status="Finishing"
    )
    state.end_session(paused=True, now=1.0)
    assert charger_state(state) is ChargerState.CONNECTED
    state.unplugged(now=2.0)
    state.connector_status = "Available"
    assert charger_state(state) is ChargerState.NO_EV


def test_2_0_1_occupied_after_the_session() -> None:
    state = ChargePointState(
        phases=3, version=OcppVersion.V201, connector_status="Occupied"
    )
    assert charger_state(state) is ChargerState.CONNECTED
    state.end_session(paused=False, now=1.0)
    assert charger_state(state) is ChargerState.EV_FULL
