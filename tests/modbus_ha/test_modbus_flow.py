"""The site's config flow with a Modbus meter, against a real server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from unittest.mock import AsyncMock, patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_load_balancer.const import DOMAIN
from custom_components.ev_load_balancer.meter.meter_models import EM24, SDM630
from custom_components.ev_load_balancer.meter.modbus_config import (
    ModbusMeterConfig,
    Parity,
    SerialTransport,
)
from custom_components.ev_load_balancer.meter.modbus_probe import ProbeResult
from custom_components.ev_load_balancer.modbus_entry import meter_config
from evlb_sim.live.modbus_meter import SimulatedMeter
from evlb_sim.live.modbus_server import MeterServer
from tests.meter.helpers import free_port

from .flow_helpers import choose, configure, defaults, meter_menu, tcp_input

pytestmark = pytest.mark.usefixtures("socket_enabled")

SETUP = "custom_components.ev_load_balancer.async_setup_entry"


@pytest.fixture(autouse=True)
def serve_normal_values(meter: SimulatedMeter) -> None:
    meter.serve(
        SDM630,
        current=(12.5, 8.0, 3.3),
        voltage=(230.0, 231.0, 229.0),
        power=(2875.0, 1848.0, -756.0),  # L3 exports (solar)
        total_power=3967.0,
        energy=4321.0,
    )


async def test_a_tcp_meter_is_set_up_end_to_end(
    hass: HomeAssistant, meter_server: MeterServer
) -> None:
    result = await meter_menu(hass)
    result = await choose(hass, result, "modbus_tcp")
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "modbus_tcp"
    assert defaults(result) == {
        "port": 502,
        "unit_id": 1,
        "rtu_framing": False,
    }

    result = await configure(hass, result, tcp_input(meter_server.port))
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "modbus_confirm"
    assert result["menu_options"] == ["modbus_save", "modbus_tcp"]
    assert result["description_placeholders"] == {
        "meter": f"Eastron SDM630, unit 1 at 127.0.0.1:{meter_server.port}",
        "current": "L1 12.5 A, L2 8.0 A, L3 -3.3 A",
        "voltage": "L1 230.0 V, L2 231.0 V, L3 229.0 V",
        "power": "L1 2875 W, L2 1848 W, L3 -756 W",
        "energy": "4321.0 kWh",
    }

    result = await choose(hass, result, "modbus_save")
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    assert entry.title == "Garage"
    assert entry.unique_id == f"modbus:127.0.0.1:{meter_server.port}:unit1"
    assert entry.data == {
        "name": "Garage",
        "phases": 3,
        "fuse_current": 40,
        "nominal_voltage": 230,
        "meter_type": "modbus",
        "modbus": {
            "connection": "tcp",
            "host": "127.0.0.1",
            "port": meter_server.port,
            "rtu_framing": False,
            "unit_id": 1,
            "model": "sdm630",
        },
        "meter_entities": [],
        "voltage_entities": [],
    }
    assert entry.options == {"safety_margin": 2}
    await hass.async_block_till_done()

    # The site runs on what the server answers.
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.garage_site_current_l3").state == "-3.3"
    assert hass.states.get("sensor.garage_voltage_l2").state == "231.0"
    assert hass.states.get("binary_sensor.garage_meter_healthy").state == "on"
    assert await hass.config_entries.async_unload(entry.entry_id)


def _wrong_model(meter: SimulatedMeter) -> None:
    meter.listed_only = True  # an SDM630 refuses the ABB's registers


def _absurd(meter: SimulatedMeter) -> None:
    meter.serve(SDM630, current=(900.0, 1.0, 1.0))  # on a 40 A fuse


@dataclass(frozen=True)
class WrongInput:
    """What goes wrong, and where the flow must say so."""

    bad_input: dict[str, object]
    field: str
    error: str
    detail: str
    spoil: Callable[[SimulatedMeter], None] | None = None


@pytest.mark.parametrize(
    "case",
    [
        WrongInput({"port": "free"}, "host", "cannot_connect", "cannot connect"),
        WrongInput({"unit_id": 7}, "unit_id", "no_answer", "no answer from unit 7"),
        WrongInput(
            {"model": "abb_b23"}, "model", "implausible", "ABB B23/B24", _wrong_model
        ),
        WrongInput({}, "model", "implausible", "L1 current 900.0 A on a 40 A", _absurd),
        WrongInput({"host": "  "}, "host", "invalid_setting", "host: is empty"),
    ],
    ids=["cannot_connect", "no_answer", "wrong_model", "absurd_values", "empty_host"],
)
async def test_an_error_is_shown_on_its_field_and_the_user_recovers(
    hass: HomeAssistant,
    meter_server: MeterServer,
    meter: SimulatedMeter,
    case: WrongInput,
) -> None:
    bad_input = case.bad_input
    if bad_input.get("port") == "free":
        bad_input = {"port": free_port()}
    if case.spoil is not None:
        case.spoil(meter)
    result = await choose(hass, await meter_menu(hass), "modbus_tcp")
    given = tcp_input(**{"port": meter_server.port, **bad_input})

    result = await configure(hass, result, given)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "modbus_tcp"
    assert result["errors"] == {case.field: case.error}
    assert case.detail in result["description_placeholders"]["detail"]
    # The form keeps what was typed, so only the culprit needs fixing.
    assert {k: v for k, v in defaults(result).items() if k in bad_input} == {
        k: str(v).strip() if k == "host" else v for k, v in bad_input.items()
    }

    meter.listed_only = False
    meter.serve(SDM630, current=(12.5, 8.0, 3.3))
    result = await configure(hass, result, tcp_input(meter_server.port))
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "modbus_confirm"
    with patch(SETUP, return_value=True):
        result = await choose(hass, result, "modbus_save")
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_the_same_meter_twice_is_refused_before_any_read(
    hass: HomeAssistant, meter_server: MeterServer, meter: SimulatedMeter
) -> None:
    MockConfigEntry(
        domain=DOMAIN, unique_id=f"modbus:127.0.0.1:{meter_server.port}:unit1"
    ).add_to_hass(hass)
    result = await choose(hass, await meter_menu(hass), "modbus_tcp")
    result = await configure(hass, result, tcp_input(meter_server.port))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert meter.requests == []

    # Another unit id behind the same gateway is another meter.
    meter.unit_ids = {1, 2}
    result = await choose(hass, await meter_menu(hass), "modbus_tcp")
    result = await configure(hass, result, tcp_input(meter_server.port, unit_id=2))
    assert result["step_id"] == "modbus_confirm"


async def test_a_meter_with_another_phase_count_is_refused(
    hass: HomeAssistant, meter_server: MeterServer, meter: SimulatedMeter
) -> None:
    result = await choose(hass, await meter_menu(hass, phases="1"), "modbus_tcp")
    result = await configure(hass, result, tcp_input(meter_server.port))
    assert result["errors"] == {"model": "meter_phases"}
    assert result["description_placeholders"]["detail"] == (
        "3 phase(s), the site has 1"
    )
    assert meter.requests == []


async def test_the_settings_can_be_changed_after_the_test_read(
    hass: HomeAssistant, meter_server: MeterServer, meter: SimulatedMeter
) -> None:
    meter.unit_ids = {1, 4}
    result = await choose(hass, await meter_menu(hass), "modbus_tcp")
    result = await configure(hass, result, tcp_input(meter_server.port))
    result = await choose(hass, result, "modbus_tcp")
    assert result["step_id"] == "modbus_tcp"
    assert defaults(result) == tcp_input(meter_server.port)

    result = await configure(hass, result, tcp_input(meter_server.port, unit_id=4))
    assert result["step_id"] == "modbus_confirm"
    assert meter.requests[-1].unit == 4
    with patch(SETUP, return_value=True):
        result = await choose(hass, result, "modbus_save")
    assert result["result"].data["modbus"]["unit_id"] == 4
    assert result["result"].unique_id.endswith(":unit4")


async def test_a_serial_meter_gets_the_serial_link_it_was_given(
    hass: HomeAssistant,
) -> None:
    """No RS-485 hardware here: the real test read fails to open the port;
    then, with the read stubbed at its boundary, the flow must hand the probe
    and the entry exactly the serial settings the user gave."""
    result = await choose(hass, await meter_menu(hass), "modbus_serial")
    assert result["step_id"] == "modbus_serial"
    assert defaults(result) == {
        "serial_port": "/dev/ttyUSB0",
        "baudrate": "9600",
        "parity": "none",
        "stopbits": "1",
        "unit_id": 1,
    }
    given = {
        "serial_port": " /dev/ttyEVLB-nonexistent ",
        "baudrate": "19200",
        "parity": "even",
        "stopbits": "2",
        "unit_id": 3,
        "model": "em24",
    }
    result = await configure(hass, result, given)
    assert result["errors"] == {"serial_port": "cannot_connect"}

    probed: list[ModbusMeterConfig] = []

    async def probe(config: ModbusMeterConfig) -> ProbeResult:
        probed.append(config)
        return ProbeResult(current_a=(1.0, 2.0, 3.0))

    with patch(
        "custom_components.ev_load_balancer.modbus_flow.async_probe",
        AsyncMock(side_effect=probe),
    ):
        result = await configure(hass, result, given)
    assert result["step_id"] == "modbus_confirm"
    assert result["menu_options"] == ["modbus_save", "modbus_serial"]
    assert result["description_placeholders"]["voltage"] == "-"
    with patch(SETUP, return_value=True):
        result = await choose(hass, result, "modbus_save")

    expected = SerialTransport(
        port="/dev/ttyEVLB-nonexistent",
        baudrate=19200,
        parity=Parity.EVEN,
        stopbits=2,
    )
    (config,) = probed
    assert config.transport == expected
    assert config.unit_id == 3
    assert config.register_map is EM24
    assert config.fuse_a == 40
    entry = result["result"]
    assert entry.unique_id == "modbus:/dev/ttyEVLB-nonexistent:unit3"
    # What the site will run with is what was tested.
    assert meter_config(entry.data["modbus"], fuse_a=40) == config
