"""The pymodbus boundary: version differences, client construction, RTU serial.

No serial hardware here: the RTU client is checked on how it is built (port,
baud rate, parity, stop bits, RTU framer); the RTU framer itself runs over TCP
in test_modbus_source.test_rtu_framing_over_tcp.
"""

from __future__ import annotations

import importlib.machinery
import sys
import types

import pymodbus
import pytest

from custom_components.ev_load_balancer.meter.meter_models import SDM630
from custom_components.ev_load_balancer.meter.modbus_client import (
    UNIT_KEYWORD,
    CannotConnectError,
    ConnectionLostError,
    ModbusConnection,
    create_client,
)
from custom_components.ev_load_balancer.meter.modbus_config import (
    ModbusMeterConfig,
    Parity,
    SerialTransport,
    TcpTransport,
)
from custom_components.ev_load_balancer.meter.modbus_probe import (
    ProbeError,
    async_probe,
)
from custom_components.ev_load_balancer.meter.registers import (
    FunctionCode,
    InvalidMeterConfigError,
)

SERIAL = SerialTransport(
    port="/dev/ttyUSB0", baudrate=19200, parity=Parity.EVEN, stopbits=2, bytesize=8
)


def test_unit_keyword_matches_the_installed_pymodbus() -> None:
    major, minor = (int(part) for part in pymodbus.__version__.split(".")[:2])
    assert ("device_id" if (major, minor) >= (3, 10) else "slave") == UNIT_KEYWORD


@pytest.mark.parametrize(
    ("rtu_framing", "framer"), [(False, "FramerSocket"), (True, "FramerRTU")]
)
async def test_tcp_client_leaves_retries_and_reconnects_to_the_source(
    rtu_framing: bool, framer: str
) -> None:
    transport = TcpTransport(host="127.0.0.1", port=1502, rtu_framing=rtu_framing)
    client = create_client(transport, timeout_s=0.7)
    assert client.comm_params.host == "127.0.0.1"
    assert client.comm_params.port == 1502
    assert client.comm_params.timeout_connect == 0.7
    assert not client.comm_params.reconnect_delay  # pymodbus must not reconnect
    assert client.ctx.retries == 0
    assert type(client.ctx.framer).__name__ == framer
    client.close()


@pytest.fixture
def fake_pyserial(monkeypatch: pytest.MonkeyPatch) -> None:
    """Enough of pyserial for pymodbus to build (not open) an RTU client."""
    module = types.ModuleType("serial")
    module.__spec__ = importlib.machinery.ModuleSpec("serial", None)
    monkeypatch.setitem(sys.modules, "serial", module)


@pytest.mark.usefixtures("fake_pyserial")
async def test_serial_client_carries_the_line_settings() -> None:
    client = create_client(SERIAL, timeout_s=0.5)
    assert client.comm_params.host == "/dev/ttyUSB0"
    assert client.comm_params.baudrate == 19200
    assert client.comm_params.parity == "E"
    assert client.comm_params.stopbits == 2
    assert client.comm_params.bytesize == 8
    assert client.comm_params.timeout_connect == 0.5
    assert type(client.ctx.framer).__name__ == "FramerRTU"
    client.close()


async def test_serial_without_pyserial_is_a_clear_connect_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "serial", None)  # "not installed"
    with pytest.raises(CannotConnectError, match="pyserial"):
        create_client(SERIAL, timeout_s=0.5)
    result = await async_probe(
        ModbusMeterConfig(transport=SERIAL, register_map=SDM630, timeout_s=0.2)
    )
    assert result.error is ProbeError.CANNOT_CONNECT
    assert "pyserial" in result.detail


async def test_reading_before_connecting_is_a_lost_connection() -> None:
    connection = ModbusConnection(
        TcpTransport(host="127.0.0.1"), unit_id=1, timeout_s=0.2
    )
    with pytest.raises(ConnectionLostError):
        await connection.read(FunctionCode.READ_INPUT, 0, 2)
    connection.close()  # closing an unopened connection is harmless


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: TcpTransport(host=" "), "host"),
        (lambda: TcpTransport(host="meter", port=0), "port"),
        (lambda: SerialTransport(port="/dev/ttyUSB0", baudrate=12345), "baudrate"),
        (lambda: SerialTransport(port="/dev/ttyUSB0", stopbits=3), "stopbits"),
        (lambda: SerialTransport(port="/dev/ttyUSB0", bytesize=5), "bytesize"),
        (
            lambda: ModbusMeterConfig(transport=SERIAL, register_map=SDM630, unit_id=0),
            "unit_id",
        ),
        (
            lambda: ModbusMeterConfig(
                transport=TcpTransport(host="m"), register_map=SDM630, unit_id=256
            ),
            "unit_id",
        ),
        (
            lambda: ModbusMeterConfig(
                transport=SERIAL, register_map=SDM630, poll_interval_s=2.0
            ),
            "poll_interval_s",
        ),
        (
            lambda: ModbusMeterConfig(
                transport=SERIAL,
                register_map=SDM630,
                reconnect_min_s=10.0,
                reconnect_max_s=5.0,
            ),
            "reconnect_min_s",
        ),
        (
            lambda: ModbusMeterConfig(
                transport=SERIAL, register_map=SDM630, fuse_a=float("nan")
            ),
            "fuse_a",
        ),
    ],
)
def test_link_settings_are_checked(build: object, field: str) -> None:
    with pytest.raises(InvalidMeterConfigError) as caught:
        build()  # type: ignore[operator]
    assert caught.value.field == field


def test_tcp_allows_unit_id_zero_serial_does_not() -> None:
    tcp = ModbusMeterConfig(
        transport=TcpTransport(host="gateway"), register_map=SDM630, unit_id=0
    )
    assert tcp.unit_id == 0
    assert tcp.describe() == "Eastron SDM630, unit 0 at gateway:502"
    assert SERIAL.describe() == "/dev/ttyUSB0 19200 8E2"
