"""The wiring detector in Home Assistant: fed every round, shown, repaired.

The coordinator hands it the same meter reading and charger reports it gives
the loop (on the loop clock). When a charger's steps show a conductor on
another site phase than configured, a fixable repair issue says so; its fix
flow (repairs.py) writes the detected connection into the charger's
subentry. The issue goes when the configuration agrees again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .config_model import ChargerConfig, connection_wiring
from .const import CONNECTIONS, DOMAIN
from .loop import ChargerReport, MeterInput
from .wiring import WiringEstimate, WiringWatch

ISSUE_WIRING = "wiring_mismatch"


def issue_id(charger_id: str) -> str:
    return f"{ISSUE_WIRING}_{charger_id}"


def connection_of(wiring: tuple[int, ...]) -> str | None:
    """The connection key of a wiring (None: not one the configuration offers)."""
    return next((c for c in CONNECTIONS if connection_wiring(c) == wiring), None)


class WiringHost:
    """One site's wiring detector, its repair issues and what entities show."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry_id: str,
        *,
        site_name: str,
        site_phases: int,
        voltage_v: float,
        chargers: Iterable[ChargerConfig],
    ) -> None:
        self._hass = hass
        self._entry_id = entry_id
        self._site_name = site_name
        self._names: dict[str, str] = {}
        self._allowed: tuple[tuple[int, ...], ...] = tuple(
            wiring
            for wiring in (connection_wiring(c) for c in CONNECTIONS)
            if max(wiring) < site_phases
        )
        self._raised: dict[str, str] = {}  # charger -> connection in its issue
        # Estimates kept until the detector moves: it changes only in observe
        # (for the chargers it says) and configure, and the entities ask for
        # every charger at every round.
        self._estimates: dict[str, WiringEstimate | None] = {}
        self._detected: dict[str, str | None] = {}
        self.watch = WiringWatch(site_phases, voltage_v, {})
        self.configure(chargers)

    def configure(self, chargers: Iterable[ChargerConfig]) -> None:
        """New chargers or wirings: evidence is kept where the wiring stayed."""
        chargers = list(chargers)
        self._estimates.clear()
        self._detected.clear()
        self._names = {c.charger_id: c.name for c in chargers}
        self.watch.configure({c.charger_id: c.wiring for c in chargers})
        for charger_id in list(self._raised):
            estimate = self.estimate(charger_id)
            if estimate is None or not estimate.mismatch:
                self._clear(charger_id)

    def observe(
        self, now: float, meter: MeterInput, reports: Mapping[str, ChargerReport]
    ) -> None:
        """One round's inputs; raises an issue for a charger found miswired."""
        reading = meter.reading if meter.problem is None else None
        stepped = self.watch.observe(now, reading, reports)
        for charger_id in self.watch.moved:
            self._estimates.pop(charger_id, None)
            self._detected.pop(charger_id, None)
        for charger_id in stepped:
            estimate = self.estimate(charger_id)
            if estimate is None:
                continue
            if estimate.mismatch:
                self._raise(charger_id)
            else:
                self._clear(charger_id)

    def estimate(self, charger_id: str) -> WiringEstimate | None:
        estimates = self._estimates
        if charger_id not in estimates:
            estimates[charger_id] = self.watch.detector.estimate(charger_id)
        return estimates[charger_id]

    def detected_connection(self, charger_id: str) -> str | None:
        """The connection the steps point to, once sure of the charger's L1."""
        if charger_id not in self._detected:
            self._detected[charger_id] = self._detect(charger_id)
        return self._detected[charger_id]

    def _detect(self, charger_id: str) -> str | None:
        estimate = self.estimate(charger_id)
        detector = self.watch.detector
        if (
            estimate is None
            or estimate.steps < detector.settings.min_steps
            or estimate.confidence[0] < detector.settings.confident
        ):
            return None
        allowed = tuple(w for w in self._allowed if len(w) == len(estimate.configured))
        best = detector.best_wiring(charger_id, allowed)
        return None if best is None else connection_of(best)

    def clear_all(self) -> None:
        for charger_id in list(self._raised):
            self._clear(charger_id)

    def _raise(self, charger_id: str) -> None:
        connection = self.detected_connection(charger_id)
        estimate = self.estimate(charger_id)
        if connection is None or estimate is None:
            return
        if self._raised.get(charger_id) == connection:
            return
        configured = connection_of(estimate.configured) or ""
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            issue_id(charger_id),
            is_fixable=True,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_WIRING,
            translation_placeholders={
                "site": self._site_name,
                "charger": self._names.get(charger_id, charger_id),
                "configured": _label(configured),
                "detected": _label(connection),
                "confidence": f"{100.0 * estimate.confidence[0]:.1f}",
                "steps": str(estimate.steps),
            },
            data={
                "entry_id": self._entry_id,
                "charger_id": charger_id,
                "connection": connection,
            },
        )
        self._raised[charger_id] = connection

    def _clear(self, charger_id: str) -> None:
        if self._raised.pop(charger_id, None) is not None:
            ir.async_delete_issue(self._hass, DOMAIN, issue_id(charger_id))


def _label(connection: str) -> str:
    """A connection as the phases its conductors meet (L2-L3-L1, L3)."""
    if not connection:
        return ""
    return "-".join(f"L{phase + 1}" for phase in connection_wiring(connection))
