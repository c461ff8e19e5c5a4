"""Circuits under the main fuse: sub-boards and rows, each with its own fuse.

The site is the root of a tree. Every other node is a `Circuit`: a fuse
rating per phase, its own margin, optionally its own meter, and which phases
of its parent each of its phases is fed from. A charger belongs to one circuit
(or to the site itself); its wiring stays in site phases, as everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
import math

# A circuit's meter reading older than this (s) cannot be trusted.
CIRCUIT_STALE_AFTER_S = 30.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Circuit:
    """One fuse below the main fuse."""

    circuit_id: str
    # None: fed directly from the main fuse (the site).
    parent_id: str | None = None
    # The parent's phase (0-based) that feeds each of this circuit's phases.
    parent_phases: tuple[int, ...]
    rating_a: float
    margin_a: float = 0.0
    # Whether a meter measures this circuit (see CircuitReading).
    metered: bool = False
    # Non-EV load assumed on each phase when the circuit has no meter (its own
    # loads; those of circuits under it are added), or when its meter cannot
    # be trusted (then its chargers get failsafe limits).
    reserve_a: float = 0.0
    # Without a trusted meter: share what is left below the fuse (static
    # share), or pause every EV of the circuit.
    failsafe_static_share: bool = True
    stale_after_s: float = CIRCUIT_STALE_AFTER_S

    def __post_init__(self) -> None:
        count = len(self.parent_phases)
        if count not in (1, 2, 3) or len(set(self.parent_phases)) != count:
            raise ValueError(f"{self.circuit_id}: 1 to 3 distinct parent phases")
        if min(self.parent_phases) < 0:
            raise ValueError(f"{self.circuit_id}: parent phases are 0-based")
        if self.rating_a <= 0 or self.margin_a < 0 or self.reserve_a < 0:
            raise ValueError(
                f"{self.circuit_id}: rating must be positive, margin and "
                "reserve not negative"
            )

    @property
    def phases(self) -> int:
        """Number of phases this circuit carries."""
        return len(self.parent_phases)

    @property
    def usable_a(self) -> float:
        """Current per phase that the circuit's loads and EVs may use."""
        return max(0.0, self.rating_a - self.margin_a)


@dataclass(frozen=True, slots=True)
class CircuitReading:
    """A circuit meter's current per circuit phase, and when it was taken."""

    current_a: tuple[float, ...]
    measured_at: float

    def trusted(self, circuit: Circuit, now: float) -> bool:
        """Whether this reading may be balanced on (fresh, complete, finite)."""
        return (
            len(self.current_a) == circuit.phases
            and all(math.isfinite(value) for value in self.current_a)
            and now - self.measured_at <= circuit.stale_after_s
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class CircuitLoad:
    """One circuit in a round's outcome, per circuit phase."""

    baseline_a: tuple[float, ...]
    # usable - baseline; negative when overloaded.
    available_a: tuple[float, ...]
    allocated_a: tuple[float, ...]
    overloaded_phases: tuple[int, ...] = ()
    # Its meter could not be trusted: its chargers got failsafe limits.
    failsafe: bool = False

    @property
    def headroom_a(self) -> tuple[float, ...]:
        """What is left per phase after the baseline and every EV limit."""
        return tuple(
            avail - alloc
            for avail, alloc in zip(self.available_a, self.allocated_a, strict=True)
        )
