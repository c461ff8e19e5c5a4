"""When would a gG fuse melt? A conservative time-current curve and a damage sum.

Source: IEC 60269-1 (Low-voltage fuses, general requirements), the gates for
gG fuse-links: Imin(10 s), the current below which the fuse must hold at
least 10 s, and Imin(0.1 s), below which it must hold at least 0.1 s; and the
conventional non-fusing current Inf = 1.25 In, which it must carry for the
conventional time (1 h up to 63 A, 2 h up to 160 A, 3 h up to 400 A).

The curve used here joins (Inf, conventional time), (Imin(10 s), 10 s) and
(Imin(0.1 s), 0.1 s) straight on log-log axes, and continues past the last gate
at constant I²t. Every real gG fuse melts later than this line, so a load that
this curve lets through is safe for any compliant fuse. Below Inf the fuse
never melts.

A time-varying overload is checked with Miner's rule: the fraction of the
melting time spent at each current adds up; at 1 the fuse melts. The sum
restarts when the current falls back to the rating (the fuse cools down).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
import math

# In (A): (Imin(10 s), Imin(0.1 s)) in A, IEC 60269-1 gG gates.
GG_GATES_A: dict[int, tuple[float, float]] = {
    16: (33.0, 85.0),
    20: (42.0, 110.0),
    25: (52.0, 150.0),
    32: (75.0, 200.0),
    40: (95.0, 260.0),
    50: (125.0, 350.0),
    63: (160.0, 450.0),
    80: (215.0, 610.0),
    100: (290.0, 820.0),
    125: (355.0, 1100.0),
    160: (460.0, 1450.0),
    200: (610.0, 1910.0),
    250: (750.0, 2590.0),
    315: (1050.0, 3420.0),
    400: (1420.0, 4500.0),
}
NON_FUSING_FACTOR = 1.25  # Inf / In for gG above 16 A


@dataclass(frozen=True, slots=True)
class GgFuseCurve:
    """Earliest melting time of a gG fuse of rating `rated_a`."""

    rated_a: float
    points: tuple[tuple[float, float], ...]  # (current A, melting time s), rising A

    @classmethod
    def for_rating(cls, rated_a: float) -> GgFuseCurve:
        """The curve for any rating: the nearest standard rating, scaled."""
        if rated_a <= 0:
            raise ValueError("fuse rating must be positive")
        standard = min(GG_GATES_A, key=lambda value: abs(math.log(value / rated_a)))
        scale = rated_a / standard
        ten_s, tenth_s = GG_GATES_A[standard]
        points = (
            (NON_FUSING_FACTOR * rated_a, conventional_time_s(rated_a)),
            (ten_s * scale, 10.0),
            (tenth_s * scale, 0.1),
        )
        return cls(rated_a, points)

    def melting_time_s(self, current_a: float) -> float:
        """Earliest time the fuse may melt at a constant current (inf: never)."""
        points = self.points
        if current_a <= points[0][0]:
            return math.inf
        for (low_a, low_s), (high_a, high_s) in pairwise(points):
            if current_a <= high_a:
                slope = math.log(high_s / low_s) / math.log(high_a / low_a)
                return low_s * math.exp(slope * math.log(current_a / low_a))
        last_a, last_s = points[-1]
        return last_s * (last_a / current_a) ** 2  # adiabatic: I²t constant


def conventional_time_s(rated_a: float) -> float:
    """IEC 60269 conventional time for gG fuse-links."""
    if rated_a <= 63:
        return 3600.0
    if rated_a <= 160:
        return 7200.0
    if rated_a <= 400:
        return 10800.0
    return 14400.0


@dataclass(slots=True)
class FuseDamage:
    """Miner's-rule damage of one fuse link over a current that changes in steps."""

    curve: GgFuseCurve
    current: float = 0.0
    worst: float = 0.0

    def add(self, current_a: float, duration_s: float) -> None:
        """`current_a` flowed for `duration_s`."""
        if current_a <= self.curve.rated_a:
            self.current = 0.0
            return
        melting = self.curve.melting_time_s(current_a)
        if math.isfinite(melting):
            self.current += duration_s / melting
            self.worst = max(self.worst, self.current)

    @property
    def melted(self) -> bool:
        """Whether the fuse would have melted at some point."""
        return self.worst >= 1.0


def worst_damage(curve: GgFuseCurve, steps: Iterable[tuple[float, float]]) -> float:
    """Worst damage over (current A, duration s) steps (1 = melts)."""
    damage = FuseDamage(curve)
    for current_a, duration_s in steps:
        damage.add(current_a, duration_s)
    return damage.worst
