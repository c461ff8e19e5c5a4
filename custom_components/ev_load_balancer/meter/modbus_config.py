"""What a Modbus meter source needs to know: link, unit id, register map, timing.

Plain frozen dataclasses, checked when built, so the config flow can build them
from its form and show the error of the field that is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
import math

from .generic_map import GENERIC_MAP_NAME, GenericMeterSpec
from .meter_models import GENERIC_MODEL_KEY, METER_MODELS
from .registers import InvalidMeterConfigError, RegisterMap

TCP_UNIT_IDS = range(256)  # gateways route any byte; 0 and 255 are common
SERIAL_UNIT_IDS = range(1, 248)  # 0 is broadcast on a serial bus, 248+ reserved
SERIAL_BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
MAX_POLL_INTERVAL_S = 1.0  # the balancer wants a fresh reading every second


# For the config flow's model select: key -> label, the generic map last.
MODEL_CHOICES: Mapping[str, str] = {
    **{key: register_map.name for key, register_map in METER_MODELS.items()},
    GENERIC_MODEL_KEY: GENERIC_MAP_NAME,
}


def register_map_for(
    model: str, generic: Mapping[str, object] | None = None
) -> RegisterMap:
    """The map of a `MODEL_CHOICES` key; `generic` describes a generic meter."""
    if model == GENERIC_MODEL_KEY:
        if generic is None:
            raise InvalidMeterConfigError("generic", "describe the registers")
        return GenericMeterSpec.from_dict(generic).register_map()
    try:
        return METER_MODELS[model]
    except KeyError:
        raise InvalidMeterConfigError("model", f"{model!r} is not known") from None


class Parity(StrEnum):
    """Serial parity as pyserial spells it."""

    NONE = "N"
    EVEN = "E"
    ODD = "O"


@dataclass(frozen=True, slots=True, kw_only=True)
class TcpTransport:
    """Modbus TCP; `rtu_framing` for serial gateways that pass RTU frames raw."""

    host: str
    port: int = 502
    rtu_framing: bool = False

    def __post_init__(self) -> None:
        if not self.host.strip():
            raise InvalidMeterConfigError("host", "is empty")
        if not 1 <= self.port <= 65535:
            raise InvalidMeterConfigError("port", f"{self.port} is not a TCP port")

    def describe(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True, slots=True, kw_only=True)
class SerialTransport:
    """Modbus RTU on a serial port (RS-485 adapter)."""

    port: str
    baudrate: int = 9600
    parity: Parity = Parity.NONE
    stopbits: int = 1
    bytesize: int = 8

    def __post_init__(self) -> None:
        if not self.port.strip():
            raise InvalidMeterConfigError("port", "is empty")
        if self.baudrate not in SERIAL_BAUD_RATES:
            raise InvalidMeterConfigError(
                "baudrate", f"{self.baudrate} is not supported"
            )
        if self.stopbits not in (1, 2):
            raise InvalidMeterConfigError("stopbits", f"{self.stopbits} is not 1 or 2")
        if self.bytesize not in (7, 8):
            raise InvalidMeterConfigError("bytesize", f"{self.bytesize} is not 7 or 8")

    def describe(self) -> str:
        return (
            f"{self.port} {self.baudrate} "
            f"{self.bytesize}{self.parity.value}{self.stopbits}"
        )


type Transport = TcpTransport | SerialTransport


@dataclass(frozen=True, slots=True, kw_only=True)
class ModbusMeterConfig:
    """One meter on one link.

    `fuse_a` bounds what counts as a plausible current; without it only
    physically absurd values (a 2000 A fuse x 5) are refused at the source and
    the coordinator judges the rest against the real fuse.
    """

    transport: Transport
    register_map: RegisterMap
    unit_id: int = 1
    poll_interval_s: float = 1.0
    timeout_s: float = 1.0
    reconnect_min_s: float = 1.0
    reconnect_max_s: float = 30.0
    fuse_a: float | None = None

    def __post_init__(self) -> None:
        unit_ids = (
            SERIAL_UNIT_IDS
            if isinstance(self.transport, SerialTransport)
            else TCP_UNIT_IDS
        )
        if self.unit_id not in unit_ids:
            raise InvalidMeterConfigError(
                "unit_id",
                f"{self.unit_id} is outside {unit_ids.start}..{unit_ids.stop - 1}",
            )
        _check_seconds("poll_interval_s", self.poll_interval_s, MAX_POLL_INTERVAL_S)
        _check_seconds("timeout_s", self.timeout_s, 30.0)
        _check_seconds("reconnect_min_s", self.reconnect_min_s, self.reconnect_max_s)
        _check_seconds("reconnect_max_s", self.reconnect_max_s, 3600.0)
        if self.fuse_a is not None and not (
            math.isfinite(self.fuse_a) and self.fuse_a > 0
        ):
            raise InvalidMeterConfigError(
                "fuse_a", f"{self.fuse_a} is not a fuse rating"
            )

    def describe(self) -> str:
        """`Eastron SDM630, unit 1 at 192.0.2.7:502`, for logs and problem details."""
        return (
            f"{self.register_map.name}, unit {self.unit_id} "
            f"at {self.transport.describe()}"
        )


def _check_seconds(field: str, value: float, maximum: float) -> None:
    if not (math.isfinite(value) and 0 < value <= maximum):
        raise InvalidMeterConfigError(field, f"{value} s is outside (0, {maximum:g}] s")
