"""Websocket commands for the site card: the sites, and one site live.

`ev_load_balancer/sites` lists the loaded sites (the card editor's choice);
`ev_load_balancer/subscribe_site` sends a site's picture after every round
of its loop: per phase the fuse, the margin, a temporary cap, the building
without the chargers and each charger's share, then each charger's state,
limit, power, reason and place in the queue. A subscription outlives a
reload of its site (new options, an adopted charger): it follows the new
loop once the site is loaded again.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import websocket_command
from homeassistant.components.websocket_api.messages import event_message
from homeassistant.config_entries import (
    SIGNAL_CONFIG_ENTRY_CHANGED,
    ConfigEntry,
    ConfigEntryChange,
    ConfigEntryState,
)
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.dispatcher import async_dispatcher_connect
import voluptuous as vol

from .const import DOMAIN
from .coordinator import BalancerCoordinator
from .snapshot import ChargerView, SiteSnapshot

ERROR_NOT_LOADED = "site_not_loaded"


@callback
def async_setup_websocket_api(hass: HomeAssistant) -> None:
    """Register the commands once, for every site."""
    async_register_command(hass, websocket_sites)
    async_register_command(hass, websocket_subscribe_site)


def _loaded_coordinator(
    hass: HomeAssistant, entry_id: str
) -> BalancerCoordinator | None:
    entry = hass.config_entries.async_get_entry(entry_id)
    if (
        entry is None
        or entry.domain != DOMAIN
        or entry.state is not ConfigEntryState.LOADED
    ):
        return None
    coordinator: BalancerCoordinator = entry.runtime_data.coordinator
    return coordinator


@websocket_command({vol.Required("type"): f"{DOMAIN}/sites"})
@callback
def websocket_sites(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Every site, loaded or not, by name."""
    sites = [
        {
            "entry_id": entry.entry_id,
            "name": entry.title,
            "loaded": entry.state is ConfigEntryState.LOADED,
        }
        for entry in hass.config_entries.async_entries(DOMAIN)
    ]
    sites.sort(key=lambda site: str(site["name"]))
    connection.send_result(msg["id"], sites)


@websocket_command(
    {
        vol.Required("type"): f"{DOMAIN}/subscribe_site",
        vol.Required("entry_id"): str,
    }
)
@callback
def websocket_subscribe_site(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """The site's picture now, then after every round, until unsubscribed."""
    entry_id: str = msg["entry_id"]
    coordinator = _loaded_coordinator(hass, entry_id)
    if coordinator is None:
        connection.send_error(
            msg["id"], ERROR_NOT_LOADED, f"No loaded site with entry id {entry_id}"
        )
        return
    subscription = _SiteSubscription(hass, connection, msg["id"], entry_id)
    connection.subscriptions[msg["id"]] = subscription.cancel
    connection.send_result(msg["id"])
    subscription.follow(coordinator)


class _SiteSubscription:
    """One card watching one site, across reloads of that site."""

    def __init__(
        self,
        hass: HomeAssistant,
        connection: ActiveConnection,
        msg_id: int,
        entry_id: str,
    ) -> None:
        self._hass = hass
        self._connection = connection
        self._msg_id = msg_id
        self._entry_id = entry_id
        self._unsubscribe_rounds: CALLBACK_TYPE | None = None
        self._sent: dict[str, Any] | None = None  # the view the card has
        self._unsubscribe_entries = async_dispatcher_connect(
            hass, SIGNAL_CONFIG_ENTRY_CHANGED, self._entry_changed
        )

    @callback
    def follow(self, coordinator: BalancerCoordinator) -> None:
        if self._unsubscribe_rounds is not None:
            self._unsubscribe_rounds()
        self._sent = None

        @callback
        def send() -> None:
            if coordinator.data is not None:
                view = site_view(self._hass, coordinator)
                # Rounds run on every meter sample and charger message; a
                # round that changed nothing the card draws sends nothing.
                if view != self._sent:
                    self._sent = view
                    self._connection.send_message(event_message(self._msg_id, view))

        self._unsubscribe_rounds = coordinator.async_add_listener(send)
        send()

    @callback
    def _entry_changed(self, change: ConfigEntryChange, entry: ConfigEntry) -> None:
        if entry.entry_id != self._entry_id:
            return
        if change is ConfigEntryChange.REMOVED:
            self._connection.send_message(
                event_message(self._msg_id, {"removed": True})
            )
            return
        coordinator = _loaded_coordinator(self._hass, self._entry_id)
        if coordinator is not None:
            self.follow(coordinator)

    @callback
    def cancel(self) -> None:
        self._unsubscribe_entries()
        if self._unsubscribe_rounds is not None:
            self._unsubscribe_rounds()
            self._unsubscribe_rounds = None


def site_view(hass: HomeAssistant, coordinator: BalancerCoordinator) -> dict[str, Any]:
    """What the card draws, from the last round and the site's configuration."""
    snapshot: SiteSnapshot = coordinator.data
    config = coordinator.site_config
    devices = dr.async_get(hass)
    chargers = []
    for charger_id, handle in coordinator.handles.items():
        view = snapshot.chargers.get(charger_id)
        if view is None:
            continue
        device = devices.async_get_device(identifiers={(DOMAIN, charger_id)})
        wiring = handle.config.wiring
        chargers.append(
            {
                "id": charger_id,
                "name": handle.config.name,
                "device_id": device.id if device else None,
                "state": view.state.value if view.state else None,
                "reason": view.reason.value if view.reason else None,
                "limit_a": view.limit_a,
                "min_a": handle.config.min_a,
                "max_a": handle.config.max_a,
                "power_w": view.power_w,
                "priority": view.priority,
                "boosted": view.boosted,
                "included": view.included,
                "queue_position": view.queue_position,
                "unresponsive": view.unresponsive,
                "ignores_limit": view.ignores_limit,
                "wiring": list(wiring),
                "circuit": handle.config.circuit_id,
                "phase_current_a": phase_currents(
                    view, wiring, snapshot.phases, config.voltage_v
                ),
            }
        )
    chargers.sort(key=lambda charger: str(charger["name"]))
    return {
        "entry_id": coordinator.config_entry.entry_id
        if coordinator.config_entry
        else None,
        "name": config.name,
        "phases": snapshot.phases,
        "fuse_a": config.fuse_a,
        "margin_a": config.tunables.margin_a,
        "cap_a": snapshot.site_limit_a,
        "usable_a": snapshot.usable_a,
        "site_current_a": list(snapshot.site_current_a),
        "baseline_a": list(snapshot.baseline_a),
        "available_a": list(snapshot.available_a),
        "headroom_a": snapshot.headroom_a,
        "ev_power_w": snapshot.ev_power_w,
        "charging_count": snapshot.charging_count,
        "queued_count": snapshot.queued_count,
        "overload": snapshot.overload,
        "failsafe": snapshot.failsafe,
        "meter_healthy": snapshot.meter_healthy,
        "balancing_enabled": snapshot.balancing_enabled,
        "strategy": snapshot.strategy.value,
        "chargers": chargers,
        "circuits": circuit_views(coordinator, chargers),
    }


def circuit_views(
    coordinator: BalancerCoordinator, chargers: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The tree, parents first: per circuit phase its rating, what it carries
    (its meter's reading, else its non-EV load plus its EVs' draw) and the
    EVs' limits, the chargers on it and its problems."""
    snapshot: SiteSnapshot = coordinator.data
    names = {c.circuit_id: c.name for c in coordinator.site_config.circuits}
    balanced = {c.charger_id: c.circuit_id for c in coordinator.loop.config.chargers}
    parents = {cid: view.parent_id for cid, view in snapshot.circuits.items()}

    def under(charger_circuit: str | None, circuit_id: str) -> bool:
        while charger_circuit is not None:
            if charger_circuit == circuit_id:
                return True
            charger_circuit = parents.get(charger_circuit)
        return False

    views = []
    for circuit_id, view in snapshot.circuits.items():
        ev_a = [0.0] * len(view.phases)
        for charger in chargers:
            if under(balanced.get(charger["id"]), circuit_id):
                for index, phase in enumerate(view.phases):
                    ev_a[index] += charger["phase_current_a"][phase]
        load: list[float | None] = [
            measured
            if measured is not None
            else (None if baseline is None else baseline + ev)
            for measured, baseline, ev in zip(
                view.current_a, view.baseline_a, ev_a, strict=True
            )
        ]
        views.append(
            {
                "id": circuit_id,
                "name": names.get(circuit_id, circuit_id),
                "parent": view.parent_id,
                "phases": list(view.phases),
                "rating_a": view.rating_a,
                "usable_a": view.usable_a,
                "metered": view.metered,
                "load_a": load,
                "measured_a": list(view.current_a),
                "baseline_a": list(view.baseline_a),
                "available_a": list(view.available_a),
                "allocated_a": list(view.allocated_a),
                "ev_current_a": ev_a,
                "overload": view.overload,
                "failsafe": view.failsafe,
                "meter_problem": view.meter_problem,
                "chargers": [
                    c["id"] for c in chargers if balanced.get(c["id"]) == circuit_id
                ],
            }
        )
    return views


def phase_currents(
    view: ChargerView, wiring: tuple[int, ...], phases: int, voltage_v: float
) -> list[float]:
    """A charger's draw on each site phase (A).

    Measured per conductor where the charger reports it; from its power spread
    over its wired phases where it reports only power; 0 where nothing flows.
    """
    per_phase = [0.0] * phases
    measured = [current for current in view.current_a if current is not None]
    if len(measured) == len(view.current_a) and measured:
        for conductor, current in enumerate(view.current_a):
            assert current is not None
            per_phase[wiring[conductor]] += max(current, 0.0)
        return per_phase
    if view.power_w and voltage_v > 0:
        share = max(view.power_w, 0.0) / voltage_v / len(wiring)
        for phase in wiring:
            per_phase[phase] += share
    return per_phase
