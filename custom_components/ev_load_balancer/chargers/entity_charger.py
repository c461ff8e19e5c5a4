"""A charger driven through the entities of the integration the user already has.

What to call and what to read is the charger's plan (plan.py): from a profile
(profiles/) or from the entities picked by hand. The limit goes to a number
entity, a service, or the charger's group (group.py); chargers that do not
accept 0 A are paused with their own pause (switch, select or service) and
resumed before a new limit. A charger that can switch phases is switched by
phase_sequence.py, through the loop's hook (phase_control.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
import logging
import math
from typing import Any

from homeassistant.const import (
    SERVICE_SELECT_OPTION,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
)
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_state_change_event

from ..balancer import ChargerLimit, ChargerState
from ..balancer.phase_switch import ONE_PHASE, PhaseSwitchSettings
from ..config_model import ChargerConfig
from ..const import DOMAIN
from ..units import Quantity
from .base import (
    ChargerBackend,
    ChargerCommandError,
    ChargerGroup,
    ChargerStatus,
)
from .entity_readings import (
    conductor_currents,
    entity_usable,
    number,
    status_reading,
    terminal_bounds,
)
from .group import GroupActuator
from .ha_calls import async_call, async_call_entity
from .phase_sequence import Pause, PhaseAction, PhaseSwitching, Resume, SetPhases, Step
from .plan import ChargerPlan
from .profiles.model import (
    GroupCurrent,
    NumberCurrent,
    Role,
    SelectPause,
    SelectPhases,
    ServiceCurrent,
    ServicePause,
    SwitchPause,
)
from .status_map import normalise

_LOGGER = logging.getLogger(__name__)
ATTR_STEP = "step"
ATTR_MIN = "min"
ATTR_MAX = "max"
NUMBER_SERVICE_VALUE = "value"
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


class EntityChargerBackend(ChargerBackend):
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
        super().__init__(config.charger_id)
        self._hass = hass
        self._config = config
        self._voltage_v = voltage_v
        # None: a profile's charger whose entities are gone; never available.
        self._plan = plan
        self._group = group
        self._integration = integration_title
        self._unsubscribe: Callable[[], None] | None = None
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._latest_limit_a: float | None = None
        # Paused through a pause service (its state is not an entity's).
        self._paused_by_us = False
        # Asked to pause while no EV was there to pause (Zaptec refuses then).
        self._pause_pending = False
        self._unknown_words: set[str] = set()
        self._switching: PhaseSwitching | None = None
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

    @property
    def step_a(self) -> float:
        plan = self._plan
        if plan is not None and plan.step_a is not None:
            return plan.step_a
        step = self._number_attributes().get(ATTR_STEP)
        return float(step) if isinstance(step, int | float) and step > 0 else 1.0

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
            phases_known=phases_known or conductors == 1,
            unknown_word=unknown,
        )

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

    def _ev_present(self) -> bool:
        plan = self._plan
        reading = status_reading(self._hass, plan) if plan is not None else None
        return reading is not None and reading.state is not ChargerState.NO_EV

    # Commands ---------------------------------------------------------------

    def observe_allocation(self, limit: ChargerLimit | None) -> None:
        if self._group is not None and limit is not None:
            self._group.set_phases(self.charger_id, limit.load_phases)

    async def async_apply_limit(self, current_a: float) -> None:
        plan = self._plan
        if plan is None:
            raise ChargerCommandError(
                "entities_missing", f"{self._config.name}: its entities are gone"
            )
        if plan.read_only:
            return  # it cannot be told; its draw counts as building load
        async with self._lock:
            self._latest_limit_a = current_a
            switching = self._switching
            if switching is not None and switching.sequence.step is not Step.IDLE:
                return  # paused for a phase switch: it resumes at a safe limit
            await self._async_apply(plan, current_a)

    async def _async_apply(self, plan: ChargerPlan, current_a: float) -> None:
        if current_a <= 0 and plan.pause is not None:
            await self._async_set_group_share(0.0)
            await self._async_pause(plan)
            return
        await self._async_set_current(plan, current_a)
        if current_a > 0 and plan.pause is not None:
            await self._async_resume(plan)

    async def _async_set_current(self, plan: ChargerPlan, current_a: float) -> None:
        current = plan.current
        if isinstance(current, NumberCurrent):
            await self._async_set_number(current_a)
        elif isinstance(current, ServiceCurrent):
            value = math.floor(current_a + 1e-9)
            if 0 < value < current.minimum_a:
                value = 0
            data: dict[str, Any] = {**plan.service_data, current.field: value}
            if current.device_field and plan.device_id:
                data[current.device_field] = plan.device_id
            await async_call(self._hass, current.domain, current.service, data)
        await self._async_set_group_share(current_a)

    async def _async_set_group_share(self, current_a: float) -> None:
        if self._group is not None:
            await self._group.async_set_share(self.charger_id, current_a)

    async def _async_set_number(self, current_a: float) -> None:
        entity_id = self._plan.entity(Role.CURRENT) if self._plan else None
        if entity_id is None:
            raise ChargerCommandError("entities_missing", "no current entity")
        attributes = self._number_attributes()
        low = _as_float(attributes.get(ATTR_MIN), 0.0)
        high = _as_float(attributes.get(ATTR_MAX), math.inf)
        step = self.step_a
        # Never round up: the balancer's limit is a ceiling.
        value = math.floor(min(current_a, high) / step + 1e-9) * step
        if value < low:
            raise ChargerCommandError(
                "below_entity_minimum",
                f"{entity_id} accepts {low:g} A at least; add an on/off switch "
                "to pause this charger",
            )
        await async_call_entity(
            self._hass, entity_id, "set_value", **{NUMBER_SERVICE_VALUE: value}
        )

    async def _async_pause(self, plan: ChargerPlan) -> None:
        pause = plan.pause
        entity_id = plan.entity(Role.PAUSE)
        if isinstance(pause, ServicePause):
            if pause.needs_ev and not self._ev_present():
                self._pause_pending = True  # done once an EV is plugged in
                return
            await self._async_pause_service(pause, pause.pause)
            self._paused_by_us = True
            self._pause_pending = False
            return
        if entity_id is None or not entity_usable(self._hass.states.get(entity_id)):
            return  # nothing can charge while its pause is unavailable (Wallbox)
        if isinstance(pause, SwitchPause):
            await async_call_entity(self._hass, entity_id, SERVICE_TURN_OFF)
        elif isinstance(pause, SelectPause):
            await async_call_entity(
                self._hass, entity_id, SERVICE_SELECT_OPTION, option=pause.pause
            )

    async def _async_resume(self, plan: ChargerPlan) -> None:
        pause = plan.pause
        self._pause_pending = False
        if isinstance(pause, ServicePause):
            if self._paused_by_us and self._ev_present():
                await self._async_pause_service(pause, pause.resume)
            self._paused_by_us = False
            return
        entity_id = plan.entity(Role.PAUSE)
        state = self._hass.states.get(entity_id) if entity_id else None
        if entity_id is None or state is None:
            return
        if isinstance(pause, SwitchPause) and state.state == STATE_OFF:
            await async_call_entity(self._hass, entity_id, SERVICE_TURN_ON)
        elif isinstance(pause, SelectPause) and state.state == pause.pause:
            await async_call_entity(
                self._hass, entity_id, SERVICE_SELECT_OPTION, option=pause.resume
            )

    async def _async_pause_service(self, pause: ServicePause, service: str) -> None:
        device_id = self._plan.device_id if self._plan else None
        data = {pause.device_field: device_id} if device_id else {}
        await async_call(self._hass, pause.domain, service, data)

    async def _async_pause_pending(self) -> None:
        async with self._lock:
            if self._pause_pending and self._plan is not None:
                await self._async_pause(self._plan)

    # Phase switching ----------------------------------------------------------

    def _execute_phase_actions(self, actions: list[PhaseAction]) -> None:
        self._spawn(self._async_phase_actions(actions))

    async def _async_phase_actions(self, actions: list[PhaseAction]) -> None:
        plan = self._plan
        switching = self._switching
        if plan is None or switching is None:
            return
        async with self._lock:
            for action in actions:
                try:
                    if isinstance(action, Pause):
                        await self._async_pause_for_switch(plan)
                    elif isinstance(action, SetPhases):
                        await self._async_set_phases(plan, action.phases)
                        switching.sequence.answered(action.phases)
                    elif isinstance(action, Resume):
                        limit = action.limit_a
                        if self._latest_limit_a is not None:
                            limit = min(limit, self._latest_limit_a)
                        await self._async_apply(plan, limit)
                except ChargerCommandError as err:
                    _LOGGER.warning(
                        "Charger %s: phase switch step failed: %s",
                        self._config.name,
                        err,
                    )
                    if isinstance(action, SetPhases):
                        switching.sequence.answered(None)

    async def _async_pause_for_switch(self, plan: ChargerPlan) -> None:
        if plan.pause is not None:
            await self._async_pause(plan)
        else:
            await self._async_set_current(plan, 0.0)

    async def _async_set_phases(self, plan: ChargerPlan, phases: int) -> None:
        entity_id = plan.entity(Role.PHASES)
        if entity_id is None:
            raise ChargerCommandError("entities_missing", "no phase switch entity")
        control = plan.phases
        if isinstance(control, SelectPhases):
            option = control.one if phases == ONE_PHASE else control.three
            await async_call_entity(
                self._hass, entity_id, SERVICE_SELECT_OPTION, option=option
            )
        else:
            await async_call_entity(
                self._hass,
                entity_id,
                SERVICE_TURN_ON if phases == ONE_PHASE else SERVICE_TURN_OFF,
            )

    # Helpers ----------------------------------------------------------------

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = self._hass.async_create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _state(self, role: Role) -> Any:
        entity_id = self._plan.entity(role) if self._plan else None
        return self._hass.states.get(entity_id) if entity_id else None

    def _number_attributes(self) -> dict[str, Any]:
        state = self._state(Role.CURRENT)
        return dict(state.attributes) if state is not None else {}


def _as_float(value: object, default: float) -> float:
    return float(value) if isinstance(value, int | float) else default
