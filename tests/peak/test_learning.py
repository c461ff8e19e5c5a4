"""The baseline forecast and the sessions learnt per charger."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from custom_components.ev_load_balancer.peak import BaselineForecast, Tariff
from custom_components.ev_load_balancer.peak.sessions import (
    DEFAULT_ENERGY_KWH,
    PastSession,
    SessionLearner,
)

OSLO = ZoneInfo("Europe/Oslo")


def test_forecast_is_cold_then_gives_weekday_hour_quantiles() -> None:
    forecast = BaselineForecast(Tariff(timezone="Europe/Oslo"))
    monday = datetime(2020, 1, 6, tzinfo=OSLO).timestamp()
    assert not forecast.ready
    assert forecast.at(monday) is None
    for day in range(14):
        for minute in range(0, 24 * 60, 10):
            wall = monday + day * 86400 + minute * 60
            hour = minute // 60
            # Evenings 30 kW, nights 5 kW; the second Monday evening 50 kW.
            kw = 30.0 if 17 <= hour < 22 else 5.0
            if day == 7 and 17 <= hour < 22:
                kw = 50.0
            forecast.add(wall, kw)
    assert forecast.ready
    assert forecast.power_kw(0, 3) == pytest.approx(5.0)
    # Two Mondays at 18:00: 30 and 50 kW; the 0.8 quantile leans high.
    assert forecast.power_kw(0, 18) == pytest.approx(46.0)
    assert forecast.power_kw(2, 18) == pytest.approx(30.0)
    restored = BaselineForecast(forecast.tariff)
    restored.restore(forecast.to_dict())
    assert restored.power_kw(0, 18) == pytest.approx(46.0)
    restored.restore({"history": {"x": [1]}})  # malformed: kept as it was
    assert restored.ready


def test_sessions_learnt_per_charger_and_arrival_hour() -> None:
    learner = SessionLearner()
    cold = learner.expect("cp1", 18)
    assert not cold.learned
    assert cold.energy_kwh == DEFAULT_ENERGY_KWH
    for stay_h, energy in [(13, 10.0), (14, 12.0), (12, 8.0), (13, 11.0)]:
        learner.record("cp1", PastSession(18, stay_h * 3600.0, energy))
    learner.record("cp1", PastSession(9, 2 * 3600.0, 3.0))  # a daytime top-up
    evening = learner.expect("cp1", 19)
    assert evening.learned
    # Short stay and large energy on the safe side, day sessions left out.
    assert 12 * 3600 <= evening.stay_s <= 13 * 3600
    assert 11.0 <= evening.energy_kwh <= 12.0
    # Another charger without history borrows the site's sessions.
    assert learner.expect("cp2", 18).learned
    copy = SessionLearner()
    copy.restore(learner.to_dict())
    assert copy.expect("cp1", 19) == evening


def test_hourly_means_from_statistics_make_a_forecast() -> None:
    forecast = BaselineForecast(Tariff(timezone="Europe/Oslo"))
    start = datetime(2020, 1, 6, tzinfo=ZoneInfo("Europe/Oslo")).timestamp()
    for hour in range(23):
        forecast.add_hour(start + hour * 3600.0, 5.0 + hour)
    assert not forecast.ready  # less than a day: fuse only
    forecast.add_hour(start + 23 * 3600.0, 28.0)
    assert forecast.ready
    # Monday 18:00 local: its own hour's mean.
    assert forecast.at(start + 18 * 3600.0 + 600.0) == pytest.approx(23.0)
