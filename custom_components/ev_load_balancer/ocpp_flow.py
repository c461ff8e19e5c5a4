"""Adopt (or reconfigure) an OCPP charger that connects to the site's server.

Steps: which charger (those waiting for adoption, with vendor and model from
their BootNotification, or a charge point id typed in), then how it is wired
and limited, its failsafe current and a password (security profile 1; only
the salted hash is stored). A new charger is offered a generated password,
to set as the charger's authorization key; clearing the field adopts it
without one. Adopting changes the running site in place (site_changes.py):
the charger is accepted and balanced at once, the others never notice. The
form says what failsafe current it offers and why (the budget left after the
chargers already adopted), and can share the budget equally among them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigEntryState,
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers import selector
from homeassistant.helpers.network import NoURLAvailableError, get_url
import voluptuous as vol

from .charger_fields import (
    charger_fields,
    check_circuit,
    circuit_fields,
    site_connections,
)
from .circuit_failsafe import circuit_failsafe_room, circuit_share_cap
from .config_model import connection_wiring
from .const import (
    CIRCUIT_SITE,
    CONF_CIRCUIT,
    CONF_CONNECTION,
    CONF_MAX_CURRENT,
    CONF_MIN_CURRENT,
    CONF_PHASES,
)
from .failsafe_budget import FailsafeBudget, capped, equal_share, failsafe_budget
from .form_selectors import number_box
from .ocpp_const import (
    CONF_CHARGE_POINT_ID,
    CONF_CLEAR_PASSWORD,
    CONF_FAILSAFE_CURRENT,
    CONF_PASSWORD,
    CONF_PASSWORD_HASH,
    CONF_PENDING_CHARGER,
    CONF_REBALANCE_FAILSAFE,
    SUBENTRY_OCPP_CHARGER,
)
from .ocpp_cs import (
    ChargerConfig as OcppChargerConfig,
    PendingCharger,
    generate_password,
    hash_password,
)
from .ocpp_runtime import OcppRuntime

DEFAULT_FAILSAFE_A = 6.0


def _label(pending: PendingCharger) -> str:
    names = " ".join(name for name in (pending.vendor, pending.model) if name)
    version = pending.ocpp_version.value.replace("ocpp", "OCPP ")
    return (
        f"{pending.charger_id} ({names}, {version})"
        if names
        else (f"{pending.charger_id} ({version})")
    )


def _valid_id(charge_point_id: str) -> bool:
    try:
        OcppChargerConfig(charger_id=charge_point_id)
    except ValueError:
        return False
    return True


def server_address(hass: HomeAssistant) -> str:
    """Home Assistant's host name or address on the LAN, as well as it is known."""
    try:
        url = get_url(hass, allow_external=False, allow_cloud=False, allow_ip=True)
    except NoURLAvailableError:
        return "<home-assistant>"
    return urlparse(url).hostname or "<home-assistant>"


class OcppChargerSubentryFlow(ConfigSubentryFlow):
    """An OCPP charger of the site, as a config subentry."""

    def __init__(self) -> None:
        self._data: dict[str, Any] = {}
        self._suggested_name: str | None = None
        # Offered to every charger without a password; typed into the charger.
        self._suggested_password = generate_password()
        self._rebalanced_share: float | None = None

    def _runtime(self) -> OcppRuntime | None:
        entry = self._get_entry()
        if entry.state is not ConfigEntryState.LOADED:
            return None
        runtime: OcppRuntime = entry.runtime_data.ocpp
        return runtime

    def _adopted_ids(self) -> set[str]:
        return {
            str(subentry.unique_id)
            for subentry in self._get_entry().subentries.values()
            if subentry.subentry_type == SUBENTRY_OCPP_CHARGER
        }

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        runtime = self._runtime()
        if runtime is None:
            return self.async_abort(reason="site_not_loaded")
        if not runtime.settings.enabled:
            return self.async_abort(reason="server_disabled")
        pending = {charger.charger_id: charger for charger in runtime.pending}
        errors: dict[str, str] = {}
        if user_input is not None:
            typed = str(user_input.get(CONF_CHARGE_POINT_ID) or "").strip()
            chosen = typed or str(user_input.get(CONF_PENDING_CHARGER) or "")
            field = CONF_CHARGE_POINT_ID if typed else CONF_PENDING_CHARGER
            if not chosen:
                errors["base"] = "charge_point_required"
            elif not _valid_id(chosen):
                errors[field] = "invalid_charge_point_id"
            elif chosen in self._adopted_ids():
                errors[field] = "already_adopted"
            else:
                self._data[CONF_CHARGE_POINT_ID] = chosen
                waiting = pending.get(chosen)
                names = (waiting.vendor, waiting.model) if waiting else ()
                self._suggested_name = " ".join(n for n in names if n) or chosen
                return await self.async_step_charger()
        fields: dict[vol.Marker, Any] = {}
        if pending:
            fields[vol.Optional(CONF_PENDING_CHARGER)] = selector.SelectSelector(
                selector.SelectSelectorConfig(
                    options=[
                        selector.SelectOptionDict(value=key, label=_label(charger))
                        for key, charger in pending.items()
                    ],
                    mode=selector.SelectSelectorMode.LIST,
                )
            )
        fields[vol.Optional(CONF_CHARGE_POINT_ID)] = selector.TextSelector()
        settings = runtime.settings
        url = settings.url(server_address(self.hass), runtime.port)
        return self.async_show_form(
            step_id="user",
            data_schema=vol.Schema(fields),
            errors=errors,
            description_placeholders={"url": url, "waiting": str(len(pending))},
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        subentry = self._get_reconfigure_subentry()
        self._data = {**subentry.data, CONF_NAME: subentry.title}
        return await self.async_step_charger(user_input)

    async def async_step_charger(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        entry = self._get_entry()
        site_phases = int(entry.data[CONF_PHASES])
        connections = site_connections(site_phases)
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = self._validate(user_input)
            password = str(user_input.get(CONF_PASSWORD, "") or "")
            password_hash: str | None = None
            if not errors and password:
                # The password itself is never stored, logged or kept in the flow.
                password_hash = await self.hass.async_add_executor_job(
                    hash_password, password
                )
                # Other adoptions may have taken the budget meanwhile.
                errors = self._validate(user_input)
            if not errors:
                # No await from the check above to the new subentry: the
                # budget is checked and taken in one step, so adoptions that
                # run side by side never over-commit it.
                return self._finish(user_input, password_hash)
        budget = self._failsafe_budget()
        defaults = {**self._data, **(user_input or {})}
        defaults.pop(CONF_PASSWORD, None)
        reconfiguring = self.source == SOURCE_RECONFIGURE
        # Prefilled for a new charger only: a reconfigure that changes a
        # current must not lock a charger out with a password it does not know.
        prefill = {} if reconfiguring else {"suggested_value": self._suggested_password}
        connection = defaults.get(CONF_CONNECTION, connections[0])
        fields: dict[vol.Marker, Any] = {
            **charger_fields(
                {**defaults, CONF_CONNECTION: connection},
                connections,
                self._suggested_name,
            ),
            **circuit_fields(entry, defaults),
            vol.Required(
                CONF_FAILSAFE_CURRENT,
                default=defaults.get(
                    CONF_FAILSAFE_CURRENT,
                    self._default_failsafe(budget, connection_wiring(connection)),
                ),
            ): number_box(0, 80, "A"),
            vol.Optional(CONF_PASSWORD, description=prefill): selector.TextSelector(
                selector.TextSelectorConfig(type=selector.TextSelectorType.PASSWORD)
            ),
        }
        if reconfiguring and self._data.get(CONF_PASSWORD_HASH):
            fields[vol.Optional(CONF_CLEAR_PASSWORD, default=False)] = (
                selector.BooleanSelector()
            )
        whole = self._budget()
        if not reconfiguring and whole.others:
            fields[vol.Optional(CONF_REBALANCE_FAILSAFE, default=False)] = (
                selector.BooleanSelector()
            )
        wiring = connection_wiring(connection)
        share = equal_share(entry, wiring, float(defaults.get(CONF_MIN_CURRENT, 6)))
        return self.async_show_form(
            step_id="charger",
            data_schema=vol.Schema(fields),
            errors=errors,
            description_placeholders={
                "charge_point_id": str(self._data[CONF_CHARGE_POINT_ID]),
                "budget": _amps(min(budget)),
                "offered": _amps(self._default_failsafe(budget, wiring)),
                "fuse": _amps(whole.fuse_a),
                "margin": _amps(whole.margin_a),
                "reserve": _amps(whole.reserve_a),
                "total": _amps(whole.total_a),
                "others": str(whole.others),
                "others_current": _amps(whole.others_a),
                "share": "-" if share is None else _amps(share),
                "suggested_password": self._suggested_password,
            },
        )

    def _validate(self, user_input: dict[str, Any]) -> dict[str, str]:
        """Errors per field against the budget as it is now (the rebalanced
        share goes into `user_input`)."""
        self._rebalanced_share = None
        if user_input.get(CONF_REBALANCE_FAILSAFE):
            return self._rebalance(user_input)
        return self._check(user_input, self._failsafe_budget())

    def _rebalance(self, user_input: dict[str, Any]) -> dict[str, str]:
        """One failsafe current for every OCPP charger; the share goes into
        `user_input` (errors per field when there is no share that works)."""
        errors = self._check({**user_input, CONF_FAILSAFE_CURRENT: 0}, ())
        if errors:
            return errors
        wiring = connection_wiring(user_input[CONF_CONNECTION])
        share = equal_share(
            self._get_entry(),
            wiring,
            float(user_input[CONF_MIN_CURRENT]),
            cap_a=circuit_share_cap(self._get_entry(), _circuit(user_input), wiring),
        )
        if share is None:
            return {CONF_REBALANCE_FAILSAFE: "rebalance_below_minimum"}
        user_input[CONF_FAILSAFE_CURRENT] = capped(share, user_input)
        self._rebalanced_share = share
        return {}

    def _check(
        self, user_input: Mapping[str, Any], budget: tuple[float, ...]
    ) -> dict[str, str]:
        """Errors per field; the connection select offers the site's phases only."""
        errors: dict[str, str] = {}
        low, high = user_input[CONF_MIN_CURRENT], user_input[CONF_MAX_CURRENT]
        failsafe = user_input[CONF_FAILSAFE_CURRENT]
        if high < low:
            errors[CONF_MAX_CURRENT] = "max_below_min"
        elif failsafe and not low <= failsafe <= high:
            # Between 0 and the minimum an EV cannot charge (IEC 61851).
            errors[CONF_FAILSAFE_CURRENT] = "failsafe_range"
        elif budget and any(
            failsafe > budget[phase] + 1e-6
            for phase in connection_wiring(user_input[CONF_CONNECTION])
        ):
            errors[CONF_FAILSAFE_CURRENT] = "failsafe_over_budget"
        circuit_errors = check_circuit(self._get_entry(), dict(user_input))
        if circuit_errors:
            errors.update(circuit_errors)
        elif CONF_FAILSAFE_CURRENT not in errors and failsafe > (
            circuit_failsafe_room(
                self._get_entry(),
                _circuit(user_input),
                connection_wiring(user_input[CONF_CONNECTION]),
                self._own_id(),
            )
            + 1e-6
        ):
            # When HA is gone these failsafe currents are all a sub-board gets.
            errors[CONF_FAILSAFE_CURRENT] = "failsafe_over_circuit"
        return errors

    def _own_id(self) -> str | None:
        if self.source != SOURCE_RECONFIGURE:
            return None
        return self._get_reconfigure_subentry().subentry_id

    def _failsafe_budget(self) -> tuple[float, ...]:
        """Per phase, what this charger's failsafe current may be (see
        failsafe_budget.py): what the fuse leaves after the building reserve
        and the other OCPP chargers' failsafe currents."""
        return self._budget().left_a

    def _budget(self) -> FailsafeBudget:
        return failsafe_budget(self._get_entry(), self._own_id())

    def _default_failsafe(
        self, budget: tuple[float, ...], wiring: tuple[int, ...]
    ) -> float:
        fits = all(budget[phase] >= DEFAULT_FAILSAFE_A for phase in wiring)
        return DEFAULT_FAILSAFE_A if fits else 0.0

    def _finish(
        self, user_input: dict[str, Any], password_hash: str | None
    ) -> SubentryFlowResult:
        values = dict(user_input)
        values.pop(CONF_REBALANCE_FAILSAFE, None)
        values.pop(CONF_PASSWORD, None)
        clear = bool(values.pop(CONF_CLEAR_PASSWORD, False))
        data = {**self._data, **values}
        if password_hash is not None:
            data[CONF_PASSWORD_HASH] = password_hash
        elif clear:
            data.pop(CONF_PASSWORD_HASH, None)
        name = str(data.pop(CONF_NAME))
        charge_point_id = str(data[CONF_CHARGE_POINT_ID])
        entry = self._get_entry()
        if self.source == SOURCE_RECONFIGURE:
            return self.async_update_and_abort(
                entry,
                self._get_reconfigure_subentry(),
                title=name,
                data=data,
                unique_id=charge_point_id,
            )
        if charge_point_id in self._adopted_ids():
            return self.async_abort(reason="already_configured")
        if self._rebalanced_share is not None:
            # The others first, then the newcomer: the sum never exceeds
            # the budget on the way. Each change reaches its charger in place.
            for subentry in list(entry.subentries.values()):
                if subentry.subentry_type == SUBENTRY_OCPP_CHARGER:
                    self.hass.config_entries.async_update_subentry(
                        entry,
                        subentry,
                        data={
                            **subentry.data,
                            CONF_FAILSAFE_CURRENT: capped(
                                self._rebalanced_share, subentry.data
                            ),
                        },
                    )
        return self.async_create_entry(title=name, data=data, unique_id=charge_point_id)


def _amps(value: float) -> str:
    return f"{value:g} A"


def _circuit(user_input: Mapping[str, Any]) -> str | None:
    """The circuit picked in the form; None: the main fuse."""
    circuit = user_input.get(CONF_CIRCUIT) or CIRCUIT_SITE
    return None if circuit == CIRCUIT_SITE else str(circuit)
