"""Charger profiles: one module per integration that users drive chargers with."""

from __future__ import annotations

from . import (
    alfen,
    easee,
    goe,
    keba,
    ocpp_lbbrhzn,
    peblar,
    tesla_wall_connector,
    wallbox,
    zaptec,
)
from .model import ChargerProfile

PROFILES: dict[str, ChargerProfile] = {
    module.PROFILE.key: module.PROFILE
    for module in (
        easee,
        zaptec,
        goe,
        wallbox,
        ocpp_lbbrhzn,
        keba,
        peblar,
        alfen,
        tesla_wall_connector,
    )
}

__all__ = ["PROFILES", "ChargerProfile"]
