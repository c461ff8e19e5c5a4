"""Tariff windows, the month's peaks, a month boundary and DST in local time."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from custom_components.ev_load_balancer.peak import Tariff, WindowTracker

OSLO = ZoneInfo("Europe/Oslo")


def wall(*args: int) -> float:
    return datetime(*args, tzinfo=OSLO).timestamp()


def feed(tracker: WindowTracker, start: float, end: float, kw: float) -> None:
    """Hold `kw` from start to end, sampled each minute."""
    time_s = start
    while time_s < end:
        tracker.add(time_s, kw)
        time_s += 60.0
    tracker.add(end, kw)


def test_rejects_odd_windows_and_zones() -> None:
    with pytest.raises(ValueError, match="window"):
        Tariff(window_minutes=30)
    with pytest.raises(ValueError, match="peak"):
        Tariff(peaks_counted=0)
    with pytest.raises(KeyError):
        Tariff(timezone="Nowhere/City")


def test_windows_follow_the_local_clock() -> None:
    tariff = Tariff(window_minutes=15, timezone="Europe/Oslo")
    assert tariff.window_start(wall(2020, 1, 5, 10, 44, 59)) == wall(2020, 1, 5, 10, 30)
    hourly = Tariff(window_minutes=60, timezone="Asia/Kolkata")  # UTC+5:30
    start = datetime(2020, 1, 5, 10, 59, tzinfo=ZoneInfo("Asia/Kolkata"))
    assert datetime.fromtimestamp(
        hourly.window_start(start.timestamp()), ZoneInfo("Asia/Kolkata")
    ) == start.replace(minute=0)


def test_mean_of_three_daily_peaks_and_the_free_level() -> None:
    tariff = Tariff(peaks_counted=3)
    peaks = {
        date(2020, 1, d): kw for d, kw in [(1, 30.0), (2, 50.0), (3, 20.0), (4, 40.0)]
    }
    assert tariff.billed_kw(peaks) == pytest.approx(40.0)
    # Today (the 3rd) may rise to the third highest of the other days for free.
    assert tariff.free_level_kw(peaks, date(2020, 1, 3)) == pytest.approx(30.0)
    assert Tariff().billed_kw(peaks) == 50.0


def test_window_average_projection_and_daily_peaks() -> None:
    tracker = WindowTracker(Tariff(window_minutes=60, timezone="Europe/Oslo"))
    feed(tracker, wall(2020, 1, 6, 17), wall(2020, 1, 6, 17, 30), 40.0)
    now = wall(2020, 1, 6, 17, 30)
    assert tracker.average_kw(now) == pytest.approx(40.0)
    tracker.add(now, 10.0)
    assert tracker.projection_kw(now) == pytest.approx(25.0)
    feed(tracker, now, wall(2020, 1, 6, 18, 1), 10.0)
    assert tracker.daily_peaks_kw == {date(2020, 1, 6): pytest.approx(25.0)}
    assert tracker.new_peak is False  # the 18:00 window is not over yet
    assert tracker.counted_peaks_kw() == [pytest.approx(25.0)]


def test_month_boundary_in_local_time_starts_a_new_month() -> None:
    tracker = WindowTracker(Tariff(window_minutes=60, timezone="Europe/Oslo"))
    # 23:00-24:00 local on 31 January is 22:00-23:00 UTC: still January.
    feed(tracker, wall(2020, 1, 31, 23), wall(2020, 2, 1, 0, 30), 60.0)
    assert tracker.month == (2020, 2)
    assert tracker.daily_peaks_kw == {}
    feed(tracker, wall(2020, 2, 1, 0, 30), wall(2020, 2, 1, 1, 1), 20.0)
    assert tracker.daily_peaks_kw == {date(2020, 2, 1): pytest.approx(40.0)}


def test_dst_day_has_23_windows_and_peaks_stay_on_their_day() -> None:
    tariff = Tariff(window_minutes=60, timezone="Europe/Oslo")
    tracker = WindowTracker(tariff)
    start, end = wall(2020, 3, 29, 0), wall(2020, 3, 30, 0)
    assert end - start == 23 * 3600  # clocks go forward at 02:00
    feed(tracker, start, end, 5.0)
    # 03:00 local follows 01:00: the window from 03:00 is a clean clock hour.
    assert tariff.window_start(wall(2020, 3, 29, 3, 10)) == wall(2020, 3, 29, 3)
    feed(tracker, end, wall(2020, 3, 30, 0, 30), 50.0)
    feed(tracker, wall(2020, 3, 30, 0, 30), wall(2020, 3, 30, 1, 1), 50.0)
    assert tracker.daily_peaks_kw[date(2020, 3, 29)] == pytest.approx(5.0)
    assert tracker.daily_peaks_kw[date(2020, 3, 30)] == pytest.approx(50.0)


def test_a_gap_longer_than_a_window_integrates_nothing() -> None:
    tracker = WindowTracker(Tariff(window_minutes=15))
    tracker.add(0.0, 100.0)
    tracker.add(7200.0, 1.0)  # two hours without a sample (a restart)
    tracker.add(7200.0 + 900.0, 1.0)
    assert max(tracker.daily_peaks_kw.values()) == pytest.approx(1.0)


def test_peaks_survive_a_restart_through_to_dict() -> None:
    tariff = Tariff(window_minutes=60, peaks_counted=3)
    tracker = WindowTracker(tariff)
    feed(tracker, 0.0, 3600.0 + 60, 30.0)
    restored = WindowTracker(tariff)
    restored.restore(tracker.to_dict())
    restored.add(3600.0 * 5, 1.0)  # same month: kept
    assert restored.daily_peaks_kw == tracker.daily_peaks_kw
    restored.restore({"month": "garbage"})
    assert restored.daily_peaks_kw == tracker.daily_peaks_kw


def test_hour_weights_make_the_billed_average() -> None:
    with pytest.raises(ValueError, match="day hours"):
        Tariff(day_start_hour=22, day_end_hour=6)
    with pytest.raises(ValueError, match="weights"):
        Tariff(night_weight=1.5)
    with pytest.raises(ValueError, match="some hours"):
        Tariff(day_weight=0.0, night_weight=0.0)
    tariff = Tariff(
        timezone="Europe/Oslo", day_start_hour=6, day_end_hour=22, night_weight=0.5
    )
    assert tariff.weight(wall(2020, 1, 6, 21, 59)) == 1.0
    assert tariff.weight(wall(2020, 1, 6, 22, 0)) == 0.5
    assert tariff.weight(wall(2020, 1, 7, 5, 0)) == 0.5
    tracker = WindowTracker(tariff)
    feed(tracker, wall(2020, 1, 6, 23), wall(2020, 1, 7, 0, 1), 40.0)
    feed(tracker, wall(2020, 1, 7, 12), wall(2020, 1, 7, 13, 1), 30.0)
    # The night hour's 40 kW bills as 20 kW; the day's 30 kW as itself.
    assert tracker.daily_peaks_kw[date(2020, 1, 6)] == pytest.approx(20.0)
    assert tracker.daily_peaks_kw[date(2020, 1, 7)] == pytest.approx(30.0)
