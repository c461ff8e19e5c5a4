"""One per-phase limit for several chargers: a Zaptec installation, an Easee circuit.

The balancer allocates every member on its own, as any charger. The group's
limit on each site phase is the sum of what its members were allocated on
that phase (the phases the balancer assumed each member's EV loads), in
whole amperes, never above the group's own ceiling. One command carries it
for all members: a decrease goes out at once, an increase at most once per
the brand's change interval (Zaptec: 15 minutes); a held increase goes out
by itself when the interval is over.

A member that draws more than its own share (the brand spreads the group's
limit its own way) gets no credit beyond its limit: the excess counts as
building load, so the fuse stays safe.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
import logging
import math
import time
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.event import async_call_later

from ..const import DOMAIN
from ..units import Quantity
from .base import ChargerCommandError, ChargerGroup
from .entity_readings import number
from .ha_calls import async_call
from .profiles.model import GroupLimit

_LOGGER = logging.getLogger(__name__)
MANUFACTURER = "EV Load Balancer"


@dataclass(slots=True)
class _Share:
    current_a: float
    phases: tuple[int, ...]  # site phases the member's limit loads


class GroupActuator:
    """Sends one per-phase limit for all members of a group."""

    def __init__(
        self,
        hass: HomeAssistant,
        *,
        entry_id: str,
        key: str,
        name: str,
        title: str,
        spec: GroupLimit,
        target: str,
        site_phases: int,
        change_interval_s: float,
        ceiling_entity: str | None = None,
    ) -> None:
        self._hass = hass
        self._entry_id = entry_id
        self._key = key
        self._name = name
        self._title = title
        self._spec = spec
        self._target = target
        self._site_phases = site_phases
        self._interval_s = change_interval_s
        self._ceiling_entity = ceiling_entity
        self._shares: dict[str, _Share] = {}
        self._sent: tuple[int, ...] | None = None
        self._increased_at = -math.inf
        self._lock = asyncio.Lock()
        self._cancel_timer: Callable[[], None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._running = 0

    @property
    def info(self) -> ChargerGroup:
        return ChargerGroup(
            key=self._key,
            name=self._name,
            kind=self._spec.kind,
            device_identifier=(DOMAIN, f"{self._entry_id}_group_{self._key}"),
            member_ids=tuple(self._shares),
        )

    @property
    def sent_a(self) -> tuple[int, ...] | None:
        """The last per-phase limit the group accepted."""
        return self._sent

    def join(self, member_id: str, wiring: tuple[int, ...]) -> None:
        """A member, with the phases its limit loads until the balancer says."""
        self._shares[member_id] = _Share(0.0, wiring)

    def available(self) -> bool:
        return self._hass.services.has_service(self._spec.domain, self._spec.service)

    async def async_start(self) -> None:
        """Register the group's device (members show under it); once per group."""
        self._running += 1
        if self._running > 1:
            return
        dr.async_get(self._hass).async_get_or_create(
            config_entry_id=self._entry_id,
            identifiers={self.info.device_identifier},
            name=self._name,
            manufacturer=MANUFACTURER,
            model=f"{self._title} {self._spec.kind}",
        )

    async def async_stop(self) -> None:
        self._running = max(0, self._running - 1)
        if self._running:
            return
        if self._cancel_timer is not None:
            self._cancel_timer()
            self._cancel_timer = None
        for task in list(self._tasks):
            task.cancel()

    def set_phases(self, member_id: str, phases: tuple[int, ...]) -> None:
        """The phases the balancer now assumes for a member; resent if they moved."""
        share = self._shares[member_id]
        if not phases or phases == share.phases:
            return
        share.phases = phases
        if share.current_a > 0:
            self._spawn_flush()

    async def async_set_share(self, member_id: str, current_a: float) -> None:
        """A member's new limit; returns once the group's limit carries it."""
        self._shares[member_id].current_a = current_a
        await self._async_flush()

    def wanted_a(self) -> tuple[int, ...]:
        """Per site phase: the members' shares, in whole amperes, under the ceiling."""
        total = [0.0] * self._site_phases
        for share in self._shares.values():
            for phase in share.phases:
                total[phase] += share.current_a
        ceiling = number(self._hass, self._ceiling_entity, Quantity.CURRENT)
        return tuple(
            math.floor(min(value, ceiling if ceiling is not None else value) + 1e-9)
            for value in total
        )

    def _next_limit(self, now: float) -> tuple[int, ...]:
        wanted = self.wanted_a()
        sent = self._sent
        if sent is None or now - self._increased_at >= self._interval_s:
            return wanted
        return tuple(min(w, s) for w, s in zip(wanted, sent, strict=True))

    async def _async_flush(self) -> None:
        async with self._lock:
            # The other members of this round add their shares first.
            await asyncio.sleep(0)
            now = time.monotonic()
            limit = self._next_limit(now)
            if limit != self._sent:
                await self._async_send(limit)
                if self._sent is None or any(
                    new > old for new, old in zip(limit, self._sent, strict=True)
                ):
                    self._increased_at = now
                self._sent = limit
            self._schedule_held(now)

    async def _async_send(self, limit: tuple[int, ...]) -> None:
        spec = self._spec
        target: Any = [self._target] if spec.target_as_list else self._target
        if spec.target_field == "circuit_id" and self._target.isdigit():
            target = int(self._target)
        data: dict[str, Any] = {spec.target_field: target}
        for index, field_name in enumerate(spec.phase_fields):
            data[field_name] = limit[index] if index < len(limit) else 0
        await async_call(self._hass, spec.domain, spec.service, data)

    def _schedule_held(self, now: float) -> None:
        """A held increase goes out by itself once the interval is over."""
        if self._cancel_timer is not None:
            self._cancel_timer()
            self._cancel_timer = None
        if self._sent is None or self.wanted_a() == self._sent:
            return
        delay = max(0.0, self._increased_at + self._interval_s - now)
        self._cancel_timer = async_call_later(self._hass, delay, self._on_timer)

    @callback
    def _on_timer(self, _now: Any) -> None:
        self._cancel_timer = None
        self._spawn_flush()

    def _spawn_flush(self) -> None:
        task = self._hass.async_create_task(self._async_flush_logged())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _async_flush_logged(self) -> None:
        try:
            await self._async_flush()
        except ChargerCommandError as err:
            # The members' own commands retry; their links report a failure.
            _LOGGER.warning("Group %s did not accept its limit: %s", self._name, err)
