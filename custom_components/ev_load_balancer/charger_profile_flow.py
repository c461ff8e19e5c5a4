"""The charger flow's steps for a charger of a profiled integration.

The user picks the charger (found in the registries, see
chargers/profiles/registry.py); everything else comes from its profile, and
the one form left has defaults throughout: name, wiring, currents, priority
and, where the charger can switch phases, whether to and how long a choice
stands.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigSubentryFlow, SubentryFlowResult
from homeassistant.const import CONF_NAME, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.helpers import selector
import voluptuous as vol

from .charger_fields import (
    charger_fields,
    check_circuit,
    circuit_fields,
    site_connections,
)
from .chargers.profiles import PROFILES
from .chargers.profiles.model import ChargerProfile, GroupCurrent, Role
from .chargers.profiles.registry import (
    Candidate,
    candidate,
    enable_disabled,
    find_candidates,
    group_ref_of,
    resolve_plan,
)
from .const import (
    CONF_CHARGER_REF,
    CONF_CONNECTION,
    CONF_CONTROL,
    CONF_GROUP_REF,
    CONF_MAX_CURRENT,
    CONF_MIN_CHANGE_INTERVAL,
    CONF_MIN_CURRENT,
    CONF_PHASE_DWELL,
    CONF_PHASE_SWITCHING,
    CONF_PHASES,
    CONF_PROFILE,
    CONTROL_PROFILE,
    DEFAULT_PHASE_DWELL_MIN,
)
from .form_selectors import number_box

CONF_DEVICE = "device"
DEFAULT_MAX_A = 16.0


def profile_unique_id(profile_key: str, charger_ref: str) -> str:
    """No two chargers of a site may be the same charger."""
    return f"{profile_key}:{charger_ref}"


class ProfileSteps(ConfigSubentryFlow):
    """Steps `device` and `profile`; mixed into the charger flow."""

    _data: dict[str, Any]
    _candidate: Candidate | None = None

    def _candidates(self) -> list[Candidate]:
        """Chargers found in HA that this site does not drive yet."""
        taken = {sub.unique_id for sub in self._get_entry().subentries.values()}
        return [
            c
            for c in find_candidates(self.hass)
            if profile_unique_id(c.profile.key, c.ref) not in taken
        ]

    async def async_step_device(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        candidates = self._candidates()
        errors: dict[str, str] = {}
        if user_input is not None:
            picked = candidate(self.hass, user_input[CONF_DEVICE])
            if picked is None:
                errors[CONF_DEVICE] = "charger_gone"
            else:
                self._candidate = picked
                self._data = {CONF_NAME: picked.name}
                return await self.async_step_profile()
        options = [
            selector.SelectOptionDict(
                value=c.key, label=f"{c.name} ({c.profile.title})"
            )
            for c in candidates
        ]
        schema = vol.Schema(
            {
                vol.Required(CONF_DEVICE): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=options, mode=selector.SelectSelectorMode.LIST
                    )
                )
            }
        )
        return self.async_show_form(step_id="device", data_schema=schema, errors=errors)

    async def async_step_profile(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        profile = PROFILES[self._profile_key()]
        ref = self._charger_ref()
        errors: dict[str, str] = {}
        if user_input is not None:
            if user_input[CONF_MAX_CURRENT] < user_input[CONF_MIN_CURRENT]:
                errors[CONF_MAX_CURRENT] = "max_below_min"
            errors.update(check_circuit(self._get_entry(), user_input))
            data = self._profile_data(profile, ref, user_input, errors)
            if not errors:
                enable_disabled(self.hass, profile, ref)
                return self._save_profile_charger(user_input[CONF_NAME], data)
        site_phases = int(self._get_entry().data[CONF_PHASES])
        connections = site_connections(site_phases)
        defaults = {**self._profile_defaults(profile, ref, connections), **self._data}
        defaults.update(user_input or {})
        fields = charger_fields(defaults, connections)
        fields.update(circuit_fields(self._get_entry(), defaults))
        if profile.phases is not None and site_phases == 3:
            fields[
                vol.Required(
                    CONF_PHASE_SWITCHING,
                    default=defaults.get(CONF_PHASE_SWITCHING, True),
                )
            ] = selector.BooleanSelector()
            fields[
                vol.Required(
                    CONF_PHASE_DWELL,
                    default=defaults.get(CONF_PHASE_DWELL, DEFAULT_PHASE_DWELL_MIN),
                )
            ] = number_box(1, 60, "min")
        return self.async_show_form(
            step_id="profile",
            data_schema=vol.Schema(fields),
            errors=errors,
            description_placeholders={"integration": profile.title},
        )

    def _profile_key(self) -> str:
        if self._candidate is not None:
            return self._candidate.profile.key
        return str(self._data[CONF_PROFILE])

    def _charger_ref(self) -> str:
        if self._candidate is not None:
            return self._candidate.ref
        return str(self._data[CONF_CHARGER_REF])

    def _profile_defaults(
        self, profile: ChargerProfile, ref: str, connections: list[str]
    ) -> dict[str, Any]:
        """Wiring from the phase sensors it has; 16 A at most, less if its
        current entity stops lower."""
        plan = resolve_plan(self.hass, profile, ref)
        single = plan is not None and (
            Role.CURRENT_L1 in plan.entities and Role.CURRENT_L2 not in plan.entities
        )
        connection = next(
            (c for c in connections if c.startswith("single")) if single else iter(()),
            connections[0],
        )
        top = DEFAULT_MAX_A
        number = plan.entity(Role.CURRENT) if plan is not None else None
        state = self.hass.states.get(number) if number else None
        if state is not None and state.state not in (STATE_UNAVAILABLE, STATE_UNKNOWN):
            highest = state.attributes.get("max")
            if isinstance(highest, int | float) and highest >= profile.min_a:
                top = min(float(highest), profile.max_a, DEFAULT_MAX_A)
        return {
            CONF_CONNECTION: connection,
            CONF_MIN_CURRENT: int(profile.min_a),
            CONF_MAX_CURRENT: int(top),
        }

    def _profile_data(
        self,
        profile: ChargerProfile,
        ref: str,
        user_input: dict[str, Any],
        errors: dict[str, str],
    ) -> dict[str, Any]:
        plan = resolve_plan(self.hass, profile, ref)
        if plan is None:
            errors["base"] = "charger_gone"
            return {}
        group_ref = group_ref_of(self.hass, profile, plan)
        if group_ref is None:
            group_ref = self._data.get(CONF_GROUP_REF)
        if isinstance(profile.current, GroupCurrent) and group_ref is None:
            errors["base"] = "no_group"
        data = {key: value for key, value in user_input.items() if key != CONF_NAME}
        data.update(
            {
                CONF_CONTROL: CONTROL_PROFILE,
                CONF_PROFILE: profile.key,
                CONF_CHARGER_REF: ref,
                CONF_GROUP_REF: group_ref,
                CONF_MIN_CHANGE_INTERVAL: profile.change_interval_s,
            }
        )
        data.setdefault(CONF_PHASE_SWITCHING, False)
        return data

    def _save_profile_charger(
        self, name: str, data: dict[str, Any]
    ) -> SubentryFlowResult:
        unique_id = profile_unique_id(data[CONF_PROFILE], data[CONF_CHARGER_REF])
        return self._save(name, data, unique_id)

    def _save(
        self, name: str, data: dict[str, Any], unique_id: str
    ) -> SubentryFlowResult:
        raise NotImplementedError
