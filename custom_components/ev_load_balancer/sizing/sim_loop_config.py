"""The loop's configuration for a simulated site, as HA's defaults set it."""

from __future__ import annotations

from collections.abc import Sequence

from ..balancer import BalancerSettings, Site
from ..loop import LoopCharger, LoopConfig
from .model import ChargerSpec

# Without a trusted meter Home Assistant's default keeps half the fuse for the
# building (config_model.Tunables); the stale limit is its default too.
_FAILSAFE_RESERVE_SHARE = 0.5
_STALE_AFTER_S = 30.0
# A fuse for strategies that ignore it: their meter is never "absurd".
_NO_FUSE_A = 1e9


def loop_config(
    site: Site,
    chargers: Sequence[ChargerSpec],
    settings: BalancerSettings,
    *,
    ignores_fuse: bool = False,
    margin_follows_spikes: bool = False,
) -> LoopConfig:
    """The loop's configuration for a simulated site, as HA's defaults set it."""
    return LoopConfig(
        name="simulated site",
        phases=site.phases,
        fuse_a=_NO_FUSE_A if ignores_fuse else site.fuse_a,
        margin_a=site.margin_a,
        margin_follows_spikes=margin_follows_spikes and not ignores_fuse,
        voltage_v=site.voltage_v,
        balancer=settings,
        failsafe_static_share=True,
        failsafe_reserve_a=site.fuse_a * _FAILSAFE_RESERVE_SHARE,
        stale_after_s=_STALE_AFTER_S,
        circuits=site.circuits,
        chargers=tuple(
            LoopCharger(
                charger_id=spec.charger_id,
                name=spec.charger_id,
                wiring=spec.wiring,
                min_a=spec.min_a,
                max_a=spec.max_a,
                priority=0,
                increase_interval_s=spec.increase_interval_s,
                circuit_id=spec.circuit_id,
            )
            for spec in chargers
        ),
    )
