"""The loop's one clock, and the only place wall-clock time is converted.

The loop runs on a monotonic clock (seconds; in Home Assistant
`time.monotonic()`, in the simulator simulated seconds): hold times, queue
waits, reading ages and command backoffs never jump when the wall clock does.
Deadlines that users set and that survive a restart (a departure, the end of a
boost or of a temporary cap) are wall-clock instants; each round carries the
wall time beside its loop time, and `RoundTime` converts between the two.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RoundTime:
    """One round's moment on the loop clock, and the wall time at that moment."""

    now: float  # loop clock (monotonic seconds)
    wall: float  # POSIX seconds

    def to_loop(self, wall_ts: float) -> float:
        """A wall-clock instant on the loop clock."""
        return wall_ts - self.wall + self.now

    def to_wall(self, loop_ts: float) -> float:
        """A loop-clock instant as wall-clock time."""
        return loop_ts - self.now + self.wall
