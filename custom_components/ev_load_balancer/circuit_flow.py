"""Add or reconfigure a circuit: a fuse below the main fuse (a sub-board, a row).

First the circuit (name, what feeds it, its phases, its rating, margin and
the load to assume without a meter), then its own meter: one current or
power sensor per phase, or none. Circuits apply in place, without a reload.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.const import CONF_NAME
from homeassistant.helpers import selector
import voluptuous as vol

from .circuit_failsafe import failsafe_fits_under_parent, failsafe_under
from .circuit_model import CircuitTreeView, site_phases
from .config_model import SiteConfig
from .const import (
    CIRCUIT_SITE,
    CONF_CIRCUIT_PHASES,
    CONF_MARGIN,
    CONF_METER_ENTITIES,
    CONF_PARENT,
    CONF_RATING,
    CONF_RESERVE,
    PHASE_KEYS,
)
from .flow_validation import check_phase_entities
from .form_selectors import number_box
from .units import Quantity

METER_FIELDS = ("meter_l1", "meter_l2", "meter_l3")


def tree_view(config: SiteConfig) -> CircuitTreeView:
    return CircuitTreeView(
        config.phases,
        config.fuse_a,
        {circuit.circuit_id: circuit for circuit in config.circuits},
    )


class CircuitSubentryFlow(ConfigSubentryFlow):
    """A circuit of the site, as a config subentry."""

    def __init__(self) -> None:
        self._data: dict[str, Any] = {}

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        return await self.async_step_circuit(user_input)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        subentry = self._get_reconfigure_subentry()
        self._data = {**subentry.data, CONF_NAME: subentry.title}
        return await self.async_step_circuit(user_input)

    def _own_id(self) -> str | None:
        if self.source != SOURCE_RECONFIGURE:
            return None
        return self._get_reconfigure_subentry().subentry_id

    def _site(self) -> SiteConfig:
        return SiteConfig.from_entry(self._get_entry())

    async def async_step_circuit(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        site = self._site()
        tree = tree_view(site)
        own_id = self._own_id()
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = self._check_circuit(site, tree, own_id, user_input)
            if not errors:
                self._data.update(user_input)
                return await self.async_step_meter()
        defaults = {**self._data, **(user_input or {})}
        # Not from itself; one under it is refused with a reason (a cycle).
        excluded = {own_id}
        parents = [
            selector.SelectOptionDict(value=CIRCUIT_SITE, label=site.name),
            *(
                selector.SelectOptionDict(value=circuit.circuit_id, label=circuit.name)
                for circuit in site.circuits
                if circuit.circuit_id not in excluded
            ),
        ]
        phase_keys = list(PHASE_KEYS[: site.phases])
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_NAME, default=defaults.get(CONF_NAME, vol.UNDEFINED)
                ): selector.TextSelector(),
                vol.Required(
                    CONF_PARENT, default=defaults.get(CONF_PARENT, CIRCUIT_SITE)
                ): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=parents, mode=selector.SelectSelectorMode.DROPDOWN
                    )
                ),
                vol.Required(
                    CONF_CIRCUIT_PHASES,
                    default=defaults.get(CONF_CIRCUIT_PHASES, phase_keys),
                ): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=phase_keys,
                        multiple=True,
                        translation_key="circuit_phase",
                    )
                ),
                vol.Required(
                    CONF_RATING, default=defaults.get(CONF_RATING, vol.UNDEFINED)
                ): number_box(1, 4000, "A"),
                vol.Required(
                    CONF_MARGIN, default=defaults.get(CONF_MARGIN, 0)
                ): number_box(0, 100, "A", step=0.5),
                vol.Required(
                    CONF_RESERVE, default=defaults.get(CONF_RESERVE, 0)
                ): number_box(0, 4000, "A", step=0.5),
            }
        )
        return self.async_show_form(
            step_id="circuit", data_schema=schema, errors=errors
        )

    def _check_circuit(
        self,
        site: SiteConfig,
        tree: CircuitTreeView,
        own_id: str | None,
        user_input: dict[str, Any],
    ) -> dict[str, str]:
        errors: dict[str, str] = {}
        parent = user_input[CONF_PARENT]
        parent_id = None if parent == CIRCUIT_SITE else parent
        if parent_id is not None and parent_id not in tree.circuits:
            errors[CONF_PARENT] = "unknown_parent"
        elif own_id is not None and (
            parent_id == own_id or parent_id in tree.below(own_id)
        ):
            errors[CONF_PARENT] = "circuit_cycle"
        phases = site_phases(user_input[CONF_CIRCUIT_PHASES])
        rating = float(user_input[CONF_RATING])
        if not phases:
            errors[CONF_CIRCUIT_PHASES] = "no_phase"
        elif CONF_PARENT not in errors and not set(phases) <= set(
            tree.phases_of(parent_id)
        ):
            errors[CONF_CIRCUIT_PHASES] = "phase_not_in_parent"
        if CONF_PARENT not in errors and rating > tree.rating_of(parent_id):
            errors[CONF_RATING] = "rating_above_parent"
        if float(user_input[CONF_MARGIN]) >= rating:
            errors[CONF_MARGIN] = "margin_too_large"
        if own_id is not None and not errors:
            errors = _check_what_hangs_on(site, tree, own_id, phases, rating)
        if own_id is not None and not errors:
            # The OCPP chargers under it fall back to their failsafe currents
            # when HA is gone: those must still fit.
            budget = rating - float(user_input[CONF_MARGIN])
            budget -= float(user_input[CONF_RESERVE])
            entry = self._get_entry()
            if max(failsafe_under(entry, own_id)) > budget + 1e-6:
                errors["base"] = "failsafe_over_circuit"
            elif not failsafe_fits_under_parent(entry, own_id, parent_id):
                errors["base"] = "failsafe_over_parent"
        return errors

    async def async_step_meter(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        phases = site_phases(self._data[CONF_CIRCUIT_PHASES])
        fields = tuple(METER_FIELDS[phase] for phase in phases)
        errors: dict[str, str] = {}
        if user_input is not None:
            picked = {
                field: user_input[field] for field in fields if user_input.get(field)
            }
            if picked and len(picked) != len(fields):
                errors["base"] = "meter_per_phase"
            elif picked:
                _, errors = check_phase_entities(
                    self.hass, picked, (Quantity.CURRENT, Quantity.POWER)
                )
            if not errors:
                return self._save([picked[field] for field in picked])
        defaults: dict[str, Any] = dict(
            zip(fields, self._data.get(CONF_METER_ENTITIES, ()), strict=False)
        )
        defaults.update(user_input or {})
        sensor = selector.EntitySelector(
            selector.EntitySelectorConfig(
                domain="sensor", device_class=["current", "power"]
            )
        )
        schema = vol.Schema(
            {
                vol.Optional(
                    field, description={"suggested_value": defaults.get(field)}
                ): sensor
                for field in fields
            }
        )
        return self.async_show_form(step_id="meter", data_schema=schema, errors=errors)

    def _save(self, meter_entities: list[str]) -> SubentryFlowResult:
        data = {
            key: value
            for key, value in self._data.items()
            if key not in (CONF_NAME, CONF_METER_ENTITIES)
        }
        data[CONF_METER_ENTITIES] = meter_entities
        name = str(self._data[CONF_NAME])
        if self.source == SOURCE_RECONFIGURE:
            return self.async_update_and_abort(
                self._get_entry(),
                self._get_reconfigure_subentry(),
                title=name,
                data=data,
            )
        return self.async_create_entry(title=name, data=data)


def _check_what_hangs_on(
    site: SiteConfig,
    tree: CircuitTreeView,
    own_id: str,
    phases: tuple[int, ...],
    rating: float,
) -> dict[str, str]:
    """A changed circuit must still carry the circuits and chargers on it."""
    errors: dict[str, str] = {}
    for child in tree.children(own_id):
        if child.rating_a > rating:
            errors[CONF_RATING] = "rating_below_circuit"
        if not set(child.phases) <= set(phases):
            errors[CONF_CIRCUIT_PHASES] = "phases_in_use"
    for charger in site.chargers:
        if charger.circuit_id == own_id and not set(charger.wiring) <= set(phases):
            errors[CONF_CIRCUIT_PHASES] = "phases_in_use"
    return errors
