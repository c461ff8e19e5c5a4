"""A charger driven through the entities of the integration the user already has.

What to call and what to read is the charger's plan (plan.py): from a profile
(profiles/) or from the entities picked by hand. This is the reading side
(status, currents, power, the repair issue for an unknown status word) and
the capabilities; the commands are in entity_commands.py. A charger that can
switch phases is switched by phase_sequence.py, through the loop's hook
(phase_control.py).
"""

from __future__ import annotations

from collections.abc import Callable
import logging

from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_state_change_event

from ..balancer.phase_switch import PhaseSwitchSettings
from ..config_model import ChargerConfig
from ..const import DOMAIN
from ..units import Quantity
from .base import ChargerGroup, ChargerStatus
from .entity_commands import EntityCommands
from .entity_readings import (
    conductor_currents,
    entity_usable,
    number,
    status_reading,
    terminal_bounds,
)
from .group import GroupActuator
from .phase_sequence import PhaseSwitching
from .plan import ChargerPlan
from .profiles.model import GroupCurrent, NumberCurrent, Role, ServiceCurrent
from .status_map import normalise

_LOGGER = logging.getLogger(__name__)
ISSUE_UNKNOWN_WORD = "unknown_status_word"
_WATCHED = (
    Role.STATUS,
    Role.PLUG,
    Role.POWER,
    Role.PHASE_CURRENTS,
    Role.CURRENT_L1,
    Role.CURRENT_L2,
    Role.CURRENT_L3,
)


class EntityChargerBackend(EntityCommands):
    """Applies limits through HA entities, services or a group; reads HA states."""

    def __init__(
        self,
        hass: HomeAssistant,
        config: ChargerConfig,
        voltage_v: float,
        plan: ChargerPlan | None,
        *,
        group: GroupActuator | None = None,
        integration_title: str | None = None,
    ) -> None:
        super().__init__(hass, config, plan, group)
        self._voltage_v = voltage_v
        self._integration = integration_title
        self._unsubscribe: Callable[[], None] | None = None
        self._unknown_words: set[str] = set()
        if (
            plan is not None
            and plan.phases is not None
            and config.phase_switching
            and len(config.wiring) == 3
        ):
            self._switching = PhaseSwitching(
                execute=self._execute_phase_actions,
                settings=PhaseSwitchSettings(dwell_s=config.phase_dwell_s),
            )
        if group is not None:
            group.join(config.charger_id, config.wiring)

    # Capabilities ---------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return self._plan is not None and self._plan.read_only

    @property
    def phase_switching(self) -> PhaseSwitching | None:
        return self._switching

    @property
    def group(self) -> ChargerGroup | None:
        return self._group.info if self._group is not None else None

    @property
    def watched_entities(self) -> list[str]:
        """Entities whose changes may change the charger's status.

        Not the entities we command: their changes are mostly the echo of our
        own commands, and a round for each would only add load.
        """
        plan = self._plan
        if plan is None:
            return []
        return [entity for role in _WATCHED if (entity := plan.entity(role))]

    @property
    def available(self) -> bool:
        plan = self._plan
        if plan is None or plan.read_only:
            return False
        current = plan.current
        if isinstance(current, NumberCurrent):
            return entity_usable(self._state(Role.CURRENT))
        if isinstance(current, GroupCurrent):
            return self._group is not None and self._group.available()
        assert isinstance(current, ServiceCurrent)
        return self._hass.services.has_service(current.domain, current.service)

    # Lifecycle --------------------------------------------------------------

    async def async_start(self) -> None:
        if self._group is not None:
            await self._group.async_start()
        self._unsubscribe = async_track_state_change_event(
            self._hass, self.watched_entities, self._on_state_change
        )
        self._check_status_word()

    async def async_stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        for task in list(self._tasks):
            task.cancel()
        if self._group is not None:
            await self._group.async_stop()
        for word in self._unknown_words:
            ir.async_delete_issue(self._hass, DOMAIN, self._issue_id(word))

    @callback
    def _on_state_change(self, event: Event[EventStateChangedData]) -> None:
        self._check_status_word()
        if self._pause_pending and self._ev_present():
            self._spawn(self._async_pause_pending())
        self._notify()

    # What the charger reports -------------------------------------------------

    @property
    def status(self) -> ChargerStatus:
        plan = self._plan
        if plan is None:
            return ChargerStatus(state=None)
        reading = status_reading(self._hass, plan)
        state = reading.state if reading is not None else None
        unknown = reading.unknown_word if reading is not None else None
        conductors = len(self._config.wiring)
        power = number(self._hass, plan.entity(Role.POWER), Quantity.POWER)
        measured = conductor_currents(self._hass, plan)
        if plan.read_only:
            # Nothing to comply with: its draw is building load; show power.
            if power is None and measured is not None:
                power = sum(measured) * self._voltage_v
            return ChargerStatus(
                state=state, power_w=power, phases_known=False, unknown_word=unknown
            )
        phases_known = measured is not None and len(measured) == conductors
        floor_l1 = (
            max(0.0, power) / (self._voltage_v * conductors)
            if power is not None
            else None
        )
        bounds = terminal_bounds(self._hass, plan) if measured is None else None
        if bounds is not None and conductors == 3:
            # Lower bounds per conductor; which phases the EV uses stays unknown.
            measured = (max(bounds[0], floor_l1 or 0.0), *bounds[1:])
        elif measured is None and floor_l1 is not None:
            measured = (floor_l1,)
        if power is None and measured is not None and phases_known:
            power = sum(measured) * self._voltage_v
        currents = None
        if measured is not None:
            # With fewer readings than conductors, credit only what certainly
            # flows on L1 (a 3-phase EV draws at least this on each, a 1-phase
            # EV all of it on L1); unknown conductors count as building load.
            currents = (measured + (0.0,) * conductors)[:conductors]
        return ChargerStatus(
            state=state,
            current_a=currents,
            power_w=power,
            updated_at=self._reading_time(plan),
            phases_known=phases_known or conductors == 1,
            unknown_word=unknown,
        )

    def _reading_time(self, plan: ChargerPlan) -> float | None:
        """When the oldest of the readings in use was last reported (wall clock)."""
        sources = (
            plan.conductor_sensors
            or [
                entity
                for role in (Role.PHASE_CURRENTS, Role.POWER)
                if (entity := plan.entity(role))
            ][:1]
        )
        stamps = [
            state.last_reported.timestamp()
            for entity_id in sources
            if (state := self._hass.states.get(entity_id)) is not None
        ]
        return min(stamps) if stamps else None

    def _check_status_word(self) -> None:
        """Raise a repair issue, once, for a status word nobody knows."""
        plan = self._plan
        reading = status_reading(self._hass, plan) if plan is not None else None
        word = reading.unknown_word if reading is not None else None
        if word is None or word in self._unknown_words:
            return
        self._unknown_words.add(word)
        _LOGGER.warning(
            "Charger %s reports the unknown status %r: taken as charging",
            self._config.name,
            word,
        )
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            self._issue_id(word),
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_UNKNOWN_WORD,
            translation_placeholders={
                "charger": self._config.name,
                "word": word,
                "integration": self._integration or "",
            },
        )

    def _issue_id(self, word: str) -> str:
        return f"{ISSUE_UNKNOWN_WORD}_{self.charger_id}_{normalise(word)}"
