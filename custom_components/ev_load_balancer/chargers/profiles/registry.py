"""Finding a profile's chargers and their entities in Home Assistant's registries.

Entities are found by what their integration registers (platform, entity
domain, unique id built from the charger's own id), never by entity ids,
which users rename. A charger's id comes from its device's identifier in
that integration; chargers without a device (KEBA) are found by their
status entity alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er

from ..plan import ChargerPlan
from . import PROFILES
from .model import ChargerProfile, EntitySpec, Role, id_from_unique_id


@dataclass(frozen=True, slots=True)
class Candidate:
    """A charger of a profiled integration that the flow can offer."""

    profile: ChargerProfile
    ref: str  # the charger's id in its integration
    name: str
    device_id: str | None

    @property
    def key(self) -> str:
        """How the flow and the subentry name this charger."""
        return f"{self.profile.key}:{self.ref}"


def find_candidates(hass: HomeAssistant) -> list[Candidate]:
    """Every charger of a profiled integration, in a stable order."""
    found: list[Candidate] = []
    for profile in PROFILES.values():
        if profile.deviceless:
            found.extend(_deviceless_candidates(hass, profile))
        else:
            found.extend(_device_candidates(hass, profile))
    return sorted(found, key=lambda c: (c.profile.title.lower(), c.name.lower()))


def candidate(hass: HomeAssistant, key: str) -> Candidate | None:
    """The candidate a flow picked, if it is still there."""
    return next((c for c in find_candidates(hass) if c.key == key), None)


def _device_candidates(hass: HomeAssistant, profile: ChargerProfile) -> list[Candidate]:
    found = []
    for device in dr.async_get(hass).devices.values():
        for identifier in device.identifiers:
            if identifier[0] != profile.integration or len(identifier) < 2:
                continue
            ref = profile.ref_from_identifier(str(identifier[1]))
            if _has_required(hass, profile, ref):
                name = device.name_by_user or device.name or ref
                found.append(Candidate(profile, ref, name, device.id))
    return found


def _deviceless_candidates(
    hass: HomeAssistant, profile: ChargerProfile
) -> list[Candidate]:
    spec = profile.entities[profile.anchor]
    found = []
    for entry in er.async_get(hass).entities.values():
        if entry.platform != profile.integration or entry.domain != spec.domain:
            continue
        for template in spec.unique_ids:
            ref = id_from_unique_id(template, entry.unique_id)
            if ref is not None and _has_required(hass, profile, ref):
                found.append(Candidate(profile, ref, f"{profile.title} {ref}", None))
    return found


def _has_required(hass: HomeAssistant, profile: ChargerProfile, ref: str) -> bool:
    return all(
        _find(hass, profile, spec, ref) is not None
        for spec in profile.entities.values()
        if spec.required
    )


def _find(
    hass: HomeAssistant, profile: ChargerProfile, spec: EntitySpec, ref: str
) -> er.RegistryEntry | None:
    registry = er.async_get(hass)
    for template in spec.unique_ids:
        entity_id = registry.async_get_entity_id(
            spec.domain, profile.integration, template.format(id=ref)
        )
        if entity_id is not None:
            return registry.async_get(entity_id)
    return None


def group_device(hass: HomeAssistant, charger_device_id: str | None) -> str | None:
    """The device a charger's device hangs under (a Zaptec installation)."""
    if charger_device_id is None:
        return None
    device = dr.async_get(hass).async_get(charger_device_id)
    return device.via_device_id if device is not None else None


def resolve_plan(
    hass: HomeAssistant,
    profile: ChargerProfile,
    ref: str,
    group_ref: str | None = None,
) -> ChargerPlan | None:
    """The plan of one charger; None when its required entities are gone."""
    entities: dict[Role, str] = {}
    device_id: str | None = None
    group_id = _group_integration_id(hass, profile, group_ref)
    for role, spec in profile.entities.items():
        target_ref = group_id if spec.on_group else ref
        entry = None if target_ref is None else _find(hass, profile, spec, target_ref)
        if entry is None:
            if spec.required:
                return None
            continue
        entities[role] = entry.entity_id
        if role is profile.anchor:
            device_id = entry.device_id
    return ChargerPlan(
        entities=entities,
        current=profile.current,
        pause=profile.pause,
        phases=profile.phases,
        device_id=device_id,
        words=profile.status.words if profile.status else {},
        status_attribute=profile.status.attribute if profile.status else None,
        phase_attributes=profile.phase_attributes,
        terminal_attributes=profile.terminal_attributes,
        step_a=profile.step_a,
        profile_key=profile.key,
    )


def _group_integration_id(
    hass: HomeAssistant, profile: ChargerProfile, group_ref: str | None
) -> str | None:
    """The group device's own id in its integration (for on-group entities)."""
    group = profile.group
    if group is None or group_ref is None or group.ref_source != "via_device":
        return None
    device = dr.async_get(hass).async_get(group_ref)
    if device is None:
        return None
    for identifier in device.identifiers:
        if identifier[0] == profile.integration and len(identifier) >= 2:
            return profile.ref_from_identifier(str(identifier[1]))
    return None


def group_ref_of(
    hass: HomeAssistant, profile: ChargerProfile, plan: ChargerPlan
) -> str | None:
    """The group a charger belongs to now: a device id or the circuit's id."""
    group = profile.group
    if group is None:
        return None
    if group.ref_source == "via_device":
        return group_device(hass, plan.device_id)
    status = plan.entity(Role.STATUS)
    state = hass.states.get(status) if status else None
    value = state.attributes.get(group.ref_attribute or "") if state else None
    return None if value in (None, "") else str(value)


def group_name(hass: HomeAssistant, profile: ChargerProfile, group_ref: str) -> str:
    """A name for the group's device."""
    group = profile.group
    if group is not None and group.ref_source == "via_device":
        device = dr.async_get(hass).async_get(group_ref)
        if device is not None:
            return device.name_by_user or device.name or group_ref
    kind = group.kind if group is not None else "group"
    return f"{profile.title} {kind} {group_ref}"


def enable_disabled(hass: HomeAssistant, profile: ChargerProfile, ref: str) -> int:
    """Enable the entities the profile needs that the integration ships disabled.

    Home Assistant reloads that integration by itself to add them. Returns
    how many were enabled.
    """
    registry = er.async_get(hass)
    enabled = 0
    for spec in profile.entities.values():
        entry = _find(hass, profile, spec, ref) if spec.enable else None
        if (
            entry is not None
            and entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
        ):
            registry.async_update_entity(entry.entity_id, disabled_by=None)
            enabled += 1
    return enabled
