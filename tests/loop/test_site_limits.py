"""The user's temporary limit and peak shaving's cap: one merge rule, the fuse wins."""

from __future__ import annotations

from hypothesis import given, strategies as st
import pytest

from custom_components.ev_load_balancer.loop import SiteRuntime
from custom_components.ev_load_balancer.loop.runtime import merged_cap

from .helpers import at, charging, config, meter, new_loop

FUSE_A = 40.0
MARGIN_A = 2.0
caps = st.none() | st.floats(min_value=0.0, max_value=200.0)


def test_the_lowest_cap_set_wins() -> None:
    assert merged_cap(None, None) is None
    assert merged_cap(30.0, None) == 30.0
    assert merged_cap(None, 25.0) == 25.0
    assert merged_cap(30.0, 25.0) == 25.0
    assert merged_cap(20.0, 25.0) == 20.0


def test_each_cap_expires_on_its_own() -> None:
    runtime = SiteRuntime(site_limit_a=30.0, site_limit_until=100.0)
    runtime.peak_cap_a, runtime.peak_cap_until = 25.0, 50.0
    assert runtime.active_site_limit(10.0) == 25.0
    # Peak shaving's cap lapsed: the user's limit is still there.
    assert runtime.active_site_limit(60.0) == 30.0
    assert runtime.peak_cap_a is None
    assert runtime.site_limit_a == 30.0
    assert runtime.active_site_limit(100.0) is None


def test_clearing_one_leaves_the_other() -> None:
    runtime = SiteRuntime(site_limit_a=30.0)
    runtime.peak_cap_a = 25.0
    runtime.site_limit_a = None  # clear_site_limit
    assert runtime.active_site_limit(0.0) == 25.0
    runtime.site_limit_a, runtime.peak_cap_a = 18.0, None  # peak: no cap needed
    assert runtime.active_site_limit(0.0) == 18.0


@pytest.mark.parametrize(
    ("user_a", "peak_a", "usable_a"),
    [
        (None, None, FUSE_A - MARGIN_A),
        (30.0, None, 30.0 - MARGIN_A),
        (None, 25.0, 25.0 - MARGIN_A),
        (30.0, 25.0, 25.0 - MARGIN_A),
        (20.0, 25.0, 20.0 - MARGIN_A),
        # Above the fuse: the fuse wins.
        (60.0, 80.0, FUSE_A - MARGIN_A),
        (None, 80.0, FUSE_A - MARGIN_A),
    ],
)
def test_a_round_uses_the_merged_cap(
    user_a: float | None, peak_a: float | None, usable_a: float
) -> None:
    loop = new_loop(2)
    loop.runtime.site_limit_a = user_a
    loop.runtime.peak_cap_a = peak_a
    now = 1.0
    result = loop.run_round(
        at(now), meter(now, 5.0), {"cp1": charging(now, 0.0), "cp2": charging(now, 0)}
    )
    assert result.allocation is not None
    snapshot = loop.snapshot()
    assert snapshot.usable_a == pytest.approx(usable_a)
    assert snapshot.site_limit_a == user_a
    assert snapshot.peak_cap_a == peak_a
    # What the two EVs get, with the building's 5 A, stays under it.
    given_a = sum(limit.current_a for limit in result.allocation.limits.values())
    assert 5.0 + given_a <= usable_a + 1e-9


@given(user_a=caps, peak_a=caps, wall=st.floats(min_value=0.0, max_value=1e4))
def test_the_fuse_always_wins(
    user_a: float | None, peak_a: float | None, wall: float
) -> None:
    runtime = SiteRuntime(site_limit_a=user_a, site_limit_until=5e3)
    runtime.peak_cap_a, runtime.peak_cap_until = peak_a, 2e3
    site = config(2).site(runtime.active_site_limit(wall))
    assert site.usable_a <= FUSE_A - MARGIN_A
    live = [
        cap
        for cap, until in ((user_a, 5e3), (peak_a, 2e3))
        if cap is not None and wall < until
    ]
    for cap in live:
        assert site.usable_a <= max(0.0, cap - MARGIN_A)
