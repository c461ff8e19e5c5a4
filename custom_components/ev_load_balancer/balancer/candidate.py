"""An EV that wants current this round, with everything the engine derived for it."""

from __future__ import annotations

from dataclasses import dataclass, field

from .memory import ChargerMemory
from .model import ChargerInput, Reason

# Loaded phases by weights: a site has a handful of distinct weights.
_LOADED: dict[tuple[int, ...], tuple[tuple[int, int], ...]] = {}
_CACHE_LIMIT = 4096


@dataclass(slots=True)
class Candidate:
    """One charger competing for current in its priority class."""

    charger: ChargerInput
    memory: ChargerMemory
    load_phases: tuple[int, ...]
    weights: tuple[int, ...]
    ceiling_a: float
    ceiling_reason: Reason
    laxity_s: float = 0.0
    floor_a: float = 0.0
    floor_reason: Reason | None = None
    # (phase, weight) of every loaded phase.
    loaded: tuple[tuple[int, int], ...] = field(init=False)

    def __post_init__(self) -> None:
        loaded = _LOADED.get(self.weights)
        if loaded is None:
            loaded = tuple(
                (phase, weight) for phase, weight in enumerate(self.weights) if weight
            )
            if len(_LOADED) >= _CACHE_LIMIT:
                _LOADED.clear()
            _LOADED[self.weights] = loaded
        self.loaded = loaded

    def fits(self, residual: list[float], current_a: float) -> bool:
        """Whether `current_a` on every loaded phase fits in `residual`."""
        for phase, weight in self.loaded:
            if residual[phase] + 1e-9 < weight * current_a:
                return False
        return True

    def take(self, residual: list[float], current_a: float) -> None:
        """Reserve `current_a` on every loaded phase."""
        for phase, weight in self.loaded:
            residual[phase] -= weight * current_a
