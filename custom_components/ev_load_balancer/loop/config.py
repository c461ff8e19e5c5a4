"""What the loop needs to know about a site and its chargers: plain data.

Home Assistant builds this from the config entry (config_model.py), the
simulator from a scenario; both hand the same record to the same loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..balancer import BalancerSettings, Circuit, Site


@dataclass(frozen=True, slots=True, kw_only=True)
class LoopCharger:
    """One charger as installed and configured."""

    charger_id: str
    name: str
    # Site phase (0-based) of each charger conductor L1, L2, L3.
    wiring: tuple[int, ...]
    min_a: float
    max_a: float
    priority: int
    # The charger accepts a higher limit at most this often (Zaptec: 900 s).
    increase_interval_s: float = 0.0
    # The circuit it hangs on (LoopConfig.circuits); None: the main fuse.
    circuit_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LoopConfig:
    """The site, its tunables and its chargers."""

    name: str
    phases: int
    fuse_a: float
    margin_a: float
    voltage_v: float
    balancer: BalancerSettings = field(default_factory=BalancerSettings)
    # Without a trusted meter: share this much below the usable current
    # (static share), or pause every EV.
    failsafe_static_share: bool = True
    failsafe_reserve_a: float = 0.0
    # A meter reading older than this is stale (failsafe).
    stale_after_s: float = 30.0
    chargers: tuple[LoopCharger, ...] = ()
    # Fuses below the main fuse (sub-boards, rows); the readings of those with
    # a meter come with each round (ControlLoop.run_round).
    circuits: tuple[Circuit, ...] = ()
    # The margin follows the building's quick rises (loop/spike_margin.py),
    # never below `margin_a`.
    margin_follows_spikes: bool = False

    def site(self, cap_a: float | None = None, margin_a: float | None = None) -> Site:
        """The balancer's site, with a temporary cap if one is set (and the
        margin in use, when it follows the building's rises)."""
        return Site(
            phases=self.phases,
            fuse_a=self.fuse_a,
            margin_a=self.margin_a if margin_a is None else margin_a,
            voltage_v=self.voltage_v,
            cap_a=cap_a,
            circuits=self.circuits,
        )
