"""One three-phase EV on a 63 A site, read at given moments: the fixture of
the tests on credit and hold timing."""

from __future__ import annotations

from custom_components.ev_load_balancer.balancer import (
    ChargerInput,
    ChargerState,
    Rotation,
    Site,
)

SITE = Site(phases=3, fuse_a=63.0, margin_a=3.0)


def charging(draw_a: float, taken_at: float) -> ChargerInput:
    """The EV drawing `draw_a` on each phase, as read at `taken_at`."""
    return ChargerInput(
        charger_id="cp",
        wiring=Rotation.L1L2L3.wiring,
        state=ChargerState.CHARGING,
        max_a=16.0,
        measured_a=(draw_a,) * 3,
        measured_at=taken_at,
    )
