"""The command channel to one charger, as a state machine without I/O.

One command at a time, the newest limit wins: while a command is out the loop
only updates the wanted limit; when it completes, the next one goes. After a
failure the link waits (5, 10, 30, 60 s) before it tries again. The host does
the sending (an HA service call, an OCPP message, a simulated delay) and
reports back with `succeeded` or `failed`. Reading a property never changes
the link: what changes it is a named call.
"""

from __future__ import annotations

from dataclasses import dataclass
import math

RETRY_BACKOFF_S = (5.0, 10.0, 30.0, 60.0)
RAISE_INTERVAL_S = 5.0
RAISE_DEADBAND_A = 1.0
SMALL_RAISE_INTERVAL_S = 60.0


@dataclass(slots=True)
class CommandLink:
    """What was asked of a charger, what it accepted, and how it fails."""

    # The newest limit the loop wants the charger to have.
    desired_a: float | None = None
    # The limit now on its way (one at a time).
    in_flight_a: float | None = None
    # What the charger last accepted (None: unknown, e.g. after a failure).
    applied_a: float | None = None
    applied_at: float | None = None
    failing_since: float | None = None
    # What began the current run of failures (the root cause to report) and the last.
    first_error: str | None = None
    last_error: str | None = None
    # The charger could not be reached (not connected, entity unavailable):
    # that failure ends as soon as it is back.
    out_of_reach: bool = False
    # When the last command left.
    sent_at: float = -math.inf
    _failures: int = 0
    _retry_at: float = 0.0

    @property
    def busy(self) -> bool:
        return self.in_flight_a is not None

    def request(self, current_a: float, now: float) -> float | None:
        """Want `current_a`; the limit to send now, or None (nothing to do yet)."""
        self.desired_a = current_a
        return self._next(now)

    def succeeded(self, now: float) -> float | None:
        """The command in flight was accepted; the next limit to send, if any."""
        self.applied_a = self.in_flight_a
        self.applied_at = now
        self.in_flight_a = None
        self._trusted_again()
        return self._next(now)

    def failed(self, now: float, reason: str, *, out_of_reach: bool) -> None:
        """The command in flight was not accepted; retried after a backoff."""
        self.in_flight_a = None
        self.out_of_reach = out_of_reach
        if self.failing_since is None:
            self.failing_since = now
            self.first_error = reason
        self.last_error = reason
        self.applied_a = None
        self._retry_at = (
            now + RETRY_BACKOFF_S[min(self._failures, len(RETRY_BACKOFF_S) - 1)]
        )
        self._failures += 1

    def back_within_reach(self) -> None:
        """A charger that could not be reached is back: trusted at once.

        Asking it to pause first, as an untrusted charger is, would stop its
        EV for nothing, and a backoff would leave it unbalanced meanwhile.
        """
        if self.out_of_reach and self.failing_since is not None:
            self._trusted_again()

    def abandon(self) -> None:
        """The command in flight will never report back (unload, restart)."""
        self.in_flight_a = None

    def _trusted_again(self) -> None:
        self.failing_since = None
        self.first_error = self.last_error = None
        self.out_of_reach = False
        self._failures = 0
        self._retry_at = 0.0

    def _next(self, now: float) -> float | None:
        target = self.desired_a
        if (
            target is None
            or self.in_flight_a is not None
            or target == self.applied_a
            or now < self._retry_at
        ):
            return None
        self.in_flight_a = target
        self.sent_at = now
        return target

    def raise_due_s(self, current_a: float, ceiling_a: float) -> float | None:
        """When a higher limit may go out (None: it is not a raise).

        A charger is sent at most one raise per RAISE_INTERVAL_S, and a small
        one (less than RAISE_DEADBAND_A, short of `ceiling_a`) at most once
        per SMALL_RAISE_INTERVAL_S: real chargers are slow to take a new
        profile, and some write each one to flash. Decreases never wait.
        """
        held = self.in_flight_a if self.in_flight_a is not None else self.applied_a
        if held is None or current_a <= held or held == 0:
            return None
        small = current_a - held < RAISE_DEADBAND_A and current_a < ceiling_a
        return self.sent_at + (SMALL_RAISE_INTERVAL_S if small else RAISE_INTERVAL_S)
