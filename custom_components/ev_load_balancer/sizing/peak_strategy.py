"""Peak shaving in a replay: our balancer under the peak controller's cap.

The strategy runs the loop with its own balancer, as "ours" does, and before
every round the same PeakHost that Home Assistant's coordinator uses sets
peak shaving's cap (SiteRuntime.peak_cap_a) from the meter and the charger
reports. Departures and
energy are not told: the host learns them per charger as sessions end. The
forecast may be seeded with the building's load before the period (what the
recorder would hold), else it starts cold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
import math

from ..balancer import BalancerSettings, Site, Strategy as BalancingStrategy
from ..loop import ChargerReport, RoundTime, SiteRuntime
from ..meter.base import MeterReading
from ..peak import PeakController, PeakHost, Tariff
from .baseline_series import BaselineSeries
from .controllers import BalancerController
from .model import ChargerSpec
from .sim_loop_config import loop_config

# The host decides at least this often within a window (s).
_DECIDE_S = 60.0


class PeakStrategy(BalancerController):
    """Our balancer with peak shaving on top."""

    name = "peak"

    def __init__(
        self,
        tariff: Tariff,
        site: Site,
        chargers: Sequence[ChargerSpec],
        settings: BalancerSettings | None = None,
    ) -> None:
        # The host tells the balancer the departures it learnt: share by them.
        super().__init__(
            replace(
                settings or BalancerSettings(), strategy=BalancingStrategy.DEPARTURE
            )
        )
        self.controller = PeakController(
            tariff,
            phases=site.phases,
            voltage_v=site.voltage_v,
            fuse_a=site.fuse_a - site.margin_a,
        )
        self.host = PeakHost(
            self.controller, loop_config(site, chargers, self.settings)
        )
        self._decided_at = -math.inf

    def seed_forecast(self, history: BaselineSeries, wall_start_s: float) -> None:
        """The building's load from `wall_start_s` on, as the recorder had it."""
        volts = self.host.config.voltage_v
        forecast = self.controller.forecast
        for index, sample in enumerate(history.values_a):
            forecast.add(
                wall_start_s + index * history.step_s, sum(sample) * volts / 1000.0
            )

    def before_round(
        self,
        time: RoundTime,
        reading: MeterReading | None,
        reports: Mapping[str, ChargerReport],
        runtime: SiteRuntime,
    ) -> None:
        self.host.before_round(time, reading, reports, runtime)
        self._decided_at = time.now

    def next_wake_s(self, now_s: float) -> float:
        """A hold running out, or the next decision of the peak host."""
        return min(super().next_wake_s(now_s), self._decided_at + _DECIDE_S)
