"""Replay EV sessions on a site through a controller, jumping from event to event.

Between events nothing changes: the baseline holds per sample, every EV draws
a constant current. So the replay visits only the moments where something
happens (a plug-in or -out, an EV full or following a new limit, a new
baseline sample, a reading arriving late) and, while anything still moves,
every site meter reading (see `ControlTiming`). A settled site is visited on
the baseline samples its controller cares about, on the controller's timers
and every few minutes; an empty one not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
import math

from ..balancer import BalancerSettings, ChargerInput, Site
from .baseline_series import BaselineSeries
from .charger_runtime import ChargerRuntime, SessionOutcome
from .controllers import BalancerController, Controller
from .model import ChargerSpec, ControlTiming, EvModel, Session
from .trace import PhaseTrace, TraceRecorder

_ARRIVAL, _DEPARTURE = 1, 0  # departures first, so a charger frees up in time


@dataclass(frozen=True, slots=True)
class SimulationResult:
    """Everything a replay produced; metrics are computed from it."""

    strategy: str
    site: Site
    baseline: BaselineSeries
    outcomes: tuple[SessionOutcome, ...]
    # Total EV current per site phase over time (what the EVs really drew).
    ev_trace: PhaseTrace
    start_s: float
    end_s: float
    rounds: int
    # Worst of baseline + commanded limits - fuse, over every round and phase
    # (A). Not positive: the controller never asked for more than the fuse.
    commanded_excess_a: float


def simulate(
    site: Site,
    baseline: BaselineSeries,
    chargers: Sequence[ChargerSpec],
    sessions: Sequence[Session],
    *,
    controller: Controller | None = None,
    ev_model: EvModel | None = None,
    timing: ControlTiming | None = None,
) -> SimulationResult:
    """Replay `sessions` on `chargers` through `controller` (default: ours)."""
    if baseline.phases != site.phases:
        raise ValueError("baseline and site must have the same number of phases")
    replay = _Replay(
        site,
        baseline,
        chargers,
        sessions,
        controller=controller or BalancerController(BalancerSettings()),
        ev_model=ev_model or EvModel(),
        timing=timing or ControlTiming(),
    )
    return replay.run()


class _Replay:
    """The event loop of one simulation run.

    Only chargers with an EV plugged in take part in a round: the balancer
    gives an empty charger 0 A whatever happens, and forgets what it knew about
    it just as when it reports no EV. That keeps a round's cost to the EVs
    present, not to the chargers installed.
    """

    def __init__(
        self,
        site: Site,
        baseline: BaselineSeries,
        chargers: Sequence[ChargerSpec],
        sessions: Sequence[Session],
        *,
        controller: Controller,
        ev_model: EvModel,
        timing: ControlTiming,
    ) -> None:
        self.site = site
        self.baseline = baseline
        self.controller = controller
        self.ev_model = ev_model
        self.timing = timing
        self.runtimes = [ChargerRuntime(spec, i) for i, spec in enumerate(chargers)]
        index_of = {spec.charger_id: i for i, spec in enumerate(chargers)}
        if len(index_of) != len(chargers):
            raise ValueError("charger ids must be unique")
        for spec in chargers:
            if any(not 0 <= phase < site.phases for phase in spec.wiring):
                raise ValueError(f"{spec.charger_id}: wiring outside the site")
        self.plugs = _plug_events(sessions, index_of)
        self.active: list[ChargerRuntime] = []
        self.outcomes: list[SessionOutcome] = []
        self.trace = TraceRecorder()
        self.rounds = 0
        self.commanded_excess_a = -math.inf
        self.last_round_s = -math.inf
        self.round_base: tuple[float, ...] = (0.0,) * site.phases
        self.moving = False

    def run(self) -> SimulationResult:
        plugs, baseline = self.plugs, self.baseline
        start = plugs[0][0] if plugs else 0.0
        now = start
        plug_index = 0
        self.trace.record(start, (0.0,) * self.site.phases)
        while plug_index < len(plugs) or self.active:
            next_plug = plugs[plug_index][0] if plug_index < len(plugs) else math.inf
            next_ev = next_round = next_sample = math.inf
            if self.active:
                next_ev = min(runtime.next_event_s for runtime in self.active)
                next_round = self._next_round_s(now)
                next_sample = baseline.next_change_s(now)
            upcoming = min(next_plug, next_ev, next_round, next_sample)
            if next_ev <= upcoming:
                caught_up = self._catch_up(now, upcoming)
                if caught_up is not None:
                    now = caught_up
                    continue
            now = upcoming
            state_changed = self._advance_evs(now) if next_ev <= now else False
            if next_plug <= now:
                plug_index = self._plug(now, plug_index)
                state_changed = True
            if self.active and (
                state_changed
                or now >= next_round
                or (now >= next_sample and self._baseline_matters(now))
            ):
                self._round(now)
            self._record(now)
            self.moving = self._still_moving(now)
        return SimulationResult(
            strategy=self.controller.name,
            site=self.site,
            baseline=baseline,
            outcomes=tuple(sorted(self.outcomes, key=_outcome_order)),
            ev_trace=self.trace.finish(now),
            start_s=start,
            end_s=now,
            rounds=self.rounds,
            commanded_excess_a=self.commanded_excess_a,
        )

    def _next_round_s(self, now: float) -> float:
        """The next meter reading while anything still moves; else a
        controller timer or the periodic tick."""
        timing = self.timing
        if self.moving:
            interval = timing.meter_interval_s
            return (math.floor(now / interval) + 1) * interval
        wake = self.controller.next_wake_s(now)
        if math.isfinite(wake):  # noticed at the first reading after it
            interval = timing.meter_interval_s
            wake = math.ceil(wake / interval) * interval
        return min(max(now, self.last_round_s + timing.max_round_interval_s), wake)

    def _baseline_matters(self, now: float) -> bool:
        """Whether the baseline moved beyond what the controller said it ignores."""
        slack = self.controller.baseline_slack_a()
        if slack is None:
            return True
        base = self.baseline.at(now)
        return any(
            value - before > room
            for value, before, room in zip(base, self.round_base, slack, strict=True)
        )

    def _catch_up(self, now: float, upcoming: float) -> float | None:
        """Replay the last meter reading before an EV changes its draw by itself.

        The integration runs a round on every reading; readings that could not
        change anything are skipped, but the controller's memory of recent
        readings (the balancer holds its baseline estimate for a few seconds)
        must look as if they had happened. The time of that round, if any.
        """
        interval = self.timing.meter_interval_s
        if upcoming - self.last_round_s <= interval:
            return None
        if not any(
            runtime.ev is not None and runtime.ev.next_self_change_s() <= upcoming
            for runtime in self.active
        ):
            return None
        reading = max(now, math.ceil(upcoming / interval - 1) * interval)
        if reading <= self.last_round_s or reading >= upcoming:
            return None
        self._round(reading)
        self._record(reading)
        self.moving = self._still_moving(reading)
        return reading

    def _plug(self, now: float, plug_index: int) -> int:
        """Handle every plug-in and plug-out due at `now`."""
        plugs = self.plugs
        while plug_index < len(plugs) and plugs[plug_index][0] <= now:
            _, kind, _, charger_index, session = plugs[plug_index]
            plug_index += 1
            runtime = self.runtimes[charger_index]
            if kind == _DEPARTURE:
                self.outcomes.append(runtime.unplug(now))
                self.active.remove(runtime)
            else:
                runtime.plug_in(session, self.ev_model, self.site.voltage_v)
                self.active.append(runtime)
                self.active.sort(key=_by_index)
        return plug_index

    def _advance_evs(self, now: float) -> bool:
        """Bring EVs whose draw changes by itself to `now`; True if one became full."""
        became_full = False
        for runtime in self.active:
            if runtime.next_event_s > now:
                continue
            ev = runtime.ev
            assert ev is not None
            was_full = ev.full_at is not None
            ev.advance(now)
            became_full = became_full or (ev.full_at is not None and not was_full)
            runtime.next_event_s = ev.next_event_s()
        return became_full

    def _round(self, now: float) -> None:
        timing = self.timing
        active = self.active
        readings: list[ChargerInput] = [r.reading(now, timing) for r in active]
        base = self.baseline.at(now)
        self.round_base = base
        measured = list(base)
        for runtime in active:
            draw = runtime.ev.draw_a if runtime.ev is not None else 0.0
            if draw:
                for phase in runtime.load_phases:
                    measured[phase] += draw
        limits = self.controller.allocate(now, self.site, measured, readings)
        self.rounds += 1
        self.last_round_s = now
        commanded = list(base)
        for runtime in active:
            ev = runtime.ev
            assert ev is not None
            limit = limits.get(runtime.spec.charger_id, 0.0)
            runtime.note_limit(now, limit)
            ev.command(now, limit)
            ev.advance(now)  # a zero delay takes effect at once
            runtime.next_event_s = ev.next_event_s()
            if runtime.wants_energy(now):
                for phase in runtime.load_phases:
                    commanded[phase] += min(limit, ev.session.ev_max_a)
        excess = max(value - self.site.fuse_a for value in commanded)
        self.commanded_excess_a = max(self.commanded_excess_a, excess)

    def _record(self, now: float) -> None:
        totals = [0.0] * self.site.phases
        for runtime in self.active:
            draw = runtime.ev.draw_a if runtime.ev is not None else 0.0
            if draw:
                for phase in runtime.load_phases:
                    totals[phase] += draw
        self.trace.record(now, tuple(totals))

    def _still_moving(self, now: float) -> bool:
        """Whether a limit or a reading is still on its way."""
        for runtime in self.active:
            ev = runtime.ev
            if ev is not None and (ev.responding or not ev.measurement_settled(now)):
                return True
        return False


def _plug_events(
    sessions: Sequence[Session], index_of: dict[str, int]
) -> list[tuple[float, int, int, int, Session]]:
    """Arrivals and departures in time order; sessions must not overlap per charger."""
    by_charger: dict[int, list[Session]] = {}
    for session in sessions:
        if session.charger_id not in index_of:
            raise ValueError(f"session on unknown charger {session.charger_id!r}")
        by_charger.setdefault(index_of[session.charger_id], []).append(session)
    events: list[tuple[float, int, int, int, Session]] = []
    order = 0
    for charger_index, charger_sessions in by_charger.items():
        charger_sessions.sort(key=lambda s: s.arrival_s)
        for before, after in pairwise(charger_sessions):
            if after.arrival_s < before.departure_s:
                raise ValueError(
                    f"sessions overlap on charger {after.charger_id!r} at "
                    f"{after.arrival_s:.0f} s"
                )
        for session in charger_sessions:
            order += 1
            events.append((session.arrival_s, _ARRIVAL, order, charger_index, session))
            events.append(
                (session.departure_s, _DEPARTURE, order, charger_index, session)
            )
    events.sort(key=lambda event: (event[0], event[1], event[2]))
    return events


def _outcome_order(outcome: SessionOutcome) -> tuple[float, str]:
    return (outcome.session.arrival_s, outcome.session.charger_id)


def _by_index(runtime: ChargerRuntime) -> int:
    return runtime.index
