"""What only OCPP chargers report: energy, session, connector status, liveness.

The sensor and binary_sensor platforms add these next to every charger's
common entities. Values come from the charger's OCPP picture (ChargerInfo),
taken once a round for all of a charger's sensors; each is written when its
value changed in a round (every message of the charger triggers one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from weakref import WeakKeyDictionary

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory, UnitOfEnergy
from homeassistant.core import callback
from homeassistant.helpers.typing import StateType

from .coordinator import BalancerCoordinator
from .device_info import async_update_charger_device
from .entity import ChargerEntity
from .ocpp_cs import ChargerInfo, OcppChargerBackend
from .ocpp_runtime import OcppRuntime

# OCPP connector statuses (1.6 and 2.0.1) -> sensor states. "Unavailable"
# must not become the state "unavailable", which HA reads as "no value".
CONNECTOR_STATUSES = {
    "Available": "available",
    "Preparing": "preparing",
    "Charging": "charging",
    "SuspendedEVSE": "suspended_evse",
    "SuspendedEV": "suspended_ev",
    "Finishing": "finishing",
    "Reserved": "reserved",
    "Occupied": "occupied",
    "Unavailable": "out_of_service",
    "Faulted": "faulted",
}


@dataclass(frozen=True, kw_only=True)
class OcppSensorDescription(SensorEntityDescription):
    """An OCPP charger sensor and how to read it."""

    value_fn: Callable[[ChargerInfo], StateType | datetime]
    # Until the charger reports again (after a restart), show its last value.
    restore: bool = False


def _timestamp(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


OCPP_SENSORS = (
    # The charger's own register: what the Energy dashboard wants.
    OcppSensorDescription(
        key="energy",
        translation_key="energy",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda info: info.energy_kwh,
        restore=True,
    ),
    # No state class: long-term statistics belong to the register above.
    OcppSensorDescription(
        key="session_energy",
        translation_key="session_energy",
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        # No session: nothing charged in it (rather than "unknown").
        value_fn=lambda info: (
            0.0 if info.transaction_id is None else info.session_energy_kwh
        ),
    ),
    OcppSensorDescription(
        key="connector_status",
        translation_key="connector_status",
        device_class=SensorDeviceClass.ENUM,
        options=list(CONNECTOR_STATUSES.values()),
        value_fn=lambda info: CONNECTOR_STATUSES.get(info.connector_status or ""),
    ),
    OcppSensorDescription(
        key="id_tag",
        translation_key="id_tag",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda info: info.id_tag,
    ),
    OcppSensorDescription(
        key="last_heartbeat",
        translation_key="last_heartbeat",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda info: _timestamp(info.last_heartbeat),
    ),
)

CONNECTED = BinarySensorEntityDescription(
    key="connected",
    translation_key="connected",
    device_class=BinarySensorDeviceClass.CONNECTIVITY,
    entity_category=EntityCategory.DIAGNOSTIC,
)


class RoundInfo:
    """A charger's OCPP picture as of the coordinator's newest round."""

    def __init__(
        self, coordinator: BalancerCoordinator, backend: OcppChargerBackend
    ) -> None:
        self.coordinator = coordinator
        self._backend = backend
        self._round: object = None
        self._info: ChargerInfo | None = None

    @property
    def info(self) -> ChargerInfo:
        # Each round publishes a new snapshot: one picture per snapshot.
        published = self.coordinator.data
        if self._info is None or published is not self._round:
            self._info = self._backend.info
            self._round = published
        return self._info


# One picture a round for all of a charger's entities, on both platforms.
_ROUND_INFOS: WeakKeyDictionary[OcppChargerBackend, RoundInfo] = WeakKeyDictionary()


def round_info(
    coordinator: BalancerCoordinator, backend: OcppChargerBackend
) -> RoundInfo:
    """The charger's RoundInfo (a new one for a new coordinator)."""
    info = _ROUND_INFOS.get(backend)
    if info is None or info.coordinator is not coordinator:
        info = _ROUND_INFOS[backend] = RoundInfo(coordinator, backend)
    return info


def ocpp_sensors(
    coordinator: BalancerCoordinator, ocpp: OcppRuntime
) -> Callable[[str], list[SensorEntity]]:
    """For a charger subentry, the sensors only an OCPP charger has."""

    def make(charger_id: str) -> list[SensorEntity]:
        charger = ocpp.chargers.get(charger_id)
        if charger is None:
            return []
        info = round_info(coordinator, charger.ocpp)
        return [
            OcppChargerSensor(coordinator, charger_id, info, description)
            for description in OCPP_SENSORS
        ]

    return make


def ocpp_binary_sensors(
    coordinator: BalancerCoordinator, ocpp: OcppRuntime
) -> Callable[[str], list[BinarySensorEntity]]:
    """For a charger subentry: is its websocket up (OCPP chargers only)."""

    def make(charger_id: str) -> list[BinarySensorEntity]:
        charger = ocpp.chargers.get(charger_id)
        if charger is None:
            return []
        return [
            ConnectedBinarySensor(
                coordinator,
                charger_id,
                charger.ocpp,
                round_info(coordinator, charger.ocpp),
            )
        ]

    return make


class OcppChargerSensor(ChargerEntity, RestoreSensor):
    """A value an OCPP charger reports about itself."""

    entity_description: OcppSensorDescription

    def __init__(
        self,
        coordinator: BalancerCoordinator,
        charger_id: str,
        info: RoundInfo,
        description: OcppSensorDescription,
    ) -> None:
        super().__init__(coordinator, charger_id, description)
        self._info = info
        self._restored: StateType | datetime = None

    async def async_added_to_hass(self) -> None:
        await super().async_added_to_hass()
        if self.entity_description.restore and (
            last := await self.async_get_last_sensor_data()
        ):
            restored = last.native_value
            if isinstance(restored, int | float):
                self._restored = restored

    @property
    def native_value(self) -> StateType | datetime:
        value = self.entity_description.value_fn(self._info.info)
        return self._restored if value is None else value

    def shown(self) -> object:
        return self.native_value


class ConnectedBinarySensor(ChargerEntity, BinarySensorEntity):
    """On while the charger holds a websocket to Home Assistant."""

    def __init__(
        self,
        coordinator: BalancerCoordinator,
        charger_id: str,
        backend: OcppChargerBackend,
        info: RoundInfo,
    ) -> None:
        super().__init__(coordinator, charger_id, CONNECTED)
        self._backend = backend
        self._info = info
        self._boot: tuple[str | None, ...] | None = None  # on the device page

    async def async_added_to_hass(self) -> None:
        await super().async_added_to_hass()
        async_update_charger_device(self.hass, self.charger_id, self._backend.info)

    @callback
    def _handle_coordinator_update(self) -> None:
        # One entity per charger keeps its device page up to date with what
        # the charger says about itself at each (re)connection.
        info = self._info.info
        boot = (info.vendor, info.model, info.serial_number, info.firmware_version)
        if boot != self._boot:
            async_update_charger_device(self.hass, self.charger_id, info)
            self._boot = boot
        super()._handle_coordinator_update()

    @property
    def is_on(self) -> bool:
        return self._backend.available

    def shown(self) -> object:
        return self.is_on
