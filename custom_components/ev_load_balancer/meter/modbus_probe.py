"""One-shot check for the config flow: connect, read once, say what came back.

The flow shows the per-phase values (so the user can compare them with the
meter's display) or one of three error codes, each with a detail for the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .modbus_client import (
    CannotConnectError,
    ConnectionLostError,
    ModbusConnection,
    ModbusLinkError,
    ReadRejectedError,
)
from .modbus_config import ModbusMeterConfig
from .modbus_reading import ImplausibleReadingError, read_meter


class ProbeError(StrEnum):
    """Error keys for the config flow's `errors` dict."""

    CANNOT_CONNECT = "cannot_connect"  # no TCP connection / serial port
    NO_ANSWER = "no_answer"  # nothing back from that unit id in time
    IMPLAUSIBLE = "implausible"  # an answer, but absurd (or the wrong model)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProbeResult:
    """Either the values read (error is None) or why there are none."""

    error: ProbeError | None = None
    detail: str = ""
    current_a: tuple[float, ...] | None = None
    voltage_v: tuple[float, ...] | None = None
    power_w: tuple[float, ...] | None = None
    total_power_w: float | None = None
    energy_import_kwh: float | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


async def async_probe(config: ModbusMeterConfig) -> ProbeResult:
    """Read the meter once with `config`; never raises for a meter problem."""
    connection = ModbusConnection(
        config.transport, unit_id=config.unit_id, timeout_s=config.timeout_s
    )
    try:
        await connection.connect()
        sample = await read_meter(connection, config, with_total_power=True)
    except (CannotConnectError, ConnectionLostError) as err:
        return ProbeResult(error=ProbeError.CANNOT_CONNECT, detail=str(err))
    except ReadRejectedError as err:
        # It answered, but not to these registers: most likely the wrong model.
        return ProbeResult(
            error=ProbeError.IMPLAUSIBLE,
            detail=f"{err}; is {config.register_map.name} the right model?",
        )
    except ModbusLinkError as err:
        return ProbeResult(error=ProbeError.NO_ANSWER, detail=str(err))
    except ImplausibleReadingError as err:
        return ProbeResult(error=ProbeError.IMPLAUSIBLE, detail=str(err))
    finally:
        connection.close()
    reading = sample.reading
    return ProbeResult(
        detail=f"read {config.describe()}",
        current_a=reading.current_a,
        voltage_v=reading.voltage_v,
        power_w=reading.power_w,
        total_power_w=sample.total_power_w,
        energy_import_kwh=reading.energy_import_kwh,
    )
