"""What users and automations change at run time: plain data, kept across restarts.

Priorities set by automations, boosts, exclusions, departures with the energy
still needed, the enabled switch, a temporary site limit and the queue. The
deadlines here are wall-clock instants (POSIX seconds): they must survive a
restart, which the loop's monotonic clock does not. Home Assistant stores this
(runtime_state.py); the simulator keeps it in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..balancer import QueueEntry


@dataclass(slots=True)
class ChargerRuntime:
    """Run-time settings of one charger."""

    priority: int | None = None  # None: the configured priority
    boost: bool = False
    boost_until: float | None = None  # wall clock; None with boost: until unplugged
    included: bool = True
    departure: float | None = None  # wall clock
    # Energy the EV still needs (kWh): set with the departure, counted down by
    # what the charger delivers.
    energy_wanted_kwh: float | None = None

    def end_session(self) -> None:
        """The EV left: boost and departure belonged to it."""
        self.boost = False
        self.boost_until = None
        self.clear_departure()

    def clear_departure(self) -> None:
        self.departure = None
        self.energy_wanted_kwh = None


@dataclass(slots=True)
class SiteRuntime:
    """Run-time settings of the site."""

    enabled: bool = True
    site_limit_a: float | None = None
    site_limit_until: float | None = None  # wall clock
    chargers: dict[str, ChargerRuntime] = field(default_factory=dict)
    queue: dict[str, QueueEntry] = field(default_factory=dict)

    def charger(self, charger_id: str) -> ChargerRuntime:
        runtime = self.chargers.get(charger_id)
        if runtime is None:
            runtime = self.chargers[charger_id] = ChargerRuntime()
        return runtime

    def active_site_limit(self, wall_now: float) -> float | None:
        """The temporary cap, or None when none is set or it expired."""
        if self.site_limit_a is None:
            return None
        if self.site_limit_until is not None and wall_now >= self.site_limit_until:
            self.site_limit_a = None
            self.site_limit_until = None
            return None
        return self.site_limit_a
