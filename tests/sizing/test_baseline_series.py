"""The baseline series: lookups, means, and resampling a recorder's history."""

from __future__ import annotations

from datetime import datetime

import pytest

from custom_components.ev_load_balancer.sizing import BaselineSeries

START = datetime.fromisoformat("2024-01-08T00:00")


def test_lookup_and_next_change() -> None:
    series = BaselineSeries(START, 60.0, ((1.0,), (2.0,), (3.0,)))
    assert series.at(59.9) == (1.0,)
    assert series.at(60.0) == (2.0,)
    assert series.at(1e6) == (3.0,)  # the last value holds
    assert series.next_change_s(30.0) == 60.0
    assert series.next_change_s(150.0) == float("inf")
    assert series.peak_a() == (3.0,)


def test_time_weighted_mean() -> None:
    series = BaselineSeries(START, 60.0, ((0.0, 6.0, 0.0), (60.0, 6.0, 0.0)))
    assert series.mean_a(30.0, 90.0) == pytest.approx([30.0, 6.0, 0.0])


def test_change_based_samples_resample_to_step_means() -> None:
    samples = [(-10.0, (5.0,)), (30.0, (15.0,)), (75.0, (0.0,))]
    series = BaselineSeries.from_samples(START, samples, step_s=60.0, end_s=180.0)
    assert [value for (value,) in series.values_a] == pytest.approx([10.0, 3.75, 0.0])


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ((), "empty"),
        (((1.0, 2.0),), "1 or 3 phases"),
        (((1.0,), (1.0, 2.0, 3.0)), "same phase count"),
        (((-1.0,),), "not negative"),
    ],
)
def test_bad_series_are_refused(
    values: tuple[tuple[float, ...], ...], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        BaselineSeries(START, 60.0, values)
