"""The runtime data a loaded site keeps on its config entry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from homeassistant.config_entries import ConfigEntry

from .controls import SiteControls
from .coordinator import BalancerCoordinator
from .device_info import DeviceWords
from .ocpp_runtime import OcppRuntime


@dataclass(kw_only=True)
class EvLoadBalancerData:
    """What a loaded site keeps."""

    coordinator: BalancerCoordinator
    controls: SiteControls
    ocpp: OcppRuntime  # the site's OCPP server (off unless enabled in options)
    # Data and subentries at setup: a change there needs a reload, options do not.
    structure: Any
    device_words: DeviceWords = field(default_factory=DeviceWords)


type EvLoadBalancerConfigEntry = ConfigEntry[EvLoadBalancerData]
