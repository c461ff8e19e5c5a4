"""The runtime data a loaded site keeps on its config entry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from homeassistant.config_entries import ConfigEntry

from .controls import SiteControls
from .coordinator import BalancerCoordinator
from .device_info import DeviceWords
from .ocpp_runtime import OcppRuntime
from .site_changes import ChargerPlatforms


@dataclass(kw_only=True)
class EvLoadBalancerData:
    """What a loaded site keeps."""

    coordinator: BalancerCoordinator
    controls: SiteControls
    ocpp: OcppRuntime  # the site's OCPP server (off unless enabled in options)
    # Data, server settings and other subentries at setup: a change there
    # needs a reload; chargers and other options change in place.
    structure: Any
    platforms: ChargerPlatforms = field(default_factory=ChargerPlatforms)
    # The same for each circuit's entities (keyed by circuit id).
    circuit_platforms: ChargerPlatforms = field(default_factory=ChargerPlatforms)
    device_words: DeviceWords = field(default_factory=DeviceWords)


type EvLoadBalancerConfigEntry = ConfigEntry[EvLoadBalancerData]
