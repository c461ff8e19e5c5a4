"""Chargers wired otherwise than configured, for the wiring detector's runs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
import random

from custom_components.ev_load_balancer.balancer import Rotation
from custom_components.ev_load_balancer.sizing import ChargerSpec

_ROTATIONS = tuple(rotation.wiring for rotation in Rotation)


def miswire(
    chargers: Sequence[ChargerSpec], count: int, seed: int, site_phases: int = 3
) -> tuple[ChargerSpec, ...]:
    """`count` of the chargers (picked with `seed`) installed otherwise than
    configured: a 3-phase one with another rotation, a 1-phase one on another
    phase. The others stay as configured."""
    if count <= 0:
        return tuple(chargers)
    rng = random.Random(seed)
    picked = set(rng.sample(range(len(chargers)), count))
    wired: list[ChargerSpec] = []
    for index, charger in enumerate(chargers):
        if index not in picked:
            wired.append(charger)
            continue
        options: list[tuple[int, ...]]
        if len(charger.wiring) == 3:
            options = [w for w in _ROTATIONS if w != charger.wiring]
        else:
            options = [(p,) for p in range(site_phases) if (p,) != charger.wiring]
        if not options:
            raise ValueError("a 1-phase site has no other phase to miswire to")
        wired.append(replace(charger, installed=rng.choice(options)))
    return tuple(wired)
