"""The runtime data a loaded site keeps on its config entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigEntry

from .controls import SiteControls
from .coordinator import BalancerCoordinator


@dataclass(kw_only=True)
class EvLoadBalancerData:
    """What a loaded site keeps."""

    coordinator: BalancerCoordinator
    controls: SiteControls
    # Data and subentries at setup: a change there needs a reload, options do not.
    structure: Any


type EvLoadBalancerConfigEntry = ConfigEntry[EvLoadBalancerData]
