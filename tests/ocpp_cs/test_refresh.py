"""Renewals of the dynamic limit: well before expiry, spread over chargers."""

from __future__ import annotations

from custom_components.ev_load_balancer.ocpp_cs.refresh import refresh_delay


def test_renewals_fall_between_30_and_50_percent_of_the_validity() -> None:
    delays = [refresh_delay(f"CP{n}", 120.0) for n in range(200)]
    assert all(36.0 <= delay <= 60.0 for delay in delays)
    # Spread: not one burst, and about evenly over the window.
    assert max(delays) - min(delays) > 20.0
    per_bucket = [
        sum(1 for d in delays if 36 + 6 * i <= d < 42 + 6 * i) for i in range(4)
    ]
    assert min(per_bucket) >= 25


def test_a_charger_keeps_its_own_moment() -> None:
    assert refresh_delay("CP7", 120.0) == refresh_delay("CP7", 120.0)
    assert refresh_delay("CP7", 240.0) == 2 * refresh_delay("CP7", 120.0)
