"""Repair issues of the OCPP part: chargers waiting for adoption, a server that
cannot start, chargers without a password, a second connection for a
connected charger, and a meaningful text for each reason a limit was refused."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN
from .ocpp_const import (
    ISSUE_OCPP_COLLISION,
    ISSUE_OCPP_NO_PASSWORD,
    ISSUE_OCPP_PENDING,
    ISSUE_OCPP_SERVER,
)
from .ocpp_cs import LimitFailure, PendingCharger

# ChargerCommandError reasons of OCPP chargers -> their own issue text (the
# coordinator's "does not accept limits" issue). A timeout reads the same for
# every kind of charger: the generic text fits it.
OCPP_FAILURE_ISSUES: dict[str, str] = {
    LimitFailure.NOT_CONNECTED: "ocpp_not_connected",
    LimitFailure.CALL_ERROR: "ocpp_call_error",
    LimitFailure.INVALID_RESPONSE: "ocpp_invalid_response",
    LimitFailure.PROFILE_REJECTED: "ocpp_profile_rejected",
    LimitFailure.PAUSE_REJECTED: "ocpp_pause_rejected",
    LimitFailure.RESUME_REJECTED: "ocpp_resume_rejected",
}


def _details(pending: PendingCharger) -> str:
    version = pending.ocpp_version.value.replace("ocpp", "OCPP ")
    names = " ".join(name for name in (pending.vendor, pending.model) if name)
    return f"{names}, {version}" if names else version


class OcppIssues:
    """One issue per charger waiting for adoption, one for a failed server."""

    def __init__(self, hass: HomeAssistant, entry_id: str, site_name: str) -> None:
        self._hass = hass
        self._entry_id = entry_id
        self._site_name = site_name
        # Issue id -> placeholders it was raised with (raised again on change).
        self._pending: dict[str, dict[str, str]] = {}
        self._server_raised = False
        self._collisions: set[str] = set()
        self._no_password_raised = False

    def sync_pending(self, chargers: tuple[PendingCharger, ...]) -> None:
        """Make the issues match the chargers waiting now."""
        wanted = {
            f"{ISSUE_OCPP_PENDING}_{self._entry_id}_{charger.charger_id}": {
                "site": self._site_name,
                "charger_id": charger.charger_id,
                "details": _details(charger),
            }
            for charger in chargers
        }
        for issue_id in set(self._pending) - set(wanted):
            ir.async_delete_issue(self._hass, DOMAIN, issue_id)
            del self._pending[issue_id]
        for issue_id, placeholders in wanted.items():
            if self._pending.get(issue_id) == placeholders:
                continue
            self._create(issue_id, ISSUE_OCPP_PENDING, placeholders)
            self._pending[issue_id] = placeholders

    def server_failed(self, error: str | None) -> None:
        """Raise (error given) or clear the issue of a server that cannot run."""
        issue_id = f"{ISSUE_OCPP_SERVER}_{self._entry_id}"
        if error is not None:
            self._create(
                issue_id,
                ISSUE_OCPP_SERVER,
                {"site": self._site_name, "error": error},
                ir.IssueSeverity.ERROR,
            )
            self._server_raised = True
        elif self._server_raised:
            ir.async_delete_issue(self._hass, DOMAIN, issue_id)
            self._server_raised = False

    def collision(self, charger_id: str, name: str, address: str) -> None:
        """A second connection as a connected charger was refused."""
        issue_id = f"{ISSUE_OCPP_COLLISION}_{self._entry_id}_{charger_id}"
        self._create(
            issue_id,
            ISSUE_OCPP_COLLISION,
            {
                "site": self._site_name,
                "charger": name,
                "charger_id": charger_id,
                "address": address or "?",
            },
        )
        self._collisions.add(issue_id)

    def without_password(self, names: list[str]) -> None:
        """Recommend a password for these chargers (none: clear the issue)."""
        issue_id = f"{ISSUE_OCPP_NO_PASSWORD}_{self._entry_id}"
        if not names:
            if self._no_password_raised:
                ir.async_delete_issue(self._hass, DOMAIN, issue_id)
                self._no_password_raised = False
            return
        self._create(
            issue_id,
            ISSUE_OCPP_NO_PASSWORD,
            {"site": self._site_name, "chargers": _listing(names)},
        )
        self._no_password_raised = True

    def _create(
        self,
        issue_id: str,
        translation_key: str,
        placeholders: dict[str, str],
        severity: ir.IssueSeverity = ir.IssueSeverity.WARNING,
    ) -> None:
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=severity,
            translation_key=translation_key,
            translation_placeholders=placeholders,
        )

    def clear_all(self) -> None:
        self.sync_pending(())
        self.server_failed(None)
        self.without_password([])
        for issue_id in self._collisions:
            ir.async_delete_issue(self._hass, DOMAIN, issue_id)
        self._collisions.clear()


_LISTED = 10  # names in an issue; the rest are counted


def _listing(names: list[str]) -> str:
    shown = ", ".join(sorted(names)[:_LISTED])
    more = len(names) - _LISTED
    return f"{shown} (+{more})" if more > 0 else shown
