"""Run-time changes by users and automations, for entities and services alike."""

from __future__ import annotations

from homeassistant.exceptions import ServiceValidationError

from .balancer import ChargerState
from .const import DOMAIN
from .coordinator import BalancerCoordinator
from .loop import SiteRuntime


class SiteControls:
    """Changes run-time settings, saves them and asks for a new round."""

    def __init__(self, coordinator: BalancerCoordinator) -> None:
        self._coordinator = coordinator

    @property
    def _runtime(self) -> SiteRuntime:
        return self._coordinator.runtime

    def set_priority(self, charger_id: str, priority: int) -> None:
        self._runtime.charger(charger_id).priority = priority
        self._changed()

    def set_included(self, charger_id: str, included: bool) -> None:
        self._runtime.charger(charger_id).included = included
        self._changed()

    def boost(self, charger_id: str, now: float, duration_s: float | None) -> None:
        view = self._coordinator.data.chargers.get(charger_id)
        if view is None or view.state in (None, ChargerState.NO_EV):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="boost_needs_ev",
                translation_placeholders={"charger": self._name(charger_id)},
            )
        charger = self._runtime.charger(charger_id)
        charger.boost = True
        charger.boost_until = None if duration_s is None else now + duration_s
        self._changed()

    def set_departure(
        self, charger_id: str, departure: float, energy_kwh: float, now: float
    ) -> None:
        if departure <= now:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="departure_in_past"
            )
        charger = self._runtime.charger(charger_id)
        charger.departure = departure
        charger.energy_wanted_kwh = energy_kwh
        self._changed()

    def set_enabled(self, enabled: bool) -> None:
        self._runtime.enabled = enabled
        self._changed()

    def set_site_limit(self, current_a: float, until: float | None) -> None:
        self._runtime.site_limit_a = current_a
        self._runtime.site_limit_until = until
        self._changed()

    def clear_site_limit(self) -> None:
        self._runtime.site_limit_a = None
        self._runtime.site_limit_until = None
        self._changed()

    def _name(self, charger_id: str) -> str:
        handle = self._coordinator.handles.get(charger_id)
        return handle.config.name if handle else charger_id

    def _changed(self) -> None:
        self._coordinator.store.schedule_save()
        self._coordinator.request_round()
