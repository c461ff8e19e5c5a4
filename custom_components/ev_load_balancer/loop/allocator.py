"""What the loop asks of an allocator: the balancer, or (in the simulator) a
weaker strategy to compare it with, through the very same input path."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from ..balancer import (
    Allocation,
    BalancerSettings,
    ChargerInput,
    ChargerLimit,
    CircuitReading,
    Reason,
    Site,
)
from ..balancer.engine import QueueEntry


class Allocator(Protocol):
    """Turns one round's inputs into limits; `Balancer` is the one HA runs."""

    @property
    def settings(self) -> BalancerSettings: ...

    def configure(self, settings: BalancerSettings) -> None: ...

    def allocate(
        self,
        now: float,
        site: Site,
        site_measured_a: Sequence[float],
        chargers: Sequence[ChargerInput],
        *,
        site_measured_at: float | None = None,
        circuit_readings: Mapping[str, CircuitReading] | None = None,
    ) -> Allocation: ...

    def failsafe(
        self,
        now: float,
        site: Site,
        chargers: Sequence[ChargerInput],
        *,
        static_share: bool,
        building_reserve_a: float,
    ) -> Allocation: ...

    def queue_entries(self, now: float) -> dict[str, QueueEntry]: ...

    def restore_queue(self, entries: dict[str, QueueEntry], now: float) -> None: ...

    def next_change_s(self, now: float) -> float:
        """When its answer may change with the same readings (inf: never)."""
        ...


def everyone_paused(site: Site, chargers: Sequence[ChargerInput]) -> Allocation:
    """The last resort when no allocator could answer: every charger at 0 A."""
    return Allocation(
        limits={c.charger_id: ChargerLimit(0.0, Reason.FAILSAFE, ()) for c in chargers},
        baseline_a=(0.0,) * site.phases,
        available_a=(0.0,) * site.phases,
        allocated_a=(0.0,) * site.phases,
        failsafe=True,
    )
