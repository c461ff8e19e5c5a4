"""How a Modbus meter is kept in a site's config entry.

The flow stores a plain dict under `modbus` in the entry's data. The same
function turns it into the `ModbusMeterConfig` of the flow's test read and of
the running source, so what runs is exactly what was tested.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .meter.meter_models import GENERIC_MODEL_KEY
from .meter.modbus_config import (
    ModbusMeterConfig,
    Parity,
    SerialTransport,
    TcpTransport,
    Transport,
    register_map_for,
)
from .meter.registers import InvalidMeterConfigError

CONNECTION = "connection"
CONNECTION_TCP = "tcp"
CONNECTION_SERIAL = "serial"
HOST = "host"
PORT = "port"
RTU_FRAMING = "rtu_framing"
SERIAL_PORT = "serial_port"
BAUDRATE = "baudrate"
PARITY = "parity"
STOPBITS = "stopbits"
UNIT_ID = "unit_id"
MODEL = "model"
REGISTERS = "registers"  # the generic model's map, as GenericMeterSpec.as_dict()

PARITIES: Mapping[str, Parity] = {
    "none": Parity.NONE,
    "even": Parity.EVEN,
    "odd": Parity.ODD,
}


def transport_of(settings: Mapping[str, Any]) -> Transport:
    """The TCP or serial link described by `settings`."""
    try:
        if settings[CONNECTION] == CONNECTION_SERIAL:
            return SerialTransport(
                port=str(settings[SERIAL_PORT]).strip(),
                baudrate=int(settings[BAUDRATE]),
                parity=PARITIES[settings[PARITY]],
                stopbits=int(settings[STOPBITS]),
            )
        return TcpTransport(
            host=str(settings[HOST]).strip(),
            port=int(settings[PORT]),
            rtu_framing=bool(settings.get(RTU_FRAMING, False)),
        )
    except KeyError as err:
        raise InvalidMeterConfigError(str(err.args[0]), "is missing") from err


def meter_config(settings: Mapping[str, Any], *, fuse_a: float) -> ModbusMeterConfig:
    """The meter to read; raises `InvalidMeterConfigError` naming the bad field.

    Polling, timeouts and backoff keep the source's defaults (a reading every
    second): the balancer's safety depends on them, so they are not settings.
    """
    model = settings.get(MODEL)
    if not isinstance(model, str):
        raise InvalidMeterConfigError(MODEL, "is missing")
    generic = settings.get(REGISTERS) if model == GENERIC_MODEL_KEY else None
    return ModbusMeterConfig(
        transport=transport_of(settings),
        register_map=register_map_for(model, generic),
        unit_id=int(settings.get(UNIT_ID, 1)),
        fuse_a=fuse_a,
    )


def meter_identity(settings: Mapping[str, Any]) -> str:
    """The site's unique id: one meter is one unit id on one link."""
    transport = transport_of(settings)
    unit_id = int(settings.get(UNIT_ID, 1))
    if isinstance(transport, SerialTransport):
        return f"modbus:{transport.port}:unit{unit_id}"
    return f"modbus:{transport.host.lower()}:{transport.port}:unit{unit_id}"
