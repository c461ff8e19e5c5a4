"""A real pymodbus TCP server on 127.0.0.1 serving a `SimulatedMeter`.

pymodbus changed its server datastore API between 3.8 and 3.10; the two small
context classes below adapt the same meter to each. Names that exist in only
one of the two versions are looked up at run time, so that the module type-
checks against both.
"""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pymodbus.constants
import pymodbus.datastore
from pymodbus.datastore import ModbusServerContext
import pymodbus.exceptions
from pymodbus.framer import FramerType
from pymodbus.server import ModbusTcpServer

from .modbus_meter import ILLEGAL_ADDRESS, NoSuchUnitError, SimulatedMeter

NEW_DATASTORE_API = hasattr(pymodbus.datastore, "ModbusDeviceContext")  # >= 3.10
# What pymodbus expects a context to raise to stay silent for a unit.
_SILENT_UNIT_ERROR: type[Exception] = getattr(
    pymodbus.exceptions,
    "NoSuchIdException" if NEW_DATASTORE_API else "NoSuchSlaveException",
)
_IGNORE_MISSING = (
    "ignore_missing_devices" if NEW_DATASTORE_API else "ignore_missing_slaves"
)


class _DeviceContext(ModbusServerContext):
    """pymodbus >= 3.10: the server asks the context directly."""

    def __init__(self, meter: SimulatedMeter) -> None:
        # The base class insists on the deprecated device contexts; the
        # server only needs these two attributes and the async getters.
        self.meter = meter
        self.old_simulator = True
        self.simdevices = cast("Any", [])
        self._codes: Any = getattr(pymodbus.constants, "ExcCodes")  # noqa: B009

    async def async_getValues(  # noqa: N802 (pymodbus' name)
        self, device_id: int, func_code: int, address: int, count: int = 1
    ) -> Any:
        try:
            self.meter.hear(device_id)
        except NoSuchUnitError as err:
            raise _SILENT_UNIT_ERROR(str(err)) from err
        answer = self.meter.answer(device_id, func_code, address, count)
        await self.meter.wait_before_answering()
        return self._codes(answer) if isinstance(answer, int) else answer

    async def async_setValues(  # noqa: N802 (pymodbus' name)
        self, device_id: int, func_code: int, address: int, values: object
    ) -> Any:
        return self._codes.ILLEGAL_FUNCTION

    def device_ids(self) -> list[int]:
        return sorted(self.meter.unit_ids)


class _UnitContext:
    """pymodbus 3.8/3.9: per-unit context; validate() then getValues()."""

    def __init__(self, meter: SimulatedMeter, unit: int) -> None:
        self.meter = meter
        self.unit = unit
        self.answer: list[int] | int = ILLEGAL_ADDRESS

    def validate(self, func_code: int, address: int, count: int = 1) -> bool:
        # This API can only refuse with "illegal address".
        self.answer = self.meter.answer(self.unit, func_code, address, count)
        return not isinstance(self.answer, int)

    async def async_getValues(  # noqa: N802 (pymodbus' name)
        self, func_code: int, address: int, count: int = 1
    ) -> list[int]:
        assert not isinstance(self.answer, int)
        await self.meter.wait_before_answering()
        return self.answer


class _SlaveContext(ModbusServerContext):
    """pymodbus 3.8/3.9: the server looks a unit up, then asks its context."""

    def __init__(self, meter: SimulatedMeter) -> None:
        cast("Any", super()).__init__(slaves={}, single=False)
        self.meter = meter

    def __contains__(self, unit: object) -> bool:
        return unit in self.meter.unit_ids

    def __getitem__(self, unit: int) -> Any:
        try:
            self.meter.hear(unit)
        except NoSuchUnitError as err:
            raise _SILENT_UNIT_ERROR(str(err)) from err
        return _UnitContext(self.meter, unit)

    def slaves(self) -> list[int]:
        return sorted(self.meter.unit_ids)


def _context(meter: SimulatedMeter) -> ModbusServerContext:
    return _DeviceContext(meter) if NEW_DATASTORE_API else _SlaveContext(meter)


class MeterServer:
    """A running server; `stop` and `start` again to simulate an outage."""

    def __init__(
        self, meter: SimulatedMeter, *, rtu_framing: bool = False, port: int = 0
    ) -> None:
        self.meter = meter
        self.port = port  # 0: a free port, chosen at the first start
        self._rtu_framing = rtu_framing
        self._server: ModbusTcpServer | None = None

    @property
    def running(self) -> bool:
        return self._server is not None

    async def start(self) -> None:
        """Listen on 127.0.0.1 (on the same port at every start)."""
        options: dict[str, Any] = {_IGNORE_MISSING: True}
        server = ModbusTcpServer(
            _context(self.meter),
            framer=FramerType.RTU if self._rtu_framing else FramerType.SOCKET,
            address=("127.0.0.1", self.port),
            **options,
        )
        await server.serve_forever(background=True)
        if not server.transport:
            raise OSError(f"cannot listen on 127.0.0.1:{self.port}")
        listener = cast("asyncio.Server", server.transport)
        self.port = int(listener.sockets[0].getsockname()[1])
        self._server = server

    async def stop(self) -> None:
        """Close the listener and every client connection."""
        server, self._server = self._server, None
        if server is not None:
            await cast("Any", server).shutdown()
