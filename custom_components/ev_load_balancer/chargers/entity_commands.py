"""Commands to a charger driven through HA entities: current, pause, phases.

The charger's limit goes to a number entity, a service of its integration or
its group; below what it accepts it is paused with its own pause (switch,
select, service) and resumed before a higher limit. A phase switch's steps
(phase_sequence.py) run here, one command at a time with the limits; while
a switch is under way a cut still goes out at once, a raise waits for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
import logging
import math
from typing import Any

from homeassistant.const import (
    SERVICE_SELECT_OPTION,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
)
from homeassistant.core import HomeAssistant

from ..balancer import ChargerLimit, ChargerState
from ..balancer.phase_switch import ONE_PHASE
from ..config_model import ChargerConfig
from ..const import COMMAND_TIMEOUT_S
from .base import ChargerBackend, ChargerCommandError
from .entity_readings import entity_usable, status_reading
from .group import GroupActuator
from .ha_calls import async_call, async_call_entity
from .phase_sequence import Pause, PhaseAction, PhaseSwitching, Resume, SetPhases, Step
from .plan import ChargerPlan
from .profiles.model import (
    NumberCurrent,
    Role,
    SelectPause,
    SelectPhases,
    ServiceCurrent,
    ServicePause,
    SwitchPause,
)

_LOGGER = logging.getLogger(__name__)
ATTR_STEP = "step"
ATTR_MIN = "min"
ATTR_MAX = "max"
NUMBER_SERVICE_VALUE = "value"


class EntityCommands(ChargerBackend):
    """The command side of an entity-driven charger (see entity_charger.py)."""

    def __init__(
        self,
        hass: HomeAssistant,
        config: ChargerConfig,
        plan: ChargerPlan | None,
        group: GroupActuator | None,
    ) -> None:
        super().__init__(config.charger_id)
        self._hass = hass
        self._config = config
        # None: a profile's charger whose entities are gone; never available.
        self._plan = plan
        self._group = group
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._latest_limit_a: float | None = None
        # What the charger was last told (None: unknown since start).
        self._applied_a: float | None = None
        # Paused through a pause service (its state is not an entity's).
        self._paused_by_us = False
        # Asked to pause while no EV was there to pause (Zaptec refuses then).
        self._pause_pending = False
        self._switching: PhaseSwitching | None = None

    @property
    def step_a(self) -> float:
        plan = self._plan
        if plan is not None and plan.step_a is not None:
            return plan.step_a
        step = self._number_attributes().get(ATTR_STEP)
        return float(step) if isinstance(step, int | float) and step > 0 else 1.0

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
                # Pausing for a phase switch: it resumes at a safe limit. A
                # cut still goes out at once (the pause may not have worked yet).
                if self._applied_a is None or current_a < self._applied_a:
                    await self._async_cut(plan, current_a)
                return
            await self._async_apply(plan, current_a)

    async def _async_apply(self, plan: ChargerPlan, current_a: float) -> None:
        if current_a <= 0 and plan.pause is not None:
            await self._async_set_group_share(0.0)
            await self._async_pause(plan)
            self._applied_a = 0.0
            return
        await self._async_set_current(plan, current_a)
        self._applied_a = current_a
        if current_a > 0 and plan.pause is not None:
            await self._async_resume(plan)

    async def _async_cut(self, plan: ChargerPlan, current_a: float) -> None:
        """A lower limit without resuming a paused charger."""
        if current_a <= 0 and plan.pause is not None:
            await self._async_set_group_share(0.0)
            await self._async_pause(plan)
        else:
            await self._async_set_current(plan, current_a)
        self._applied_a = current_a

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
                    async with asyncio.timeout(COMMAND_TIMEOUT_S):
                        await self._async_phase_action(plan, switching, action)
                except (ChargerCommandError, TimeoutError) as err:
                    _LOGGER.warning(
                        "Charger %s: phase switch step failed: %s",
                        self._config.name,
                        err or "no answer",
                    )
                    if isinstance(action, SetPhases):
                        switching.sequence.answered(None)

    async def _async_phase_action(
        self, plan: ChargerPlan, switching: PhaseSwitching, action: PhaseAction
    ) -> None:
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
