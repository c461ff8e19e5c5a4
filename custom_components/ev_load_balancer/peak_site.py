"""Home Assistant's side of peak shaving (peak/): fed by the coordinator each round.

The coordinator hands every round's inputs (the trusted meter reading, the
charger reports, the round's time with its wall clock from ha_clock.py) to
the same PeakHost the simulator uses, before the shared loop runs; the host
sets peak shaving's cap in the run-time settings. Here: the forecast made
from the recorder's statistics (at start and every night), the month's
peaks kept in a Store, the event when the month's billed peak rises, and the
view the entities show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
import logging

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_track_time_change
from homeassistant.util import dt as dt_util
from sqlalchemy.exc import SQLAlchemyError

from .const import DOMAIN, EVENT_NEW_MONTHLY_PEAK
from .loop import ChargerReport, LoopConfig, RoundTime, SiteRuntime
from .meter.base import MeterReading
from .peak import BaselineForecast, PeakController, PeakHost, PeakMode, Tariff
from .peak.forecast import WEEKS_KEPT
from .peak_statistics import async_hourly_baseline_kw, baseline_entity_ids
from .peak_store import PeakStore

_LOGGER = logging.getLogger(__name__)
# The forecast is made again from the statistics every night at this time.
REFRESH_AT = {"hour": 0, "minute": 20, "second": 0}


@dataclass(frozen=True, slots=True)
class PeakView:
    """What the peak entities show after a round."""

    mode: PeakMode
    window_average_kw: float | None = None
    projection_kw: float | None = None
    billed_kw: float = 0.0
    month_peak_kw: float = 0.0
    # The peaks that make the bill: (local day, kW), highest first.
    counted_peaks: tuple[tuple[date, float], ...] = ()
    target_kw: float | None = None
    planned_kw: float | None = None
    cost: float | None = None
    forecast_hours: int = 0
    forecast_source: str | None = None


class PeakSite:
    """One site's peak shaving in Home Assistant."""

    def __init__(
        self,
        hass: HomeAssistant,
        *,
        entry_id: str,
        entry_unique_id: str | None,
        site_name: str,
        tariff: Tariff,
        loop_config: LoopConfig,
    ) -> None:
        self._hass = hass
        self._entry_id = entry_id
        self._unique_id = entry_unique_id
        self._site_name = site_name
        config = loop_config
        self.controller = PeakController(
            tariff,
            phases=config.phases,
            voltage_v=config.voltage_v,
            fuse_a=config.fuse_a - config.margin_a,
        )
        self.host = PeakHost(self.controller, config)
        self.store = PeakStore(hass, entry_id)
        self.forecast_source: str | None = None
        self.view = PeakView(PeakMode.LEARNING)
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def tariff(self) -> Tariff:
        return self.controller.tariff

    async def async_start(self) -> None:
        """Restore the month's peaks, make the forecast, refresh it nightly."""
        await self.store.async_load(self.controller)
        await self.async_refresh_forecast()
        self._unsubscribe = async_track_time_change(
            self._hass, self._nightly, **REFRESH_AT
        )

    async def async_stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        await self.store.async_save()

    def configure(self, config: LoopConfig) -> None:
        """New chargers or tunables: the host and the controller follow."""
        self.host.config = config
        self.controller.fuse_a = config.fuse_a - config.margin_a

    def set_manual_target(self, target_kw: float | None) -> None:
        self.controller.manual_target_kw = target_kw
        self.store.schedule_save()

    @callback
    def _nightly(self, now: datetime) -> None:
        entry = self._hass.config_entries.async_get_entry(self._entry_id)
        if entry is not None:
            entry.async_create_background_task(
                self._hass, self.async_refresh_forecast(), f"{DOMAIN} peak forecast"
            )

    async def async_refresh_forecast(self) -> None:
        """The forecast again from the recorder's hourly means (if it has them)."""
        if "recorder" not in self._hass.config.components:
            return
        config = self.host.config
        entity_ids = baseline_entity_ids(self._hass, self._unique_id, config.phases)
        if entity_ids is None:
            return
        end = dt_util.utcnow()
        try:
            hours = await async_hourly_baseline_kw(
                self._hass,
                entity_ids,
                config.voltage_v,
                end - timedelta(weeks=WEEKS_KEPT),
                end,
            )
        except (HomeAssistantError, SQLAlchemyError) as err:
            # The forecast stays as it was (cold: the fuse alone limits).
            _LOGGER.warning(
                "Statistics for the peak forecast of %s not read: %s",
                self._site_name,
                err,
            )
            return
        fresh = BaselineForecast(self.tariff)
        for hour_start, kw in hours:
            fresh.add_hour(hour_start, kw)
        # What the loop learnt since the start may know more (a young recorder).
        if fresh.hours_seen >= self.controller.forecast.hours_seen:
            self.controller.forecast = fresh
            self.forecast_source = "recorder"
            _LOGGER.debug(
                "Peak forecast of %s from %d recorded hours",
                self._site_name,
                fresh.hours_seen,
            )

    def before_round(
        self,
        time: RoundTime,
        reading: MeterReading | None,
        reports: Mapping[str, ChargerReport],
        runtime: SiteRuntime,
    ) -> None:
        """This round's inputs into the host; the cap goes into `runtime`."""
        tracker = self.controller.tracker
        window_before = tracker.window_start_s
        decision = self.host.before_round(time, reading, reports, runtime)
        if tracker.window_start_s != window_before:
            self.store.schedule_save()  # a window closed: the day's peak may be new
        if reading is not None and tracker.new_peak and window_before is not None:
            self._fire_new_peak(window_before)
        if self.forecast_source is None and self.controller.forecast.ready:
            self.forecast_source = "loop"
        self.view = self._view(time.wall, decision is not None)

    def _fire_new_peak(self, window_start_s: float) -> None:
        tracker = self.controller.tracker
        self._hass.bus.async_fire(
            EVENT_NEW_MONTHLY_PEAK,
            {
                "entry_id": self._entry_id,
                "site": self._site_name,
                "billed_kw": round(tracker.billed_kw(), 3),
                "month_peak_kw": round(tracker.month_peak_kw(), 3),
                "window_start": dt_util.utc_from_timestamp(window_start_s).isoformat(),
            },
        )

    def _view(self, wall: float, measured: bool) -> PeakView:
        controller = self.controller
        tracker = controller.tracker
        decision = controller.last
        peaks = sorted(
            tracker.daily_peaks_kw.items(), key=lambda item: item[1], reverse=True
        )[: self.tariff.peaks_counted]
        billed = tracker.billed_kw()
        price = self.tariff.price_per_kw
        return PeakView(
            mode=decision.mode if decision is not None else PeakMode.LEARNING,
            window_average_kw=tracker.average_kw(wall) if measured else None,
            projection_kw=tracker.projection_kw(wall) if measured else None,
            billed_kw=billed,
            month_peak_kw=tracker.month_peak_kw(),
            counted_peaks=tuple(peaks),
            target_kw=None if decision is None else decision.target_kw,
            planned_kw=None if decision is None else decision.planned_kw,
            cost=None if price is None else billed * price,
            forecast_hours=controller.forecast.hours_seen,
            forecast_source=self.forecast_source,
        )
