"""OCPP chargers that take no limit: stopped or switched off while the fuse
needs it, switched on again when it allows, and a repair issue that names
the charger and what was tried.

"The fuse needs it": after a round, a phase the charger is wired to has no
current left (the building, with this charger's uncontrolled draw in it, is
over the fuse minus the margin) while it draws. "It allows": every such phase
has room for its maximum current again, so switching it on cannot overload.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
import logging
import time
from typing import TYPE_CHECKING, Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .balancer import Allocation
from .chargers.base import ChargerCommandError
from .config_model import ChargerConfig
from .const import DOMAIN
from .coordinator import BalancerCoordinator
from .ocpp_const import CONF_ALLOW_STOP, DEFAULT_ALLOW_STOP, ISSUE_OCPP_CANNOT_LIMIT
from .ocpp_cs import OcppChargerBackend
from .ocpp_runtime import OcppRuntime

if TYPE_CHECKING:
    from .models import EvLoadBalancerConfigEntry

_LOGGER = logging.getLogger(__name__)
DRAWING_A = 1.0
# A stop or switch-off takes a charger a few seconds; not asked again sooner.
REPEAT_AFTER_S = 30.0

type Spawn = Callable[[Coroutine[Any, Any, None]], object]


class LimitEscalation:
    """Watches each round for OCPP chargers that refuse every limit."""

    def __init__(
        self, hass: HomeAssistant, entry_id: str, site_name: str, spawn: Spawn
    ) -> None:
        self._hass = hass
        self._entry_id = entry_id
        self._site_name = site_name
        self._spawn = spawn
        self._busy: set[str] = set()
        self._raised: dict[str, dict[str, str]] = {}
        self._escalated_at: dict[str, float] = {}

    @callback
    def after_round(
        self,
        allocation: Allocation | None,
        chargers: list[tuple[ChargerConfig, OcppChargerBackend]],
        options: dict[str, Any],
    ) -> None:
        allow_stop = bool(options.get(CONF_ALLOW_STOP, DEFAULT_ALLOW_STOP))
        present = set()
        for config, backend in chargers:
            charger_id = config.charger_id
            present.add(charger_id)
            self._sync_issue(config, backend)
            if allocation is None or charger_id in self._busy:
                continue
            room = min(allocation.available_a[phase] for phase in config.wiring)
            now = time.monotonic()
            recently = now - self._escalated_at.get(charger_id, -REPEAT_AFTER_S)
            if (
                backend.refused_forms
                and room < 0
                and _draws(backend)
                and recently >= REPEAT_AFTER_S
            ):
                self._escalated_at[charger_id] = now
                self._run(charger_id, self._escalate(config, backend, allow_stop))
                # Its first CALL went out (eager start): name it at once.
                self._sync_issue(config, backend)
            elif backend.made_unavailable and room >= config.max_a:
                self._run(charger_id, self._restore(backend))
        for charger_id in [c for c in self._raised if c not in present]:
            self._clear(charger_id)

    def clear_all(self) -> None:
        for charger_id in list(self._raised):
            self._clear(charger_id)

    def _run(self, charger_id: str, work: Coroutine[Any, Any, None]) -> None:
        self._busy.add(charger_id)

        async def guarded() -> None:
            try:
                await work
            except ChargerCommandError as err:
                _LOGGER.debug("%s: escalation failed: %s", charger_id, err)
            finally:
                self._busy.discard(charger_id)

        self._spawn(guarded())

    async def _escalate(
        self, config: ChargerConfig, backend: OcppChargerBackend, allow_stop: bool
    ) -> None:
        # The backend names each step as it goes out (every round's sync
        # shows it meanwhile); the issue is refreshed once it is answered or
        # has failed, not only when all went well.
        try:
            await backend.async_escalate(allow_stop=allow_stop)
        finally:
            self._sync_issue(config, backend)

    async def _restore(self, backend: OcppChargerBackend) -> None:
        await backend.async_restore_availability()

    def _sync_issue(self, config: ChargerConfig, backend: OcppChargerBackend) -> None:
        charger_id = config.charger_id
        refused = backend.refused_forms
        if not refused and not backend.made_unavailable:
            backend.forget_escalation()
            self._clear(charger_id)
            return
        tried = ", ".join((*refused, *backend.escalation_steps))
        placeholders = {
            "site": self._site_name,
            "charger": config.name,
            "charge_point_id": backend.charger_id,
            "tried": tried or "-",
        }
        if self._raised.get(charger_id) == placeholders:
            return
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            f"{ISSUE_OCPP_CANNOT_LIMIT}_{self._entry_id}_{charger_id}",
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=ISSUE_OCPP_CANNOT_LIMIT,
            translation_placeholders=placeholders,
        )
        self._raised[charger_id] = placeholders

    def _clear(self, charger_id: str) -> None:
        if self._raised.pop(charger_id, None) is not None:
            ir.async_delete_issue(
                self._hass,
                DOMAIN,
                f"{ISSUE_OCPP_CANNOT_LIMIT}_{self._entry_id}_{charger_id}",
            )


def _draws(backend: OcppChargerBackend) -> bool:
    current = backend.status.current_a
    return bool(current) and max(current or (0.0,)) >= DRAWING_A


def watch_escalation(
    hass: HomeAssistant,
    entry: EvLoadBalancerConfigEntry,
    coordinator: BalancerCoordinator,
    ocpp: OcppRuntime,
) -> Callable[[], None]:
    """Look at every round's outcome; returns what stops the watch."""
    escalation = LimitEscalation(
        hass,
        entry.entry_id,
        coordinator.site_config.name,
        lambda work: entry.async_create_background_task(
            hass, work, f"{DOMAIN} limit escalation"
        ),
    )

    @callback
    def after_round() -> None:
        handles = coordinator.handles
        escalation.after_round(
            coordinator.loop.last_allocation,
            [
                (handles[subentry_id].config, charger.ocpp)
                for subentry_id, charger in ocpp.chargers.items()
                if subentry_id in handles
            ],
            dict(entry.options),
        )

    stop_listening = coordinator.async_add_listener(after_round)

    def stop() -> None:
        stop_listening()
        escalation.clear_all()

    return stop
