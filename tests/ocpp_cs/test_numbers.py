"""Absurd numbers from a charger (issue #12, defects 1 to 3).

1. An energy register of "1e308" kWh passed the finite check (made before the
   kWh scaling) and became infinite.
2. A power of -1e308 W and negative currents were taken.
3. A 401-digit meterStart raised OverflowError, logged with a traceback.

Now every number is checked after unit conversion: an absurd value in a
meter sample is ignored (one warning per charger and kind), never stored,
and the quantity becomes unknown rather than keeping an old value; a
register reading that is the point of its message is refused with the
protocol's error, and a number no OCPP type can hold is a type violation.
"""

from __future__ import annotations

import logging
import math
from typing import Any

import pytest

from custom_components.ev_load_balancer.ocpp_cs import ChargerConfig, OcppChargerBackend

from .conftest import StartServer, wait_until
from .raw_charger import RawCharger, raw_charger

V16 = "ocpp1.6"
V201 = "ocpp2.0.1"
BOOT = {
    V16: {"chargePointVendor": "Acme", "chargePointModel": "X"},
    V201: {
        "reason": "PowerUp",
        "chargingStation": {"vendorName": "Acme", "model": "Y"},
    },
}
NOW = "2026-01-01T12:00:00Z"


def _sampled(version: str, measurand: str, value: Any, unit: str, **extra: Any) -> Any:
    if version == V16:
        return {"value": str(value), "measurand": measurand, "unit": unit, **extra}
    return {
        "value": value,
        "measurand": measurand,
        "unitOfMeasure": {"unit": unit},
        **extra,
    }


def _meter_values(version: str, *sampled: Any) -> dict[str, Any]:
    key = "connectorId" if version == V16 else "evseId"
    return {key: 1, "meterValue": [{"timestamp": NOW, "sampledValue": list(sampled)}]}


async def _booted(
    charger: RawCharger, version: str, backend: OcppChargerBackend
) -> None:
    answer = await charger.call("boot", "BootNotification", BOOT[version])
    assert answer[2]["status"] == "Accepted"
    await wait_until(backend, lambda: backend.info.failsafe_installed is not None)


def _no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.mark.parametrize("version", [V16, V201])
async def test_an_infinite_energy_register_is_never_stored(
    start_server: StartServer, caplog: pytest.LogCaptureFixture, version: str
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    energy = "Energy.Active.Import.Register"
    async with raw_charger(server.port, "CP1", version) as charger:
        await _booted(charger, version, backend)
        good = _meter_values(version, _sampled(version, energy, 12.5, "kWh"))
        assert (await charger.call("m1", "MeterValues", good))[:3] == [3, "m1", {}]
        assert backend.info.energy_kwh == pytest.approx(12.5)
        with caplog.at_level(logging.DEBUG):
            for index in range(3):
                absurd = _meter_values(version, _sampled(version, energy, 1e308, "kWh"))
                answer = await charger.call(f"x{index}", "MeterValues", absurd)
                assert answer[:3] == [3, f"x{index}", {}]
    assert backend.info.energy_kwh == pytest.approx(12.5)
    assert backend.status.energy_kwh == pytest.approx(12.5)
    warnings = [r for r in caplog.records if "implausible energy" in r.getMessage()]
    assert len(warnings) == 1  # once per charger and kind, not once per message
    _no_tracebacks(caplog)


@pytest.mark.parametrize("version", [V16, V201])
async def test_negative_power_and_currents_are_not_taken(
    start_server: StartServer, version: str
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    current = "Current.Import"
    async with raw_charger(server.port, "CP1", version) as charger:
        await _booted(charger, version, backend)
        drawing = _meter_values(
            version,
            *(
                _sampled(version, current, 16.0, "A", phase=p)
                for p in ("L1", "L2", "L3")
            ),
            _sampled(version, "Power.Active.Import", 11000, "W"),
        )
        await charger.call("m1", "MeterValues", drawing)
        assert backend.status.current_a == (16.0, 16.0, 16.0)
        absurd = _meter_values(
            version,
            _sampled(version, current, -16.0, "A", phase="L1"),
            _sampled(version, current, 16.0, "A", phase="L2"),
            _sampled(version, current, 16.0, "A", phase="L3"),
            _sampled(version, "Power.Active.Import", -1e308, "W"),
        )
        assert (await charger.call("m2", "MeterValues", absurd))[0] == 3
    # Unknown now, not the old 16 A that may no longer be true.
    assert backend.status.current_a is None
    assert backend.status.power_w is None
    assert backend.info.power_w is None


async def test_a_little_below_zero_is_meter_noise(start_server: StartServer) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with raw_charger(server.port, "CP1", V16) as charger:
        await _booted(charger, V16, backend)
        idle = _meter_values(
            V16,
            *(
                _sampled(V16, "Current.Import", -0.2, "A", phase=p)
                for p in ("L1", "L2", "L3")
            ),
            _sampled(V16, "Power.Active.Import", -30, "W"),
        )
        await charger.call("m1", "MeterValues", idle)
    assert backend.status.current_a == (0.0, 0.0, 0.0)
    assert backend.status.power_w == 0.0


@pytest.mark.parametrize(
    ("meter_start", "code"),
    [
        (10**400, "TypeConstraintViolation"),  # no OCPP integer holds it
        (-(10**30), "TypeConstraintViolation"),
        (10**15, "PropertyConstraintViolation"),  # an integer, but 10^12 kWh
        (-5, "PropertyConstraintViolation"),
    ],
    ids=["401_digits", "minus_10e30", "10e15_wh", "negative"],
)
async def test_an_absurd_meter_start_is_refused_without_a_traceback(
    start_server: StartServer,
    caplog: pytest.LogCaptureFixture,
    meter_start: int,
    code: str,
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with raw_charger(server.port, "CP1", V16) as charger:
        await _booted(charger, V16, backend)
        frame = (
            '[2,"s1","StartTransaction",{"connectorId":1,"idTag":"TAG",'
            f'"meterStart":{meter_start},"timestamp":"{NOW}"}}]'
        )
        with caplog.at_level(logging.DEBUG):
            answer = await charger.exchange(frame, "s1")
        assert answer[:3] == [4, "s1", code]
        ok = await charger.call("hb", "Heartbeat", {})  # the connection stays up
        assert ok[0] == 3
    assert server.sessions.records == ()
    assert backend.info.transaction_id is None
    assert backend.info.energy_kwh is None
    _no_tracebacks(caplog)


@pytest.mark.parametrize(
    "sampled",
    [
        {"value": 10**400, "measurand": "Power.Active.Import"},
        {
            "value": 5,
            "measurand": "Power.Active.Import",
            "unitOfMeasure": {"multiplier": 400},
        },
        {
            "value": 5,
            "measurand": "Power.Active.Import",
            "unitOfMeasure": {"multiplier": -(10**400)},
        },
        {
            "value": 1e308,
            "measurand": "Power.Active.Import",
            "unitOfMeasure": {"unit": "kW"},
        },
        {"value": 16, "measurand": "Current.Import", "unitOfMeasure": {"unit": "kW"}},
    ],
)
async def test_absurd_2_0_1_sampled_values_leave_no_trace(
    start_server: StartServer, caplog: pytest.LogCaptureFixture, sampled: dict[str, Any]
) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    async with raw_charger(server.port, "CP1", V201) as charger:
        await _booted(charger, V201, backend)
        with caplog.at_level(logging.DEBUG):
            # json writes integers of any size, as a charger may
            answer = await charger.call(
                "m1", "MeterValues", _meter_values(V201, sampled)
            )
        assert answer[0] in (3, 4)
        if answer[0] == 4:
            assert answer[2] == "TypeConstraintViolation"
    info = backend.info
    assert info.power_w is None
    assert info.current_a is None
    _no_tracebacks(caplog)


async def test_the_register_only_moves_forward(start_server: StartServer) -> None:
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    energy = "Energy.Active.Import.Register"
    readings = [
        (5000.0, 5000.0),
        (4999.6, 5000.0),  # rounded differently: held, never backwards
        (5200.0, 5200.0),
        (40.0, 5240.0),  # a new register: counted on from the old total
        (100.0, 5300.0),
    ]
    async with raw_charger(server.port, "CP1", V16) as charger:
        await _booted(charger, V16, backend)
        for index, (reading, total) in enumerate(readings):
            sample = _meter_values(V16, _sampled(V16, energy, reading, "Wh"))
            await charger.call(f"m{index}", "MeterValues", sample)
            assert backend.info.energy_kwh == pytest.approx(total / 1000)
    assert server.sessions.register("CP1").resets == 1
    assert not math.isinf(backend.info.energy_kwh or 0.0)


async def test_meter_values_of_a_just_ended_transaction_count_toward_the_register(
    start_server: StartServer,
) -> None:
    """Its register counts; its currents are no longer what the charger draws."""
    server = await start_server(ChargerConfig(charger_id="CP1"))
    backend = server.backends["CP1"]
    energy = "Energy.Active.Import.Register"
    async with raw_charger(server.port, "CP1", V16) as charger:
        await _booted(charger, V16, backend)
        started = await charger.call(
            "s1",
            "StartTransaction",
            {"connectorId": 1, "idTag": "T", "meterStart": 1000, "timestamp": NOW},
        )
        transaction = started[2]["transactionId"]
        late = {
            "timestamp": NOW,
            "sampledValue": [
                {"value": "1500", "measurand": energy, "unit": "Wh"},
                {"value": "16", "measurand": "Current.Import", "phase": "L1"},
            ],
        }
        stopped = await charger.call(
            "s2",
            "StopTransaction",
            {
                "transactionId": transaction,
                "meterStop": 1400,
                "timestamp": NOW,
                "transactionData": [late],
            },
        )
        assert stopped[0] == 3
        assert backend.info.energy_kwh == pytest.approx(1.5)
        (record,) = server.sessions.records
        assert record.energy_kwh == pytest.approx(0.5)  # never below the register
        after = {
            **late,
            "sampledValue": [
                {"value": "1600", "measurand": energy, "unit": "Wh"},
                {"value": "16", "measurand": "Current.Import", "phase": "L1"},
            ],
        }
        await charger.call(
            "m1",
            "MeterValues",
            {"connectorId": 1, "transactionId": transaction, "meterValue": [after]},
        )
    assert backend.info.energy_kwh == pytest.approx(1.6)
    assert backend.status.current_a in (None, (0.0, 0.0, 0.0))
