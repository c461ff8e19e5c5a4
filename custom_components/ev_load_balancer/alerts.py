"""What the loop tells the outside: bus events for automations, repair issues."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .const import (
    DOMAIN,
    EVENT_CHARGER_PAUSED,
    EVENT_CHARGER_RESUMED,
    EVENT_DEPARTURE_PASSED,
    EVENT_FAILSAFE_ENDED,
    EVENT_FAILSAFE_STARTED,
    EVENT_OVERLOAD_ENDED,
    EVENT_OVERLOAD_STARTED,
)
from .loop import EventKind, LoopEvent, SiteIssues
from .ocpp_issues import OCPP_FAILURE_ISSUES

ISSUE_METER = "meter_unavailable"
ISSUE_UNRESPONSIVE = "charger_unresponsive"
ISSUE_IGNORES_LIMIT = "charger_ignores_limit"
ISSUE_ROUND_FAILING = "round_failing"
ISSUE_CIRCUIT_METER = "circuit_meter_unavailable"
ISSUE_CIRCUIT_GONE = "charger_circuit_gone"
_EVENT_TYPES = {
    EventKind.CHARGER_PAUSED: EVENT_CHARGER_PAUSED,
    EventKind.CHARGER_RESUMED: EVENT_CHARGER_RESUMED,
    EventKind.OVERLOAD_STARTED: EVENT_OVERLOAD_STARTED,
    EventKind.OVERLOAD_ENDED: EVENT_OVERLOAD_ENDED,
    EventKind.FAILSAFE_STARTED: EVENT_FAILSAFE_STARTED,
    EventKind.FAILSAFE_ENDED: EVENT_FAILSAFE_ENDED,
    EventKind.DEPARTURE_PASSED: EVENT_DEPARTURE_PASSED,
}


class SiteAlerts:
    """Fires the loop's events; raises and clears its repair issues."""

    def __init__(self, hass: HomeAssistant, entry_id: str, site_name: str) -> None:
        self._hass = hass
        self._entry_id = entry_id
        self._site_name = site_name
        self._raised: set[str] = set()
        self._circuit_gone = ""

    def fire(
        self,
        events: Iterable[LoopEvent],
        describe: Callable[[str], tuple[str, str | None]],
    ) -> None:
        """Fire the loop's events on the bus, with the site and charger named."""
        base = {"entry_id": self._entry_id, "site": self._site_name}
        for event in events:
            data: dict[str, Any] = dict(base)
            if event.charger_id is not None:
                name, device_id = describe(event.charger_id)
                data |= {
                    "charger_id": event.charger_id,
                    "charger": name,
                    "device_id": device_id,
                }
            data |= event.data
            self._hass.bus.async_fire(_EVENT_TYPES[event.kind], data)

    def apply(self, issues: SiteIssues, names: Mapping[str, str]) -> None:
        """Raise and clear repair issues as the loop's issue states say."""
        self.meter_issue(issues.meter is not None, issues.meter or "")
        self._issue(
            f"{ISSUE_ROUND_FAILING}_{self._entry_id}",
            ISSUE_ROUND_FAILING,
            issues.round_error is not None,
            {"site": self._site_name, "error": issues.round_error or ""},
        )
        for charger_id, charger in issues.chargers.items():
            self.charger_issues(
                charger_id,
                names.get(charger_id, charger_id),
                unresponsive=charger.unresponsive,
                ignores=charger.ignores_limit,
            )

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

    def circuit_issues(
        self, problems: Mapping[str, str], names: Mapping[str, str]
    ) -> None:
        """One issue per circuit whose meter has not been trusted for a while."""
        prefix = f"{ISSUE_CIRCUIT_METER}_"
        for issue_id in [i for i in self._raised if i.startswith(prefix)]:
            if issue_id.removeprefix(prefix) not in problems:
                self._issue(issue_id, ISSUE_CIRCUIT_METER, False, {})
        for circuit_id, problem in problems.items():
            self._issue(
                f"{prefix}{circuit_id}",
                ISSUE_CIRCUIT_METER,
                True,
                {
                    "site": self._site_name,
                    "circuit": names.get(circuit_id, circuit_id),
                    "problem": problem,
                },
            )

    def circuit_gone_issue(self, charger_names: list[str]) -> None:
        """One issue while chargers name a circuit that was removed: they are
        balanced on the main fuse alone, and its own fuse is no longer watched."""
        issue_id = f"{ISSUE_CIRCUIT_GONE}_{self._entry_id}"
        listed = ", ".join(sorted(charger_names))
        if listed != self._circuit_gone:
            # Another set of chargers: the issue is raised again with them.
            self._issue(issue_id, ISSUE_CIRCUIT_GONE, False, {})
            self._circuit_gone = listed
        self._issue(
            issue_id,
            ISSUE_CIRCUIT_GONE,
            bool(charger_names),
            {"site": self._site_name, "chargers": listed},
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
