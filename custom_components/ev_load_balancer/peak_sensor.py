"""Peak shaving's sensors: the window, the month's billed peak, the target, the cost.

On the site's device, only when a capacity tariff is set up. They read the
view the peak site made in the last round (peak_site.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import UnitOfPower
from homeassistant.helpers.typing import StateType

from .coordinator import BalancerCoordinator
from .entity import SiteEntity
from .peak import PeakMode
from .peak_site import PeakSite, PeakView


@dataclass(frozen=True, kw_only=True)
class PeakSensorDescription(SensorEntityDescription):
    """A peak shaving sensor and how to read it from the view."""

    value_fn: Callable[[PeakView], StateType]
    attributes_fn: Callable[[PeakView], Mapping[str, Any]] | None = None


def _kw(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _power(
    key: str, value_fn: Callable[[PeakView], StateType]
) -> PeakSensorDescription:
    return PeakSensorDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_display_precision=2,
        value_fn=value_fn,
    )


def _peaks(view: PeakView) -> Mapping[str, Any]:
    return {
        "counted_peaks": [
            {"date": day.isoformat(), "kw": round(kw, 3)}
            for day, kw in view.counted_peaks
        ],
        "highest_kw": round(view.month_peak_kw, 3),
    }


def _mode(view: PeakView) -> Mapping[str, Any]:
    return {
        "forecast_hours": view.forecast_hours,
        "forecast_source": view.forecast_source,
    }


def _target(view: PeakView) -> Mapping[str, Any]:
    return {"planned_kw": _kw(view.planned_kw)}


def peak_descriptions(currency: str, priced: bool) -> list[PeakSensorDescription]:
    descriptions = [
        _power("peak_window_average", lambda view: _kw(view.window_average_kw)),
        _power("peak_window_projection", lambda view: _kw(view.projection_kw)),
        PeakSensorDescription(
            key="peak_month",
            translation_key="peak_month",
            device_class=SensorDeviceClass.POWER,
            native_unit_of_measurement=UnitOfPower.KILO_WATT,
            suggested_display_precision=2,
            value_fn=lambda view: _kw(view.billed_kw),
            attributes_fn=_peaks,
        ),
        PeakSensorDescription(
            key="peak_target",
            translation_key="peak_target",
            device_class=SensorDeviceClass.POWER,
            native_unit_of_measurement=UnitOfPower.KILO_WATT,
            suggested_display_precision=2,
            value_fn=lambda view: _kw(view.target_kw),
            attributes_fn=_target,
        ),
        PeakSensorDescription(
            key="peak_mode",
            translation_key="peak_mode",
            device_class=SensorDeviceClass.ENUM,
            options=[mode.value for mode in PeakMode],
            value_fn=lambda view: view.mode.value,
            attributes_fn=_mode,
        ),
    ]
    if priced:
        descriptions.append(
            PeakSensorDescription(
                key="peak_cost",
                translation_key="peak_cost",
                device_class=SensorDeviceClass.MONETARY,
                native_unit_of_measurement=currency,
                suggested_display_precision=2,
                value_fn=lambda view: (
                    None if view.cost is None else round(view.cost, 2)
                ),
            )
        )
    return descriptions


def peak_sensors(coordinator: BalancerCoordinator, currency: str) -> list[SensorEntity]:
    """The peak sensors of the site; none without a capacity tariff."""
    peak = coordinator.peak
    if peak is None:
        return []
    return [
        PeakSensor(coordinator, peak, description)
        for description in peak_descriptions(
            currency, peak.tariff.price_per_kw is not None
        )
    ]


class PeakSensor(SiteEntity, SensorEntity):
    """A number about the site's capacity tariff."""

    entity_description: PeakSensorDescription

    def __init__(
        self,
        coordinator: BalancerCoordinator,
        peak: PeakSite,
        description: PeakSensorDescription,
    ) -> None:
        super().__init__(coordinator, description)
        self._peak = peak

    @property
    def native_value(self) -> StateType:
        return self.entity_description.value_fn(self._peak.view)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        attributes_fn = self.entity_description.attributes_fn
        return None if attributes_fn is None else attributes_fn(self._peak.view)
