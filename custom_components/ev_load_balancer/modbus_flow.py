"""The config flow's meter-source choice and its Modbus meter steps.

meter_source (menu) -> modbus_tcp | modbus_serial -> [modbus_generic] ->
test read -> modbus_confirm (a menu showing what was read: save, or change the
settings). A failed test read sends the user back to the form that holds the
culprit: the host or serial port (cannot connect), the unit id (no answer),
the model or the generic map (implausible values). The site flow inherits
these steps and saves the meter.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigFlow,
    ConfigFlowResult,
)

from .const import (
    CONF_FUSE,
    CONF_METER_ENTITIES,
    CONF_METER_TYPE,
    CONF_MODBUS,
    CONF_PHASES,
    CONF_VOLTAGE_ENTITIES,
    METER_TYPE_MODBUS,
)
from .meter.generic_map import GenericMeterSpec
from .meter.meter_models import GENERIC_MODEL_KEY
from .meter.modbus_config import ModbusMeterConfig
from .meter.modbus_probe import ProbeError, ProbeResult, async_probe
from .meter.registers import InvalidMeterConfigError
from .modbus_entry import (
    BAUDRATE,
    CONNECTION,
    CONNECTION_SERIAL,
    CONNECTION_TCP,
    HOST,
    MODEL,
    PARITY,
    PORT,
    REGISTERS,
    RTU_FRAMING,
    SERIAL_PORT,
    STOPBITS,
    UNIT_ID,
    meter_config,
    meter_identity,
)
from .modbus_flow_forms import (
    confirm_placeholders,
    generic_schema,
    serial_schema,
    tcp_schema,
)

STEP_TCP = "modbus_tcp"
STEP_SERIAL = "modbus_serial"
STEP_GENERIC = "modbus_generic"
STEP_CONFIRM = "modbus_confirm"
STEP_SAVE = "modbus_save"

# Which form field a transport's own validation error belongs to.
_TRANSPORT_FIELDS = {
    CONNECTION_TCP: {"host": HOST, "port": PORT, "unit_id": UNIT_ID},
    CONNECTION_SERIAL: {
        "port": SERIAL_PORT,
        "baudrate": BAUDRATE,
        "stopbits": STOPBITS,
        "unit_id": UNIT_ID,
    },
}


class MeterSourceSteps(ConfigFlow):
    """Meter-source menu and Modbus steps; the site flow provides the rest."""

    _site: dict[str, Any]
    _modbus: dict[str, Any]
    _probe: tuple[ModbusMeterConfig, ProbeResult] | None = None

    async def _async_save_meter(
        self, meter: dict[str, Any], meter_id: str
    ) -> ConfigFlowResult:
        """Create the site, or update the one being reconfigured."""
        raise NotImplementedError

    async def async_step_meter_source(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """HA sensors, or a Modbus meter over TCP or on a serial port."""
        self._modbus = {}
        return self.async_show_menu(
            step_id="meter_source", menu_options=["meter", STEP_TCP, STEP_SERIAL]
        )

    async def async_step_modbus_tcp(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        if user_input is None:
            return self._connection_form(CONNECTION_TCP, self._given(CONNECTION_TCP))
        settings = {
            CONNECTION: CONNECTION_TCP,
            HOST: str(user_input[HOST]).strip(),
            PORT: int(user_input[PORT]),
            RTU_FRAMING: bool(user_input.get(RTU_FRAMING, False)),
            UNIT_ID: int(user_input[UNIT_ID]),
            MODEL: user_input[MODEL],
        }
        return await self._async_connection_given(settings)

    async def async_step_modbus_serial(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        if user_input is None:
            return self._connection_form(
                CONNECTION_SERIAL, self._given(CONNECTION_SERIAL)
            )
        settings = {
            CONNECTION: CONNECTION_SERIAL,
            SERIAL_PORT: str(user_input[SERIAL_PORT]).strip(),
            BAUDRATE: int(user_input[BAUDRATE]),
            PARITY: user_input[PARITY],
            STOPBITS: int(user_input[STOPBITS]),
            UNIT_ID: int(user_input[UNIT_ID]),
            MODEL: user_input[MODEL],
        }
        return await self._async_connection_given(settings)

    async def async_step_modbus_generic(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The registers of a meter we have no table for, as YAML."""
        if user_input is None:
            return self._generic_form({})
        registers = user_input[REGISTERS]
        try:
            if not isinstance(registers, Mapping):
                raise InvalidMeterConfigError(REGISTERS, "expected a mapping")
            spec = GenericMeterSpec.from_dict(registers)
        except InvalidMeterConfigError as err:
            return self._generic_form(
                {REGISTERS: "invalid_register_map"}, str(err), registers
            )
        self._modbus[REGISTERS] = spec.as_dict()
        return await self._async_test_read()

    async def async_step_modbus_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show what the test read found: use this meter, or change settings."""
        assert self._probe is not None
        config, result = self._probe
        tcp = self._modbus[CONNECTION] == CONNECTION_TCP
        return self.async_show_menu(
            step_id=STEP_CONFIRM,
            menu_options=[STEP_SAVE, STEP_TCP if tcp else STEP_SERIAL],
            description_placeholders=confirm_placeholders(config, result),
        )

    async def async_step_modbus_save(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Save the settings the test read succeeded with."""
        meter = {
            CONF_METER_TYPE: METER_TYPE_MODBUS,
            CONF_MODBUS: dict(self._modbus),
            CONF_METER_ENTITIES: [],
            CONF_VOLTAGE_ENTITIES: [],
        }
        return await self._async_save_meter(meter, meter_identity(self._modbus))

    async def _async_connection_given(
        self, settings: dict[str, Any]
    ) -> ConfigFlowResult:
        connection = settings[CONNECTION]
        try:
            meter_id = meter_identity(settings)
        except InvalidMeterConfigError as err:
            field = _TRANSPORT_FIELDS[connection].get(err.field, "base")
            return self._connection_form(
                connection, settings, {field: "invalid_setting"}, str(err)
            )
        # A meter another site uses is refused before anything is read.
        if self.source == SOURCE_RECONFIGURE:
            if self._meter_used_elsewhere(meter_id):
                return self.async_abort(reason="already_configured")
        else:
            await self.async_set_unique_id(meter_id)
            self._abort_if_unique_id_configured()
        previous, self._modbus = self._modbus, settings
        if settings[MODEL] == GENERIC_MODEL_KEY:
            # Offer the map given before (an error, or the entry reconfigured).
            stored = previous.get(REGISTERS) or self._stored(connection).get(REGISTERS)
            if stored:
                settings[REGISTERS] = stored
            return self._generic_form({})
        return await self._async_test_read()

    async def _async_test_read(self) -> ConfigFlowResult:
        settings = self._modbus
        connection = settings[CONNECTION]
        generic = settings[MODEL] == GENERIC_MODEL_KEY
        model_field = REGISTERS if generic else MODEL
        try:
            config = meter_config(settings, fuse_a=float(self._site[CONF_FUSE]))
        except InvalidMeterConfigError as err:
            field = _TRANSPORT_FIELDS[connection].get(err.field, model_field)
            return self._form_with(field, "invalid_setting", str(err))
        phases = int(self._site[CONF_PHASES])
        if config.register_map.phases != phases:
            detail = f"{config.register_map.phases} phase(s), the site has {phases}"
            return self._form_with(model_field, "meter_phases", detail)
        result = await async_probe(config)
        if result.error is not None:
            field = {
                ProbeError.CANNOT_CONNECT: HOST
                if connection == CONNECTION_TCP
                else SERIAL_PORT,
                ProbeError.NO_ANSWER: UNIT_ID,
                ProbeError.IMPLAUSIBLE: model_field,
            }[result.error]
            return self._form_with(field, result.error.value, result.detail)
        self._probe = (config, result)
        return await self.async_step_modbus_confirm()

    def _form_with(self, field: str, error: str, detail: str) -> ConfigFlowResult:
        """The form that holds `field`, with the error shown on it."""
        if field == REGISTERS:
            return self._generic_form(
                {REGISTERS: error}, detail, self._modbus.get(REGISTERS)
            )
        return self._connection_form(
            self._modbus[CONNECTION], self._modbus, {field: error}, detail
        )

    def _connection_form(
        self,
        connection: str,
        values: Mapping[str, Any],
        errors: dict[str, str] | None = None,
        detail: str = "",
    ) -> ConfigFlowResult:
        tcp = connection == CONNECTION_TCP
        return self.async_show_form(
            step_id=STEP_TCP if tcp else STEP_SERIAL,
            data_schema=tcp_schema(values) if tcp else serial_schema(values),
            errors=errors or {},
            description_placeholders={"detail": detail},
        )

    def _generic_form(
        self, errors: dict[str, str], detail: str = "", registers: object = None
    ) -> ConfigFlowResult:
        phases = int(self._site[CONF_PHASES])
        given = registers if registers is not None else self._modbus.get(REGISTERS)
        return self.async_show_form(
            step_id=STEP_GENERIC,
            data_schema=generic_schema(phases, given),
            errors=errors,
            description_placeholders={"detail": detail},
        )

    def _given(self, connection: str) -> dict[str, Any]:
        """What this flow was given for the link, else what the entry holds."""
        if self._modbus.get(CONNECTION) == connection:
            return dict(self._modbus)
        return self._stored(connection)

    def _stored(self, connection: str) -> dict[str, Any]:
        """The entry's Modbus settings, when reconfiguring the same link type."""
        stored = self._site.get(CONF_MODBUS) or {}
        return dict(stored) if stored.get(CONNECTION) == connection else {}

    def _meter_used_elsewhere(self, meter_id: str) -> bool:
        own = self._get_reconfigure_entry().entry_id
        return any(
            entry.unique_id == meter_id and entry.entry_id != own
            for entry in self._async_current_entries(include_ignore=False)
        )
