"""The apartment-block baseline: BDEW H25 per flat, phases, noise, spikes."""

from __future__ import annotations

from datetime import datetime

import pytest

from evlb_sim.offline.apartment_baseline import (
    ApartmentBaselineSpec,
    SpikeSpec,
    apartment_baseline,
)
from evlb_sim.offline.bdew import dynamisation, load_h25


def test_the_profile_adds_up_to_its_yearly_energy() -> None:
    profile = load_h25()
    start = datetime.fromisoformat("2023-01-01T00:00")
    kwh = sum(
        profile.power_kw(
            datetime.fromordinal(start.toordinal() + day).replace(hour=h, minute=m),
            1000.0,
        )
        / 4
        for day in range(365)
        for h in range(24)
        for m in (0, 15, 30, 45)
    )
    assert kwh == pytest.approx(1000.0, rel=0.02)


def test_winter_evenings_draw_more_than_summer_nights() -> None:
    profile = load_h25()
    assert dynamisation(15) == pytest.approx(1.27, abs=0.02)
    winter_evening = profile.power_kw(datetime.fromisoformat("2024-01-10T18:00"), 3500)
    summer_night = profile.power_kw(datetime.fromisoformat("2024-07-10T03:00"), 3500)
    assert winter_evening > 2.5 * summer_night


def test_flats_spread_unevenly_over_the_phases() -> None:
    spec = ApartmentBaselineSpec(apartments=30, noise=0.0, phase_split=(0.5, 0.3, 0.2))
    series = apartment_baseline(
        spec, datetime.fromisoformat("2024-01-08T00:00"), 24 * 60
    )
    means = series.mean_a(0.0, series.duration_s)
    assert means[0] / means[2] == pytest.approx(2.5, rel=1e-3)
    # 30 flats x 3500 kWh a year in January: about 12-16 kW on average.
    watts = sum(means) * 230
    assert 10_000 < watts < 18_000


def test_spikes_add_their_current_on_their_phases_only() -> None:
    quiet = ApartmentBaselineSpec(apartments=0, common_a=(1.0, 1.0, 1.0))
    lift = SpikeSpec(
        name="lift", phases=(0, 2), amps=10.0, per_day=50.0, duration_min=(2.0, 2.0)
    )
    series = apartment_baseline(
        ApartmentBaselineSpec(apartments=0, common_a=(1.0, 1.0, 1.0), spikes=(lift,)),
        datetime.fromisoformat("2024-01-08T00:00"),
        24 * 60,
    )
    plain = apartment_baseline(
        quiet, datetime.fromisoformat("2024-01-08T00:00"), 24 * 60
    )
    assert plain.peak_a() == (1.0, 1.0, 1.0)
    assert series.peak_a()[0] == pytest.approx(11.0)
    assert series.peak_a()[1] == 1.0
    extra_minutes = sum(v[0] - 1.0 for v in series.values_a) / 10.0
    assert 30 * 2 < extra_minutes < 70 * 2  # about 50 two-minute runs
