"""What the stand-in chargers do electrically: EVs that follow what they are allowed.

A charger allows its EV the smallest of its own limit, its share of a group
limit (spread the way a brand's own load balancing would: water filling per
phase, below 6 A nothing) and the EV's own maximum; nothing while paused,
full or unplugged. The building meter is a baseline per phase plus every
EV's draw, on the site phases the charger's conductors are wired to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
import math

from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT, UnitOfElectricCurrent
from homeassistant.core import HomeAssistant

from custom_components.ev_load_balancer.config_model import connection_wiring

AMPS = {ATTR_UNIT_OF_MEASUREMENT: UnitOfElectricCurrent.AMPERE}
METER = ("sensor.main_l1", "sensor.main_l2", "sensor.main_l3")
PILOT_MIN_A = 6.0


@dataclass
class Ev:
    """The EV plugged into a charger."""

    max_a: float = 16.0
    phases: int = 3
    full: bool = False


@dataclass
class StandInCharger:
    """One charger of a stand-in integration and the EV plugged into it."""

    key: str
    connection: str = "three_phase_l1l2l3"
    ev: Ev | None = field(default_factory=Ev)
    limit_a: float = 16.0  # its own limit (number, service)
    paused: bool = False
    phases_mode: int = 3  # 1 while switched to one phase
    # Set by the group it belongs to; None: no group limit.
    group_share_a: float | None = None
    # A phase switch re-closes the contactors: counts how often that happened.
    phase_switches: int = 0

    @property
    def wiring(self) -> tuple[int, ...]:
        return connection_wiring(self.connection)

    @property
    def conductors_used(self) -> int:
        if self.ev is None:
            return 0
        return min(self.ev.phases, self.phases_mode, len(self.wiring))

    def wants(self) -> bool:
        return self.ev is not None and not self.ev.full and not self.paused

    def allowed_a(self) -> float:
        """What the charger's pilot allows (its own limit and its group share)."""
        allowed = self.limit_a
        if self.group_share_a is not None:
            allowed = min(allowed, self.group_share_a)
        return allowed if allowed >= PILOT_MIN_A else 0.0

    def draw(self) -> tuple[float, ...]:
        """Current per charger conductor."""
        current = 0.0
        if self.wants() and self.ev is not None:
            current = min(self.allowed_a(), self.ev.max_a)
        used = self.conductors_used
        return tuple(current if i < used else 0.0 for i in range(len(self.wiring)))

    def load_on(self, phase: int) -> float:
        return sum(
            value
            for conductor, value in enumerate(self.draw())
            if self.wiring[conductor] == phase
        )


def spread_group_limit(
    limit_per_phase: tuple[float, ...], members: Iterable[StandInCharger]
) -> None:
    """Share a group's per-phase limit among its members, as the brand would.

    Water filling in 0.1 A steps: every member that wants current grows
    until its own limit, its EV or a phase of the group stops it; a member
    left below 6 A gets nothing and its part goes to the others.
    """
    active = [m for m in members if m.wants()]
    for member in members:
        member.group_share_a = 0.0
    while True:
        shares = _water_fill(limit_per_phase, active)
        starved = [m for m in active if 0 < shares[m.key] < PILOT_MIN_A]
        if not starved:
            break
        active = [m for m in active if m not in starved]
    for member in active:
        member.group_share_a = shares[member.key]


def _water_fill(
    limit_per_phase: tuple[float, ...], active: list[StandInCharger]
) -> dict[str, float]:
    shares = {m.key: 0.0 for m in active}
    room = list(limit_per_phase)
    step = 0.1
    growing = list(active)
    while growing:
        still = []
        for member in growing:
            cap = min(member.limit_a, member.ev.max_a if member.ev else 0.0)
            phases = [member.wiring[i] for i in range(member.conductors_used)]
            if shares[member.key] + step > cap + 1e-9:
                continue
            if any(room[p] < step - 1e-9 for p in phases):
                continue
            shares[member.key] += step
            for p in phases:
                room[p] -= step
            still.append(member)
        growing = still
    return {key: math.floor(value * 10 + 1e-6) / 10 for key, value in shares.items()}


@dataclass
class Building:
    """The site: its baseline, its chargers, its meter as three HA sensors."""

    hass: HomeAssistant
    baseline_a: list[float] = field(default_factory=lambda: [10.0, 10.0, 10.0])
    chargers: list[StandInCharger] = field(default_factory=list)
    # Called before the meter is written: integrations push their states.
    before_publish: list[Callable[[], None]] = field(default_factory=list)

    def add(self, charger: StandInCharger) -> StandInCharger:
        self.chargers.append(charger)
        return charger

    def site_current(self) -> list[float]:
        site = list(self.baseline_a)
        for charger in self.chargers:
            for phase in range(3):
                site[phase] += charger.load_on(phase)
        return site

    def publish(self) -> None:
        """Every stand-in writes its states, then the meter its reading."""
        for push in self.before_publish:
            push()
        for entity_id, value in zip(METER, self.site_current(), strict=True):
            self.hass.states.async_set(
                entity_id, f"{value:.2f}", AMPS, force_update=True
            )

    def assert_within(self, fuse_a: float) -> None:
        """What flows on each phase stays within the fuse."""
        for phase, value in enumerate(self.site_current()):
            assert value <= fuse_a + 1e-6, f"L{phase + 1}: {value:.1f} A"
