"""A simulated EV: follows its charger's limit late, tapers near full, stops full.

Its draw is piecewise constant: it changes only when a limit takes effect, when
the EV becomes full, or at a taper step. Energy is integrated exactly between
those moments, so the simulation can jump from one change to the next.
"""

from __future__ import annotations

from collections import deque
import math

from .model import EvModel, Session

# Below this much energy still wanted (kWh) the EV counts as full: float noise.
FULL_EPSILON_KWH = 1e-9
# While tapering, the EV re-evaluates what it accepts this often.
TAPER_STEP_S = 60.0


class SimulatedEv:
    """One session's EV on its charger, drawing the same current on each phase."""

    __slots__ = (
        "_history",
        "_kwh_per_amp_s",
        "_lag_s",
        "_min_a",
        "_model",
        "_offset_s",
        "_pending",
        "_updated_s",
        "_visible_at",
        "applied_limit_a",
        "delivered_kwh",
        "draw_a",
        "full_at",
        "session",
        "voltage_v",
    )

    def __init__(
        self,
        session: Session,
        *,
        phase_count: int,
        model: EvModel,
        voltage_v: float,
        min_a: float,
        lag_s: float | None = None,
        offset_s: float = 0.0,
    ) -> None:
        self.session = session
        self._model = model
        self._min_a = min_a
        self.voltage_v = voltage_v
        # Its charger reports the draw every `lag_s`, at `offset_s` into
        # each period: a reading is up to that old.
        self._lag_s = model.measurement_lag_s if lag_s is None else lag_s
        self._offset_s = offset_s % self._lag_s if self._lag_s > 0 else 0.0
        self._kwh_per_amp_s = phase_count * voltage_v / 3.6e6
        self.delivered_kwh = 0.0
        self.draw_a = 0.0
        self.applied_limit_a = 0.0
        self.full_at: float | None = None
        self._pending: list[tuple[float, float]] = []
        self._updated_s = session.arrival_s
        self._history: deque[tuple[float, float]] = deque([(session.arrival_s, 0.0)])
        # When the charger's first report showing the latest draw comes.
        self._visible_at = session.arrival_s
        if session.energy_kwh <= FULL_EPSILON_KWH:
            self.full_at = session.arrival_s

    @property
    def remaining_kwh(self) -> float:
        """Energy the EV still wants."""
        return max(0.0, self.session.energy_kwh - self.delivered_kwh)

    @property
    def commanded_limit_a(self) -> float:
        """The latest limit sent to the charger (it may not have taken effect)."""
        return self._pending[-1][1] if self._pending else self.applied_limit_a

    def acceptance_a(self) -> float:
        """Current the EV takes now if the limit allows it (taper near full)."""
        model = self._model
        maximum = self.session.ev_max_a
        if model.taper_kwh <= 0:
            return maximum
        share = self.remaining_kwh / model.taper_kwh
        return maximum * min(1.0, max(model.taper_floor, share))

    def command(self, now: float, limit_a: float) -> None:
        """The charger got a new limit at `now`; the EV follows after a delay."""
        if limit_a == self.commanded_limit_a:
            return
        model = self._model
        lower = limit_a < self.commanded_limit_a
        delay = model.decrease_delay_s if lower else model.increase_delay_s
        takes_effect = now + delay
        # A newer command supersedes older ones that have not yet taken effect.
        self._pending = [p for p in self._pending if p[0] < takes_effect]
        self._pending.append((takes_effect, limit_a))

    def next_event_s(self) -> float:
        """When the draw changes next by itself (inf when it will not)."""
        soonest = self._pending[0][0] if self._pending else math.inf
        return min(soonest, self.next_self_change_s())

    def next_self_change_s(self) -> float:
        """When the EV changes its draw on its own: full, or a taper step."""
        if not self.draw_a or self.full_at is not None:
            return math.inf
        rate = self.draw_a * self._kwh_per_amp_s
        soonest = self._updated_s + self.remaining_kwh / rate
        if self._tapering():
            soonest = min(soonest, self._updated_s + TAPER_STEP_S)
        return soonest

    def advance(self, now: float) -> bool:
        """Bring the EV to `now`; True if its draw changed."""
        changed = False
        while self._pending and self._pending[0][0] <= now:
            takes_effect, limit_a = self._pending.pop(0)
            self._integrate(takes_effect)
            self.applied_limit_a = limit_a
            changed |= self._redraw(takes_effect)
        self._integrate(now)
        changed |= self._redraw(now)
        return changed

    def set_phase_count(self, now: float, phase_count: int) -> None:
        """Its charger switched phases (1p/3p): energy per ampere from `now` on."""
        self.advance(now)
        self._kwh_per_amp_s = phase_count * self.voltage_v / 3.6e6

    def unplug(self, now: float) -> None:
        """The EV leaves: integrate up to `now` and stop drawing."""
        self.advance(now)
        self._pending.clear()
        if self.draw_a:
            self.draw_a = 0.0
            self._changed_at(now)

    def sample_time(self, now: float) -> float:
        """When the charger took the reading it reports at `now`."""
        period = self._lag_s
        if period <= 0:
            return now
        offset = self._offset_s
        return math.floor((now - offset) / period + 1e-9) * period + offset

    def measured_a(self, now: float) -> tuple[float, float]:
        """The draw as the charger reports it at `now`, and when that reading
        was taken (its latest periodic report)."""
        taken = self.sample_time(now)
        history = self._history
        while len(history) > 1 and history[1][0] <= taken:
            history.popleft()
        value = history[0][1] if history[0][0] <= taken else 0.0
        return value, taken

    def measurement_settled(self, now: float) -> bool:
        """Whether the charger's reading already shows the current draw."""
        return now >= self._visible_at

    def unreported_change_a(self, now: float) -> float:
        """How far the draw is from what the charger reported last (A)."""
        return abs(self.draw_a - self.measured_a(now)[0])

    def next_report_s(self, now: float) -> float:
        """The charger's next report after `now` (inf: it reports continuously)."""
        period = self._lag_s
        return self.sample_time(now) + period if period > 0 else math.inf

    @property
    def visible_at(self) -> float:
        """When the first report showing the current draw comes."""
        return self._visible_at

    def _changed_at(self, when: float) -> None:
        self._history.append((when, self.draw_a))
        self._visible_at = self._first_sample_from(when)

    def _first_sample_from(self, when: float) -> float:
        period = self._lag_s
        if period <= 0:
            return when
        offset = self._offset_s
        return math.ceil((when - offset) / period - 1e-9) * period + offset

    @property
    def responding(self) -> bool:
        """Whether a limit is still on its way to the EV."""
        return bool(self._pending)

    def _tapering(self) -> bool:
        taper = self._model.taper_kwh
        return taper > 0 and self.remaining_kwh < taper

    def _integrate(self, until: float) -> None:
        elapsed = until - self._updated_s
        if elapsed <= 0:
            return
        if self.draw_a and self.full_at is None:
            added = self.draw_a * self._kwh_per_amp_s * elapsed
            remaining = self.remaining_kwh
            if added >= remaining - FULL_EPSILON_KWH:
                rate = self.draw_a * self._kwh_per_amp_s
                self.full_at = min(until, self._updated_s + remaining / rate)
                self.delivered_kwh = self.session.energy_kwh
            else:
                self.delivered_kwh += added
        self._updated_s = until

    def _redraw(self, now: float) -> bool:
        if self.full_at is not None or self.applied_limit_a < self._min_a:
            draw = 0.0
        else:
            draw = min(self.applied_limit_a, self.acceptance_a())
        if draw == self.draw_a:
            return False
        self.draw_a = draw
        when = now if self.full_at is None else min(self.full_at, now)
        self._history.append((when, draw))
        self._visible_at = self._first_sample_from(when)
        return True
