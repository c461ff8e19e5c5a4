"""What the loop tells the outside: bus events for automations, repair issues."""

from __future__ import annotations

from collections.abc import Callable

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .balancer import ChargerState
from .const import (
    DOMAIN,
    EVENT_CHARGER_PAUSED,
    EVENT_CHARGER_RESUMED,
    EVENT_FAILSAFE_ENDED,
    EVENT_FAILSAFE_STARTED,
    EVENT_OVERLOAD_ENDED,
    EVENT_OVERLOAD_STARTED,
)
from .ocpp_issues import OCPP_FAILURE_ISSUES
from .snapshot import ChargerView, SiteSnapshot

ISSUE_METER = "meter_unavailable"
ISSUE_UNRESPONSIVE = "charger_unresponsive"
ISSUE_IGNORES_LIMIT = "charger_ignores_limit"


class SiteAlerts:
    """Fires events on changes between rounds; raises and clears repair issues."""

    def __init__(self, hass: HomeAssistant, entry_id: str, site_name: str) -> None:
        self._hass = hass
        self._entry_id = entry_id
        self._site_name = site_name
        self._raised: set[str] = set()

    def compare(
        self,
        before: SiteSnapshot | None,
        after: SiteSnapshot,
        describe: Callable[[str], tuple[str, str | None]],
    ) -> None:
        """Fire an event for every change automations may care about."""
        base = {"entry_id": self._entry_id, "site": self._site_name}
        if before is None:
            return
        if after.overload != before.overload:
            event = EVENT_OVERLOAD_STARTED if after.overload else EVENT_OVERLOAD_ENDED
            self._hass.bus.async_fire(event, base)
        if after.failsafe != before.failsafe:
            event = EVENT_FAILSAFE_STARTED if after.failsafe else EVENT_FAILSAFE_ENDED
            self._hass.bus.async_fire(event, base)
        for charger_id, view in after.chargers.items():
            previous = before.chargers.get(charger_id)
            if previous is None or _paused(previous) == _paused(view):
                continue
            if view.limit_a is None or previous.limit_a is None:
                continue
            name, device_id = describe(charger_id)
            data = {
                **base,
                "charger_id": charger_id,
                "charger": name,
                "device_id": device_id,
                "reason": view.reason.value if view.reason else None,
                "current": view.limit_a,
            }
            event = EVENT_CHARGER_PAUSED if _paused(view) else EVENT_CHARGER_RESUMED
            self._hass.bus.async_fire(event, data)

    def meter_issue(self, active: bool, problem: str) -> None:
        self._issue(
            f"{ISSUE_METER}_{self._entry_id}",
            ISSUE_METER,
            active,
            {"site": self._site_name, "problem": problem},
        )

    def charger_issues(
        self, charger_id: str, name: str, *, unresponsive: str | None, ignores: bool
    ) -> None:
        placeholders = {"site": self._site_name, "charger": name}
        self._issue(
            f"{ISSUE_UNRESPONSIVE}_{charger_id}",
            # OCPP reasons (a rejected profile, ...) have a text of their own.
            OCPP_FAILURE_ISSUES.get(unresponsive or "", ISSUE_UNRESPONSIVE),
            unresponsive is not None,
            {**placeholders, "error": unresponsive or ""},
        )
        self._issue(
            f"{ISSUE_IGNORES_LIMIT}_{charger_id}",
            ISSUE_IGNORES_LIMIT,
            ignores,
            placeholders,
        )

    def clear_all(self) -> None:
        for issue_id in list(self._raised):
            ir.async_delete_issue(self._hass, DOMAIN, issue_id)
        self._raised.clear()

    def _issue(
        self, issue_id: str, key: str, active: bool, placeholders: dict[str, str]
    ) -> None:
        if active and issue_id not in self._raised:
            ir.async_create_issue(
                self._hass,
                DOMAIN,
                issue_id,
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key=key,
                translation_placeholders=placeholders,
            )
            self._raised.add(issue_id)
        elif not active and issue_id in self._raised:
            ir.async_delete_issue(self._hass, DOMAIN, issue_id)
            self._raised.discard(issue_id)


def _paused(view: ChargerView) -> bool:
    """Held at 0 A although its EV wants energy."""
    return view.limit_a == 0 and view.state in (
        ChargerState.CONNECTED,
        ChargerState.CHARGING,
    )
