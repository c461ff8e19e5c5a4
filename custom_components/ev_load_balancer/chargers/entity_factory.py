"""Builds the entity-driven chargers of a site, with their shared groups."""

from __future__ import annotations

from collections import Counter

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from ..config_model import ChargerConfig, SiteConfig
from ..const import DOMAIN
from ..ocpp_const import CONTROL_OCPP
from .entity_charger import EntityChargerBackend
from .group import GroupActuator
from .plan import custom_plan
from .profiles import PROFILES
from .profiles.model import ChargerProfile, GroupCurrent, Role
from .profiles.registry import group_name, resolve_plan


def build_entity_chargers(
    hass: HomeAssistant, entry_id: str, site: SiteConfig
) -> list[EntityChargerBackend]:
    """One back end per charger that is not OCPP; group members share a group."""
    members = Counter(
        _group_key(config)
        for config in site.chargers
        if config.control != CONTROL_OCPP and _group_key(config)
    )
    groups: dict[str, GroupActuator] = {}
    backends = []
    for config in site.chargers:
        if config.control == CONTROL_OCPP:
            continue
        profile = PROFILES.get(config.profile) if config.profile else None
        if config.profile is None:
            backends.append(
                EntityChargerBackend(hass, config, site.voltage_v, custom_plan(config))
            )
            continue
        plan = (
            resolve_plan(hass, profile, config.charger_ref, config.group_ref)
            if profile is not None and config.charger_ref
            else None
        )
        group = None
        key = _group_key(config)
        if profile is not None and key and _grouped(profile, members[key]):
            group = groups.get(key)
            if group is None:
                group = groups[key] = _new_group(
                    hass,
                    entry_id,
                    site=site,
                    profile=profile,
                    config=config,
                    key=key,
                    ceiling_entity=plan.entity(Role.GROUP_MAX) if plan else None,
                )
        backends.append(
            EntityChargerBackend(
                hass,
                config,
                site.voltage_v,
                plan,
                group=group,
                integration_title=profile.title if profile else config.profile,
            )
        )
    _remove_stale_group_devices(
        hass, entry_id, {g.info.device_identifier for g in groups.values()}
    )
    return backends


def _group_key(config: ChargerConfig) -> str | None:
    if config.profile is None or config.group_ref is None:
        return None
    return f"{config.profile}_{config.group_ref}"


def _grouped(profile: ChargerProfile, member_count: int) -> bool:
    """A group limit is used where it is the only control, or for 2+ members."""
    if profile.group is None:
        return False
    return isinstance(profile.current, GroupCurrent) or member_count > 1


def _new_group(
    hass: HomeAssistant,
    entry_id: str,
    *,
    site: SiteConfig,
    profile: ChargerProfile,
    config: ChargerConfig,
    key: str,
    ceiling_entity: str | None,
) -> GroupActuator:
    assert profile.group is not None
    assert config.group_ref is not None
    return GroupActuator(
        hass,
        entry_id=entry_id,
        key=key,
        name=group_name(hass, profile, config.group_ref),
        title=profile.title,
        spec=profile.group,
        target=config.group_ref,
        site_phases=site.phases,
        change_interval_s=profile.change_interval_s,
        ceiling_entity=ceiling_entity,
    )


def _remove_stale_group_devices(
    hass: HomeAssistant, entry_id: str, keep: set[tuple[str, str]]
) -> None:
    """Devices of groups that no longer have members in this site."""
    registry = dr.async_get(hass)
    prefix = f"{entry_id}_group_"
    for device in dr.async_entries_for_config_entry(registry, entry_id):
        for identifier in device.identifiers:
            if identifier[0] == DOMAIN and identifier[1].startswith(prefix):
                if identifier not in keep:
                    registry.async_remove_device(device.id)
                break
