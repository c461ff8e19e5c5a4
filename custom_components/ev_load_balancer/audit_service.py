"""ev_load_balancer.capacity_audit: how many chargers fit on this site's fuse.

Runs the simulator's sizing search (sizing/) on the recorder's history of the
site's baseline: synthetic residential sessions on garages of growing size,
through the same balancer, until more than the target share of energy is
missed. The answer also gives the month's billed peak of the garage that
fits, with and without peak shaving, under the site's capacity tariff (its
options; the default rules when none is set). CPU heavy (seconds per
simulated week), so it runs in an executor.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from homeassistant.components.recorder import history
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    State,
    SupportsResponse,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, entity_registry as er
from homeassistant.helpers.recorder import get_instance
from homeassistant.util import dt as dt_util
import voluptuous as vol

from .audit_history import baseline_series
from .const import ATTR_SITE, DOMAIN
from .models import EvLoadBalancerData
from .peak_options import PeakSettings
from .services import loaded_site
from .sizing import AuditResult, BaselineSeries, ChargerSize, audit_capacity
from .sizing.audit_peak import AuditPeak

SERVICE_CAPACITY_AUDIT = "capacity_audit"
PHASE_KEYS = ("l1", "l2", "l3")

SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_SITE): cv.string,
        vol.Optional("charger_current", default=16): vol.All(
            vol.Coerce(float), vol.Range(min=6, max=80)
        ),
        vol.Optional("charger_phases", default=3): vol.All(
            vol.Coerce(int), vol.In([1, 3])
        ),
        vol.Optional("days", default=7): vol.All(
            vol.Coerce(int), vol.Range(min=1, max=30)
        ),
        vol.Optional("target_unmet", default=1.0): vol.All(
            vol.Coerce(float), vol.Range(min=0.1, max=20)
        ),
        vol.Optional("max_chargers", default=100): vol.All(
            vol.Coerce(int), vol.Range(min=1, max=500)
        ),
    }
)


def async_setup_audit_service(hass: HomeAssistant) -> None:
    """Register the capacity audit (needs the recorder at call time)."""

    async def capacity_audit(call: ServiceCall) -> ServiceResponse:
        data = loaded_site(hass, call.data[ATTR_SITE])
        if "recorder" not in hass.config.components:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="recorder_needed"
            )
        series = await _recorded_baseline(hass, data, call.data["days"])
        size = ChargerSize(
            max_a=call.data["charger_current"], phases=call.data["charger_phases"]
        )
        coordinator = data.coordinator
        entry = coordinator.config_entry
        assert entry is not None
        tariff = PeakSettings.from_options(entry.options).tariff(hass.config.time_zone)
        result = await hass.async_add_executor_job(
            partial(
                audit_capacity,
                coordinator.site_config.site(),
                series,
                size,
                target_unmet_pct=call.data["target_unmet"],
                max_chargers=call.data["max_chargers"],
                settings=coordinator.loop.allocator.settings,
                tariff=tariff,
            )
        )
        return _response(result)

    hass.services.async_register(
        DOMAIN,
        SERVICE_CAPACITY_AUDIT,
        capacity_audit,
        SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )


async def _recorded_baseline(
    hass: HomeAssistant, data: EvLoadBalancerData, days: int
) -> BaselineSeries:
    coordinator = data.coordinator
    entry = coordinator.config_entry
    assert entry is not None
    registry = er.async_get(hass)
    entity_ids = [
        registry.async_get_entity_id(
            "sensor", DOMAIN, f"{entry.unique_id}_site_baseline_current_{key}"
        )
        for key in PHASE_KEYS[: coordinator.site_config.phases]
    ]
    if None in entity_ids:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="baseline_entities_missing"
        )
    phase_entities = [entity_id for entity_id in entity_ids if entity_id]
    end = dt_util.utcnow()
    start = end - timedelta(days=days)
    recorder = get_instance(hass)
    states: dict[str, list[State]] = {}
    for entity_id in phase_entities:
        states |= await recorder.async_add_executor_job(
            partial(
                history.state_changes_during_period,
                hass,
                start,
                end,
                entity_id,
                include_start_time_state=True,
            )
        )
    recorded = baseline_series(states, phase_entities, start, end)
    hours = 0.0 if recorded is None else recorded.covered_s / 3600
    if recorded is None or hours < 24:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="not_enough_history",
            translation_placeholders={"hours": f"{hours:.0f}"},
        )
    return recorded.series


def _response(result: AuditResult) -> dict[str, Any]:
    return {
        "chargers_that_fit": result.chargers_that_fit,
        "unmet_energy_pct": round(result.unmet_energy_pct, 2),
        "target_unmet_pct": result.target_unmet_pct,
        "reached_max": result.reached_max,
        "period_days": round(result.period_days, 2),
        "charger": {
            "current": result.charger_size.max_a,
            "phases": result.charger_size.phases,
        },
        "points": [
            {
                "chargers": point.chargers,
                "sessions": point.sessions,
                "unmet_energy_pct": round(point.unmet_energy_pct, 2),
                "evs_full_pct": round(point.evs_full_pct, 1),
                "overload_s": round(point.overload_s, 1),
            }
            for point in result.points
        ],
        "peak": None if result.peak is None else _peak(result.peak),
    }


def _peak(peak: AuditPeak) -> dict[str, Any]:
    return {
        "window_minutes": peak.window_minutes,
        "peaks_counted": peak.peaks_counted,
        "uncontrolled_kw": round(peak.uncontrolled_kw, 2),
        "fuse_only_kw": round(peak.fuse_only_kw, 2),
        "peak_shaving_kw": round(peak.peak_shaving_kw, 2),
        "reduction_pct": round(peak.reduction_pct, 1),
        "energy_pct_of_fuse_only": round(peak.energy_pct_of_fuse_only, 2),
        "evs_full_pct": round(peak.evs_full_pct, 1),
        "fuse_only_evs_full_pct": round(peak.fuse_only_evs_full_pct, 1),
    }
