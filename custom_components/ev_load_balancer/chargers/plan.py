"""How one charger is driven and read: its entities and controls, resolved.

No Home Assistant calls here. A profile's charger gets its plan from the entity
registry (profiles/registry.py); a charger set up by hand gets one from the
entities the user picked (`custom_plan`). The back end (entity_charger.py)
runs either the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..balancer import ChargerState
from ..config_model import ChargerConfig
from ..const import CONTROL_NUMBER
from .profiles.model import (
    CONDUCTOR_ROLES,
    CurrentControl,
    NumberCurrent,
    PauseControl,
    PhaseAttributes,
    PhaseControl,
    Role,
    ServiceCurrent,
    SwitchPause,
    TerminalAttributes,
)
from .status_map import WORDS


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargerPlan:
    """Entity ids per role, the controls, and how to read the status."""

    entities: Mapping[Role, str]
    current: CurrentControl | None
    pause: PauseControl | None = None
    phases: PhaseControl | None = None
    # The charger's HA device: the target of its integration's services.
    device_id: str | None = None
    words: Mapping[str, ChargerState] = field(default_factory=lambda: WORDS)
    status_attribute: str | None = None
    phase_attributes: PhaseAttributes | None = None
    terminal_attributes: TerminalAttributes | None = None
    # Other fields of a service the user picked (its target, say).
    service_data: Mapping[str, Any] = field(default_factory=dict)
    # None: the number entity's own step attribute.
    step_a: float | None = None
    profile_key: str | None = None

    @property
    def read_only(self) -> bool:
        return self.current is None

    def entity(self, role: Role) -> str | None:
        return self.entities.get(role)

    @property
    def conductor_sensors(self) -> list[str]:
        """Current sensors per conductor, L1 first, as far as they go."""
        sensors: list[str] = []
        for role in CONDUCTOR_ROLES:
            entity_id = self.entities.get(role)
            if entity_id is None:
                break
            sensors.append(entity_id)
        return sensors


def custom_plan(config: ChargerConfig) -> ChargerPlan:
    """The plan of a charger whose entities the user picked one by one."""
    entities: dict[Role, str] = {}
    current: CurrentControl
    if config.control == CONTROL_NUMBER:
        current = NumberCurrent()
        if config.current_entity:
            entities[Role.CURRENT] = config.current_entity
    else:
        domain, _, service = (config.service or "").partition(".")
        current = ServiceCurrent(domain, service, config.service_field, None)
    for role, entity_id in zip(CONDUCTOR_ROLES, config.current_sensors, strict=False):
        entities[role] = entity_id
    for role, optional in (
        (Role.POWER, config.power_sensor),
        (Role.STATUS, config.status_entity),
        (Role.PAUSE, config.switch_entity),
    ):
        if optional:
            entities[role] = optional
    return ChargerPlan(
        entities=entities,
        current=current,
        pause=SwitchPause() if config.switch_entity else None,
        service_data=config.service_data,
        step_a=None if config.control == CONTROL_NUMBER else 1.0,
    )
