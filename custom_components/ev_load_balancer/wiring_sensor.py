"""The detected wiring of each charger: a diagnostic sensor (wiring_host.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.const import EntityCategory

from .config_model import connection_wiring
from .const import CONNECTIONS
from .coordinator import BalancerCoordinator
from .entity import ChargerEntity

DETECTED_WIRING = SensorEntityDescription(
    key="detected_wiring",
    translation_key="detected_wiring",
    device_class=SensorDeviceClass.ENUM,
    entity_category=EntityCategory.DIAGNOSTIC,
)


class DetectedWiringSensor(ChargerEntity, SensorEntity):
    """The connection the charger's steps point to (unknown until sure)."""

    def __init__(self, coordinator: BalancerCoordinator, charger_id: str) -> None:
        super().__init__(coordinator, charger_id, DETECTED_WIRING)
        config = coordinator.handles[charger_id].config
        phases = coordinator.site_config.phases
        self._attr_options = [
            c
            for c in CONNECTIONS
            if len(connection_wiring(c)) == len(config.wiring)
            and max(connection_wiring(c)) < phases
        ]

    @property
    def native_value(self) -> str | None:
        return self.coordinator.wiring.detected_connection(self.charger_id)

    def shown(self) -> object:
        return (self.native_value, self.extra_state_attributes)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any]:
        estimate = self.coordinator.wiring.estimate(self.charger_id)
        if estimate is None:
            return {"steps": 0}
        detected = self.native_value
        return {
            # How sure the detector is of the site phase of the charger's L1 (%).
            "confidence": round(100.0 * estimate.confidence[0], 1),
            "steps": estimate.steps,
            "sessions": estimate.sessions,
            "matches_configuration": None
            if detected is None
            else not estimate.mismatch,
            "single_phase_ev": None
            if estimate.ev_conductors is None
            else estimate.single_phase_ev,
        }
