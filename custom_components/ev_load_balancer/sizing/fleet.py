"""Which EVs come to the chargers: phases and maximum current, as a weighted mix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
import random


@dataclass(frozen=True, slots=True, kw_only=True)
class EvType:
    """One kind of EV in a fleet, by how it charges on AC."""

    phases: int
    max_a: float
    share: float

    def __post_init__(self) -> None:
        if self.phases not in (1, 3):
            raise ValueError("an EV charges on 1 or 3 phases")
        if self.max_a <= 0 or self.share < 0:
            raise ValueError("EV max current must be positive and share not negative")

    def power_kw(self, voltage_v: float, charger_max_a: float) -> float:
        """Highest power this EV charges at on a charger of `charger_max_a`."""
        return self.phases * min(self.max_a, charger_max_a) * voltage_v / 1000.0


# A residential fleet around 2020: 11 kW three-phase cars (Tesla, Kona, e-tron,
# i3 since 2019), 7.4 kW single-phase cars (Leaf, I-Pace) and 3.7 kW
# single-phase cars and plug-in hybrids.
RESIDENTIAL_FLEET: tuple[EvType, ...] = (
    EvType(phases=3, max_a=16.0, share=0.5),
    EvType(phases=1, max_a=32.0, share=0.3),
    EvType(phases=1, max_a=16.0, share=0.2),
)


def pick_ev_type(
    rng: random.Random,
    fleet: Sequence[EvType],
    *,
    min_power_kw: float = 0.0,
    voltage_v: float = 230.0,
    charger_max_a: float = 32.0,
) -> EvType:
    """A random EV type, among those fast enough for `min_power_kw` if any are."""
    if not fleet:
        raise ValueError("the fleet has no EV types")
    able = [
        ev
        for ev in fleet
        if ev.power_kw(voltage_v, charger_max_a) >= min_power_kw and ev.share > 0
    ]
    if not able:  # nobody is fast enough: the fastest type
        return max(fleet, key=lambda ev: ev.power_kw(voltage_v, charger_max_a))
    return rng.choices(able, weights=[ev.share for ev in able])[0]
