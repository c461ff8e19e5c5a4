"""The site's capacity tariff: read from options, edited in the options flow.

Off by default. Months and windows follow Home Assistant's time zone (the
month boundary is local midnight), so the tariff is made with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from homeassistant.data_entry_flow import section
from homeassistant.helpers import selector
import voluptuous as vol

from .form_selectors import number_box
from .peak import Tariff

CONF_PEAK: Final = "capacity_tariff"
CONF_PEAK_ENABLED: Final = "enabled"
CONF_PEAK_WINDOW: Final = "window_minutes"
CONF_PEAK_COUNTED: Final = "peaks_counted"
CONF_PEAK_DAY_START: Final = "day_start_hour"
CONF_PEAK_DAY_END: Final = "day_end_hour"
CONF_PEAK_DAY_WEIGHT: Final = "day_weight"
CONF_PEAK_NIGHT_WEIGHT: Final = "night_weight"
CONF_PEAK_PRICE: Final = "price_per_kw"

WINDOW_CHOICES: Final = ("60", "15")
MAX_PEAKS_COUNTED: Final = 10


@dataclass(frozen=True, slots=True, kw_only=True)
class PeakSettings:
    """Peak shaving's settings; the tariff with them once a zone is known."""

    enabled: bool = False
    window_minutes: int = 60
    peaks_counted: int = 1
    day_start_hour: int = 0
    day_end_hour: int = 24
    day_weight: float = 1.0
    night_weight: float = 1.0
    price_per_kw: float | None = None

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> PeakSettings:
        raw = options.get(CONF_PEAK) or {}
        price = raw.get(CONF_PEAK_PRICE)
        return cls(
            enabled=bool(raw.get(CONF_PEAK_ENABLED, False)),
            window_minutes=int(raw.get(CONF_PEAK_WINDOW, 60)),
            peaks_counted=int(raw.get(CONF_PEAK_COUNTED, 1)),
            day_start_hour=int(raw.get(CONF_PEAK_DAY_START, 0)),
            day_end_hour=int(raw.get(CONF_PEAK_DAY_END, 24)),
            day_weight=float(raw.get(CONF_PEAK_DAY_WEIGHT, 1.0)),
            night_weight=float(raw.get(CONF_PEAK_NIGHT_WEIGHT, 1.0)),
            price_per_kw=None if price is None else float(price),
        )

    def tariff(self, time_zone: str) -> Tariff:
        """The billing rules in `time_zone` (raises ValueError if inconsistent)."""
        return Tariff(
            window_minutes=self.window_minutes,
            peaks_counted=self.peaks_counted,
            price_per_kw=self.price_per_kw,
            timezone=time_zone,
            day_start_hour=self.day_start_hour,
            day_end_hour=self.day_end_hour,
            day_weight=self.day_weight,
            night_weight=self.night_weight,
        )


def tariff_section(options: Mapping[str, Any], currency: str) -> section:
    """The collapsed 'Capacity tariff' part of the options form."""
    current = PeakSettings.from_options(options)
    schema = vol.Schema(
        {
            vol.Required(
                CONF_PEAK_ENABLED, default=current.enabled
            ): selector.BooleanSelector(),
            vol.Required(
                CONF_PEAK_WINDOW, default=str(current.window_minutes)
            ): selector.SelectSelector(
                selector.SelectSelectorConfig(
                    options=list(WINDOW_CHOICES), translation_key="peak_window"
                )
            ),
            vol.Required(CONF_PEAK_COUNTED, default=current.peaks_counted): number_box(
                1, MAX_PEAKS_COUNTED
            ),
            vol.Required(CONF_PEAK_DAY_START, default=current.day_start_hour): (
                number_box(0, 24, "h")
            ),
            vol.Required(CONF_PEAK_DAY_END, default=current.day_end_hour): number_box(
                0, 24, "h"
            ),
            vol.Required(CONF_PEAK_DAY_WEIGHT, default=current.day_weight): number_box(
                0, 1, step=0.05
            ),
            vol.Required(
                CONF_PEAK_NIGHT_WEIGHT, default=current.night_weight
            ): number_box(0, 1, step=0.05),
            vol.Optional(
                CONF_PEAK_PRICE, description={"suggested_value": current.price_per_kw}
            ): number_box(0, 100000, f"{currency}/kW", step=0.01),
        }
    )
    return section(schema, {"collapsed": not current.enabled})


def validate_tariff(raw: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The section as it will be stored, and an error key (or None)."""
    price = raw.get(CONF_PEAK_PRICE)
    cleaned: dict[str, Any] = {
        CONF_PEAK_ENABLED: bool(raw.get(CONF_PEAK_ENABLED, False)),
        CONF_PEAK_WINDOW: str(raw.get(CONF_PEAK_WINDOW, "60")),
        CONF_PEAK_COUNTED: int(raw.get(CONF_PEAK_COUNTED, 1)),
        CONF_PEAK_DAY_START: int(raw.get(CONF_PEAK_DAY_START, 0)),
        CONF_PEAK_DAY_END: int(raw.get(CONF_PEAK_DAY_END, 24)),
        CONF_PEAK_DAY_WEIGHT: float(raw.get(CONF_PEAK_DAY_WEIGHT, 1.0)),
        CONF_PEAK_NIGHT_WEIGHT: float(raw.get(CONF_PEAK_NIGHT_WEIGHT, 1.0)),
        CONF_PEAK_PRICE: None if price is None else float(price),
    }
    if cleaned[CONF_PEAK_DAY_START] > cleaned[CONF_PEAK_DAY_END]:
        return cleaned, "peak_day_hours"
    if cleaned[CONF_PEAK_DAY_WEIGHT] == 0 and cleaned[CONF_PEAK_NIGHT_WEIGHT] == 0:
        return cleaned, "peak_no_hours_count"
    return cleaned, None
