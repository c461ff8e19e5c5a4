"""The one module that imports pymodbus.

It hides what changed between the pymodbus versions Home Assistant ships (the
unit id keyword is `slave=` up to 3.9 and `device_id=` from 3.10), turns every
pymodbus and asyncio failure into one of four `ModbusLinkError`s, and offers a
typed read of holding (03) or input (04) registers with a timeout per read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
import importlib.util
import inspect
from typing import Protocol, cast

from pymodbus.client import AsyncModbusSerialClient, AsyncModbusTcpClient
from pymodbus.client.base import ModbusBaseClient
from pymodbus.exceptions import ConnectionException, ModbusException, ModbusIOException
from pymodbus.framer import FramerType
from pymodbus.pdu import ExceptionResponse, ModbusPDU

from .modbus_config import TcpTransport, Transport
from .registers import FunctionCode

# Exception codes a gateway sends when the unit behind it is silent or absent.
GATEWAY_PATH_UNAVAILABLE = 0x0A
GATEWAY_TARGET_NO_RESPONSE = 0x0B
EXCEPTION_NAMES = {
    0x01: "illegal function",
    0x02: "illegal data address",
    0x03: "illegal data value",
    0x04: "device failure",
    0x06: "device busy",
    GATEWAY_PATH_UNAVAILABLE: "gateway path unavailable",
    GATEWAY_TARGET_NO_RESPONSE: "gateway target did not respond",
}
# pymodbus times out on its own after timeout_s; this guard only catches a
# hang elsewhere (a lock, a half-open socket).
_GUARD_S = 0.5


class ModbusLinkError(Exception):
    """A connect or read failed; `str(err)` is a human-readable detail."""


class CannotConnectError(ModbusLinkError):
    """The TCP connection or the serial port could not be opened."""


class ConnectionLostError(ModbusLinkError):
    """The link was open and broke."""


class NoAnswerError(ModbusLinkError):
    """The request went out and no usable answer came back in time."""


class ReadRejectedError(ModbusLinkError):
    """The meter answered with a Modbus exception (wrong register or function)."""

    def __init__(self, detail: str, exception_code: int) -> None:
        super().__init__(detail)
        self.exception_code = exception_code


def _detect_unit_keyword() -> str:
    # Checked on the signature once, not by trying each call.
    parameters = inspect.signature(ModbusBaseClient.read_holding_registers).parameters
    for keyword in ("device_id", "slave"):
        if keyword in parameters:
            return keyword
    raise ImportError(f"unsupported pymodbus read signature: {list(parameters)}")


UNIT_KEYWORD = _detect_unit_keyword()


class _RegisterRead(Protocol):
    """`read_holding_registers`/`read_input_registers` of either version."""

    def __call__(
        self, address: int, *, count: int, **unit: int
    ) -> Awaitable[ModbusPDU]:
        """Send one read request."""


def create_client(transport: Transport, timeout_s: float) -> ModbusBaseClient:
    """A pymodbus client that neither retries nor reconnects on its own: the
    source owns retries and backoff, so every failure is seen and reported."""
    if isinstance(transport, TcpTransport):
        return AsyncModbusTcpClient(
            transport.host,
            port=transport.port,
            framer=FramerType.RTU if transport.rtu_framing else FramerType.SOCKET,
            timeout=timeout_s,
            retries=0,
            reconnect_delay=0,
        )
    if importlib.util.find_spec("serial") is None:
        raise CannotConnectError("serial Modbus needs pyserial, which is not installed")
    return AsyncModbusSerialClient(
        transport.port,
        framer=FramerType.RTU,
        baudrate=transport.baudrate,
        parity=transport.parity.value,
        stopbits=transport.stopbits,
        bytesize=transport.bytesize,
        timeout=timeout_s,
        retries=0,
        reconnect_delay=0,
    )


class ModbusConnection:
    """One link to one unit, kept open between reads."""

    def __init__(self, transport: Transport, *, unit_id: int, timeout_s: float) -> None:
        self._transport = transport
        self._unit_id = unit_id
        self._timeout_s = timeout_s
        self._client: ModbusBaseClient | None = None

    @property
    def connected(self) -> bool:
        return self._client is not None and self._client.connected

    async def connect(self) -> None:
        """Open the link (closing any previous one); raises `CannotConnectError`."""
        self.close()
        # Kept before connecting, so that a stop during the connect closes it.
        self._client = client = create_client(self._transport, self._timeout_s)
        try:
            async with asyncio.timeout(self._timeout_s + _GUARD_S):
                connected = await client.connect()
        except TimeoutError:
            connected = False
        if not connected:
            self.close()
            raise CannotConnectError(f"cannot connect to {self._describe()}")

    async def read(self, function: FunctionCode, address: int, count: int) -> list[int]:
        """`count` registers from `address`; raises a `ModbusLinkError`."""
        client = self._client
        if client is None or not client.connected:
            raise ConnectionLostError(f"connection to {self._describe()} is closed")
        request = cast(
            "_RegisterRead",
            client.read_input_registers
            if function is FunctionCode.READ_INPUT
            else client.read_holding_registers,
        )
        what = f"{count} registers at 0x{address:04X} (function {int(function):02})"
        with self._mapped_errors(what):
            async with asyncio.timeout(self._timeout_s + _GUARD_S):
                response = await request(
                    address, count=count, **{UNIT_KEYWORD: self._unit_id}
                )
        if isinstance(response, ExceptionResponse) or response.isError():
            raise self._rejection(response, what)
        registers = list(response.registers)
        if len(registers) != count:
            raise NoAnswerError(f"asked {what}, got {len(registers)} registers")
        return registers

    def close(self) -> None:
        """Close the link; safe to call at any time."""
        client, self._client = self._client, None
        if client is not None:
            client.close()

    def _describe(self) -> str:
        return f"unit {self._unit_id} at {self._transport.describe()}"

    @contextmanager
    def _mapped_errors(self, what: str) -> Iterator[None]:
        """pymodbus' and asyncio's failures, mapped once."""
        try:
            yield
        except TimeoutError as err:
            raise NoAnswerError(
                f"no answer from {self._describe()} within {self._timeout_s:g} s "
                f"reading {what}"
            ) from err
        except ConnectionException as err:
            raise ConnectionLostError(f"lost {self._describe()}: {err}") from err
        except ModbusIOException as err:
            # No reply within the timeout (or a reply for another unit/request).
            raise NoAnswerError(
                f"no answer from {self._describe()} within {self._timeout_s:g} s "
                f"reading {what}"
            ) from err
        except ModbusException as err:
            raise NoAnswerError(
                f"unusable answer from {self._describe()}: {err}"
            ) from err
        except OSError as err:
            raise ConnectionLostError(f"lost {self._describe()}: {err}") from err

    def _rejection(self, response: ModbusPDU, what: str) -> ModbusLinkError:
        code = int(getattr(response, "exception_code", 0))
        name = EXCEPTION_NAMES.get(code, f"exception {code}")
        if code in (GATEWAY_PATH_UNAVAILABLE, GATEWAY_TARGET_NO_RESPONSE):
            return NoAnswerError(f"no answer from {self._describe()}: {name}")
        return ReadRejectedError(
            f"{self._describe()} refused {what}: {name} (code {code})", code
        )
