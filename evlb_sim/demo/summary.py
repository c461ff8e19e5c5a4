"""The lines the demo prints: one a minute, and one at the end."""

from __future__ import annotations

from evlb_sim.live.site import SiteSnapshot
from evlb_sim.live.site_stats import LoadWindow

PHASE_NAMES = ("L1", "L2", "L3")


def _peaks(window: LoadWindow) -> str:
    return " ".join(
        f"{name} {peak:5.1f}"
        for name, peak in zip(PHASE_NAMES, window.peak_a, strict=False)
    )


def minute_line(
    snapshot: SiteSnapshot, window: LoadWindow, *, fuse_a: float, chargers: int
) -> str:
    """What the last minute looked like on the main feed, and the EVs now."""
    over = (
        f" ABOVE THE FUSE {window.over_fuse_s:.0f} s" if window.over_fuse_s > 0 else ""
    )
    return (
        f"[{snapshot.sim_time:%a %H:%M}] peak {_peaks(window)} A "
        f"(fuse {fuse_a:g} A){over} | EVs: {snapshot.charging} charging, "
        f"{snapshot.waiting} waiting, {snapshot.full} full, "
        f"{snapshot.ev_power_w / 1000:.1f} kW | {snapshot.delivered_kwh:.1f} kWh "
        f"delivered | {snapshot.online}/{chargers} chargers online"
    )


def final_line(
    snapshot: SiteSnapshot, total: LoadWindow, *, fuse_a: float, sessions: int
) -> str:
    """The whole run."""
    minutes = snapshot.wall_s / 60.0
    return (
        f"Ran {minutes:.1f} min up to {snapshot.sim_time:%a %H:%M} simulated: "
        f"highest load {_peaks(total)} A against a {fuse_a:g} A fuse, "
        f"{total.over_fuse_s:.0f} s above it; {snapshot.delivered_kwh:.1f} kWh "
        f"delivered in {sessions} sessions."
    )


def setup_line(
    seconds: float, window: LoadWindow, *, fuse_a: float, chargers: int
) -> str:
    """The setup: the site and every charger adopted, and the main feed meanwhile."""
    return (
        f"  set up in {seconds:.0f} s ({chargers} chargers adopted and online): "
        f"peak {_peaks(window)} A on the main feed, "
        f"{window.over_fuse_s:.0f} s above the {fuse_a:g} A fuse"
    )
