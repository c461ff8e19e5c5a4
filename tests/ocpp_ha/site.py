"""A site with OCPP chargers in the HA harness: config entries, meter, clients.

The meter is three HA `sensor` states; chargers are real `ocpp` library
clients (tests/ocpp_cs/fake_chargers.py) over real websockets to the server the
integration runs on 127.0.0.1 (port 0: a free one, read back from the entry).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
import csv
from dataclasses import dataclass
import io
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT, UnitOfElectricCurrent
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.event import async_track_state_change_event
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from custom_components.ev_load_balancer.const import DOMAIN
from evlb_sim.live.ocpp_charge_points import (
    RecordingChargePointV16,
    RecordingChargePointV201,
)
from tests.ocpp_cs.conftest import boot
from tests.ocpp_cs.fake_chargers import WAIT_S

# Chargers connected by `connected`, whose answers `drain` waits for.
_CONNECTED: set[RecordingChargePointV16 | RecordingChargePointV201] = set()
AMPS = {ATTR_UNIT_OF_MEASUREMENT: UnitOfElectricCurrent.AMPERE}
METER = ("sensor.main_l1", "sensor.main_l2", "sensor.main_l3")
FUSE_A = 40.0
MARGIN_A = 2.0


def ocpp_server(**changes: Any) -> dict[str, Any]:
    """The options section of a server on 127.0.0.1, on a free port."""
    return {
        "enabled": True,
        "host": "127.0.0.1",
        "port": 0,
        "path": "/ocpp",
        "tls_certificate": None,
        "tls_key": None,
        **changes,
    }


def ocpp_subentry(
    charge_point_id: str,
    title: str | None = None,
    **data: Any,
) -> ConfigSubentryData:
    """An adopted OCPP charger; its subentry id is `sub_<charge point id>`."""
    return ConfigSubentryData(
        data={
            "charge_point_id": charge_point_id,
            "connection": "three_phase_l1l2l3",
            "min_current": 6,
            "max_current": 16,
            "priority": 5,
            "failsafe_current": 6,
            **data,
        },
        subentry_id=f"sub_{charge_point_id}",
        subentry_type="ocpp_charger",
        title=title or charge_point_id,
        unique_id=charge_point_id,
    )


def site_entry(
    *subentries: ConfigSubentryData,
    fuse_a: float = FUSE_A,
    server: dict[str, Any] | None = None,
    **options: Any,
) -> MockConfigEntry:
    """A three-phase site measured by METER, with its OCPP server on."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Garage",
        unique_id=METER[0],
        data={
            "name": "Garage",
            "phases": 3,
            "fuse_current": fuse_a,
            "nominal_voltage": 230,
            "meter_type": "sensors",
            "meter_entities": list(METER),
            "voltage_entities": [],
        },
        options={
            "safety_margin": MARGIN_A,
            "hold_time": 0,
            "stale_after": 10,
            "ocpp_server": ocpp_server() if server is None else server,
            **options,
        },
        subentries_data=list(subentries),
    )


@callback
def set_meter(hass: HomeAssistant, currents: tuple[float, ...]) -> None:
    """Publish one reading of the building's meter (A per phase)."""
    for entity_id, value in zip(METER, currents, strict=True):
        hass.states.async_set(entity_id, f"{value:.2f}", AMPS, force_update=True)


def server_port(entry: MockConfigEntry) -> int:
    port = entry.runtime_data.ocpp.port
    assert port is not None, "the OCPP server is not running"
    return int(port)


@asynccontextmanager
async def connected[T: (RecordingChargePointV16, RecordingChargePointV201)](
    entry: MockConfigEntry,
    charge_point_id: str,
    factory: type[T],
    *,
    headers: dict[str, str] | None = None,
    path: str = "/ocpp",
) -> AsyncIterator[T]:
    """A charger connected to the site's server; its receive loop runs meanwhile."""
    version = "ocpp1.6" if issubclass(factory, RecordingChargePointV16) else "ocpp2.0.1"
    url = f"ws://127.0.0.1:{server_port(entry)}{path}/{charge_point_id}"
    # No client pings: with a frozen clock they would fire at odd moments.
    async with connect(
        url,
        subprotocols=[Subprotocol(version)],
        additional_headers=headers,
        ping_interval=None,
    ) as websocket:
        charger = factory(charge_point_id, websocket)
        receive = asyncio.create_task(charger.start())
        _CONNECTED.add(charger)
        try:
            yield charger
        finally:
            _CONNECTED.discard(charger)
            receive.cancel()
            with suppress(asyncio.CancelledError, ConnectionClosed):
                await receive


@asynccontextmanager
async def booted[T: (RecordingChargePointV16, RecordingChargePointV201)](
    entry: MockConfigEntry, charge_point_id: str, factory: type[T]
) -> AsyncIterator[T]:
    """An adopted charger connected and accepted at its BootNotification."""
    async with connected(entry, charge_point_id, factory) as charger:
        assert await boot(charger) == "Accepted"
        yield charger


async def export_sessions(hass: HomeAssistant, entry_id: str) -> list[dict[str, str]]:
    """The site's stored sessions, as the export_sessions service gives them."""
    response = await hass.services.async_call(
        DOMAIN,
        "export_sessions",
        {"site": entry_id},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    rows = list(csv.DictReader(io.StringIO(str(response["csv"]))))
    assert response["sessions"] == len(rows)
    return rows


async def state_becomes(
    hass: HomeAssistant, entity_id: str, expected: str | Callable[[str], bool]
) -> None:
    """Wait until an entity shows a state (the loop publishes after each round)."""
    reached = asyncio.Event()
    wanted = expected if callable(expected) else expected.__eq__

    @callback
    def check(_event: Event[EventStateChangedData] | None = None) -> None:
        state = hass.states.get(entity_id)
        if state is not None and wanted(state.state):
            reached.set()

    remove = async_track_state_change_event(hass, [entity_id], check)
    try:
        check()
        async with asyncio.timeout(WAIT_S):
            await reached.wait()
    except TimeoutError:
        state = hass.states.get(entity_id)
        raise AssertionError(
            f"{entity_id} is {state.state if state else None!r}, not {expected!r}"
        ) from None
    finally:
        remove()


@dataclass(frozen=True, slots=True)
class Profile:
    """A SetChargingProfile a charger received, the same for both versions."""

    connector: int
    stack_level: int
    purpose: str
    unit: str
    limit: float
    duration_s: int | None
    transaction_id: str | None


def sent_profiles(
    charger: RecordingChargePointV16 | RecordingChargePointV201,
) -> list[Profile]:
    """Every SetChargingProfile the charger received, oldest first."""
    profiles: list[Profile] = []
    for action, payload in charger.recorder.calls:
        if action != "SetChargingProfile":
            continue
        if isinstance(charger, RecordingChargePointV16):
            profile = payload["cs_charging_profiles"]
            schedule = profile["charging_schedule"]
            connector = payload["connector_id"]
        else:
            profile = payload["charging_profile"]
            (schedule,) = profile["charging_schedule"]
            connector = payload["evse_id"]
        transaction = profile.get("transaction_id")
        profiles.append(
            Profile(
                connector=connector,
                stack_level=profile["stack_level"],
                purpose=profile["charging_profile_purpose"],
                unit=schedule["charging_rate_unit"],
                limit=float(schedule["charging_schedule_period"][0]["limit"]),
                duration_s=schedule.get("duration"),
                transaction_id=None if transaction is None else str(transaction),
            )
        )
    return profiles


async def failsafe_becomes(
    charger: RecordingChargePointV16 | RecordingChargePointV201, limit: float
) -> None:
    """Wait for a failsafe profile (stack level 0, connector 0) of this limit."""
    while True:
        await charger.recorder.next("SetChargingProfile")
        newest = sent_profiles(charger)[-1]
        if (newest.stack_level, newest.connector, newest.limit) == (0, 0, limit):
            return


def held_limit(
    charger: RecordingChargePointV16 | RecordingChargePointV201,
) -> float | None:
    """The limit the charger obeys now: its newest profile of the top stack level."""
    newest: dict[tuple[int, str], Profile] = {}
    for profile in sent_profiles(charger):
        newest[profile.stack_level, profile.purpose] = profile
    if not newest:
        return None
    top = max(newest.values(), key=lambda p: (p.stack_level, p.purpose == "TxProfile"))
    return top.limit


async def drain(hass: HomeAssistant) -> None:
    """Run until quiet: commands, their answers over the sockets, the next round."""
    for _ in range(6):
        await hass.async_block_till_done()
        for charger in list(_CONNECTED):
            await charger.recorder.idle()


async def advance(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    seconds: float,
    meter: tuple[float, ...] | None = None,
) -> None:
    """Let time pass (the meter reports at the end, as real ones do)."""
    freezer.tick(seconds)
    if meter is not None:
        set_meter(hass, meter)
    async_fire_time_changed(hass)
    await drain(hass)


async def run_for(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    seconds: float,
    meter: tuple[float, ...],
    step_s: float = 1.0,
) -> None:
    """Time passes in steps, with a meter reading at every step."""
    for _ in range(round(seconds / step_s)):
        await advance(hass, freezer, step_s, meter)
