"""Hypothesis strategies: random sites, chargers and measurements.

Hypothesis draws the fleet size and a seed; the fleet itself comes from a seeded
generator, so that 500 chargers fit in one example and failures still shrink to
few chargers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import random

from hypothesis import strategies as st

from custom_components.ev_load_balancer.balancer import (
    ChargerInput,
    ChargerState,
    Rotation,
    Site,
)


@dataclass(frozen=True)
class FleetSpec:
    """What kind of fleet to generate."""

    states: tuple[ChargerState, ...] = tuple(ChargerState)
    priorities: tuple[int, ...] = (0, 0, 0, 1, 2)
    controllable_ratio: float = 0.9
    step_a: float = 0.1


@dataclass(frozen=True)
class Scenario:
    """A site, its chargers and one site reading."""

    site: Site
    chargers: list[ChargerInput]
    site_measured_a: tuple[float, ...]
    seed: int = field(default=0, compare=False)


def random_wiring(rng: random.Random, phases: int) -> tuple[int, ...]:
    """A three-phase rotation, or a single-phase charger on any site phase."""
    if phases == 1:
        return (0,)
    if rng.random() < 0.6:
        return rng.choice(list(Rotation)).wiring
    return (rng.randrange(3),)


def random_charger(
    rng: random.Random, charger_id: str, phases: int, spec: FleetSpec
) -> ChargerInput:
    wiring = random_wiring(rng, phases)
    min_a = rng.choice((6.0, 6.0, 6.0, 8.0, 10.0))
    max_a = rng.uniform(min_a, 80.0)
    state = rng.choice(spec.states)
    measured: tuple[float, ...] = ()
    if state is ChargerState.CHARGING and rng.random() < 0.9:
        drawing = rng.randint(1, len(wiring))
        level = rng.uniform(0.0, max_a)
        measured = tuple(
            level if i < drawing else rng.uniform(0.0, 0.5) for i in range(len(wiring))
        )
    elif rng.random() < 0.5:
        measured = tuple(rng.uniform(0.0, 0.5) for _ in wiring)
    return ChargerInput(
        charger_id=charger_id,
        wiring=wiring,
        state=state,
        min_a=min_a,
        max_a=max_a,
        measured_a=measured,
        priority=rng.choice(spec.priorities),
        controllable=rng.random() < spec.controllable_ratio,
        step_a=spec.step_a,
    )


def build_scenario(seed: int, count: int, spec: FleetSpec) -> Scenario:
    rng = random.Random(seed)
    phases = rng.choice((1, 3))
    fuse = rng.uniform(10.0, 400.0)
    site = Site(
        phases=phases,
        fuse_a=fuse,
        margin_a=rng.uniform(0.0, 10.0),
        voltage_v=rng.choice((230.0, 240.0, 120.0)),
    )
    fleet = [random_charger(rng, f"cp{i}", phases, spec) for i in range(count)]
    ev_draw = [0.0] * phases
    for charger in fleet:
        for conductor, value in enumerate(charger.measured_a):
            ev_draw[charger.wiring[conductor]] += value
    # Baselines from idle to beyond the fuse, sometimes below the EVs' own draw.
    measured = tuple(max(0.0, ev + rng.uniform(-5.0, fuse * 1.3)) for ev in ev_draw)
    return Scenario(site, fleet, measured, seed)


def scenarios(
    max_chargers: int = 500, spec: FleetSpec | None = None
) -> st.SearchStrategy[Scenario]:
    """Random scenarios, mostly small fleets, up to `max_chargers`."""
    sizes = st.one_of(st.integers(1, 12), st.integers(1, max_chargers))
    return st.builds(
        build_scenario,
        seed=st.integers(0, 2**32 - 1),
        count=sizes,
        spec=st.just(spec or FleetSpec()),
    )
