"""What users and automations change at run time: plain data, kept across restarts.

Priorities set by automations, boosts, exclusions, departures with the energy
still needed, the enabled switch, a temporary site limit and the queue. The
site has two temporary caps, each with its own field: the user's
(`set_site_limit`) and peak shaving's (peak/host.py). Neither writes the
other's; the balancer gets the lower of the two (`active_site_limit`), and the
fuse stays below both (`Site.usable_a` takes the lower of cap and fuse). The
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
    # Peak shaving's estimate of the same (learnt per charger), used only
    # while the user set no departure; never stored, never an event.
    estimated_departure: float | None = None  # wall clock
    estimated_energy_kwh: float | None = None

    def end_session(self) -> None:
        """The EV left: boost and departure belonged to it."""
        self.boost = False
        self.boost_until = None
        self.clear_departure()
        self.estimated_departure = None
        self.estimated_energy_kwh = None

    def clear_departure(self) -> None:
        self.departure = None
        self.energy_wanted_kwh = None


@dataclass(slots=True)
class SiteRuntime:
    """Run-time settings of the site."""

    enabled: bool = True
    # The user's temporary limit (set_site_limit); stored across restarts.
    site_limit_a: float | None = None
    site_limit_until: float | None = None  # wall clock
    # Peak shaving's cap, renewed every round it decides; not stored: it
    # lapses by itself when peak shaving stops deciding.
    peak_cap_a: float | None = None
    peak_cap_until: float | None = None  # wall clock
    chargers: dict[str, ChargerRuntime] = field(default_factory=dict)
    queue: dict[str, QueueEntry] = field(default_factory=dict)

    def charger(self, charger_id: str) -> ChargerRuntime:
        runtime = self.chargers.get(charger_id)
        if runtime is None:
            runtime = self.chargers[charger_id] = ChargerRuntime()
        return runtime

    def user_site_limit(self, wall_now: float) -> float | None:
        """The user's temporary limit, or None when none is set or it expired."""
        if self.site_limit_a is None:
            return None
        if self.site_limit_until is not None and wall_now >= self.site_limit_until:
            self.site_limit_a = None
            self.site_limit_until = None
            return None
        return self.site_limit_a

    def peak_cap(self, wall_now: float) -> float | None:
        """Peak shaving's cap, or None when none is set or it lapsed."""
        if self.peak_cap_a is None:
            return None
        if self.peak_cap_until is not None and wall_now >= self.peak_cap_until:
            self.peak_cap_a = None
            self.peak_cap_until = None
            return None
        return self.peak_cap_a

    def active_site_limit(self, wall_now: float) -> float | None:
        """The cap the balancer gets: the lower of the user's and peak shaving's.

        None when neither is set. The fuse is not here: `Site.usable_a`
        takes the lower of this cap and the fuse, so the fuse always wins.
        """
        return merged_cap(self.user_site_limit(wall_now), self.peak_cap(wall_now))


def merged_cap(*caps: float | None) -> float | None:
    """The one merge rule of temporary caps: the lowest one set wins."""
    present = [cap for cap in caps if cap is not None]
    return min(present) if present else None
