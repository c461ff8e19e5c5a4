"""Replay EV sessions on a site through the control loop, from event to event.

The simulator is a host of the very loop Home Assistant runs (loop/): a
simulated meter (a reading every period, a lag late), simulated chargers
(their reports a lag late, their step and change interval) and command links
feed `ControlLoop.run_round`, and its commands reach the EVs. Between events
nothing changes: the baseline holds per sample (plus exact short events),
every EV draws a constant current. So the replay visits only the moments
where something may happen (a plug-in or -out, an EV full, a meter reading
that shows a change, a command completing, a timer of the loop) and skips
readings that provably change nothing (see ControlTiming; `exact` visits all).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
import heapq
import math

from ..balancer import Site
from ..loop import (
    ChargerReport,
    ControlLoop,
    MeterInput,
    RoundTime,
    SiteRuntime,
)
from ..meter.base import MeterReading
from .baseline_series import BaselineSeries
from .commanded import commanded_excess_a
from .controllers import Strategy
from .model import ChargerSpec, ControlTiming, EvModel, Session
from .plug_events import DEPARTURE, plug_events
from .replay_result import RoundRecord, SimulationResult, round_record
from .sim_charger import SessionOutcome, SimulatedCharger
from .sim_circuits import SimCircuit, SimulatedCircuits
from .sim_loop_config import loop_config
from .sim_meter import SimulatedMeter
from .sim_phase_switch import phase_log, simulated_chargers, switching_chargers
from .trace import TraceRecorder

_EPSILON_S = 1e-9
# A charger report that moved less than this (A) waits for the next meter
# reading's round (the replay's one shortcut on reports; `exact` has none).
_REPORT_STEP_A = 1.0

# Sees what the loop sees, on every meter reading and every round: the time,
# the meter's latest reading and the chargers' reports (a wiring detector).
RoundObserver = Callable[
    [float, MeterReading | None, Mapping[str, ChargerReport]], None
]


class Replay:
    """The event loop of one simulation run."""

    def __init__(
        self,
        site: Site,
        baseline: BaselineSeries,
        chargers: Sequence[ChargerSpec],
        sessions: Sequence[Session],
        *,
        strategy: Strategy,
        ev_model: EvModel,
        timing: ControlTiming,
        record: bool = False,
        circuits: Sequence[SimCircuit] = (),
    ) -> None:
        self.site = site
        self.log: list[RoundRecord] | None = [] if record else None
        self.baseline = baseline
        self.strategy = strategy
        self.ev_model = ev_model
        self.timing = timing
        self.chargers = simulated_chargers(
            chargers, ev_model, switching=strategy.switches_phases
        )
        self.switching = switching_chargers(self.chargers)
        index_of = {spec.charger_id: i for i, spec in enumerate(chargers)}
        self.index_of = index_of
        if len(index_of) != len(chargers):
            raise ValueError("charger ids must be unique")
        for spec in chargers:
            wired = spec.wiring + spec.installed_wiring
            if any(not 0 <= phase < site.phases for phase in wired):
                raise ValueError(f"{spec.charger_id}: wiring outside the site")
        self.plugs = plug_events(sessions, index_of)
        self.config = loop_config(
            site,
            chargers,
            strategy.settings,
            ignores_fuse=strategy.ignores_fuse,
            margin_follows_spikes=timing.margin_follows_spikes,
        )
        self.runtime = SiteRuntime()
        self.wall_offset = baseline.wall_start_s
        self.loop = self._new_loop(0.0)
        self.trace = TraceRecorder()
        self.meter = SimulatedMeter(baseline, timing, self.trace)
        self.circuits = SimulatedCircuits(
            site.phases, circuits, chargers, baseline, timing
        )
        self.active: list[SimulatedCharger] = []
        # Chargers whose EV left since the last round report "no EV" once
        # (the loop keeps a charger's last report); at the start, all of them.
        self.leaving: list[SimulatedCharger] = list(self.chargers)
        self.outcomes: list[SessionOutcome] = []
        # (time, order, charger index, limit): commands on their way.
        self.in_flight: list[tuple[float, int, int, float]] = []
        self.restarts = sorted(timing.restarts_s)
        self.rounds = 0
        self.commands = 0
        self.order = 0
        self.commanded_excess_a = -math.inf
        self.last_round_s = -math.inf
        self.round_reading: tuple[float, ...] | None = None
        self.moving = False
        self.last_draw_change_s = -math.inf
        self.observer: RoundObserver | None = None

    def _new_loop(self, now: float) -> ControlLoop:
        return ControlLoop(
            self.config, self.runtime, now=now, allocator=self.strategy.allocator()
        )

    def run(self) -> SimulationResult:
        plugs = self.plugs
        start = plugs[0][0] if plugs else 0.0
        now = start
        plug_index = 0
        phases = self.site.phases
        self.trace.record(start, (0.0,) * phases)
        self.meter.read(start)
        self.circuits.read(start)
        while plug_index < len(plugs) or self.active or self.in_flight:
            next_plug = plugs[plug_index][0] if plug_index < len(plugs) else math.inf
            next_ev = min((c.next_event_s for c in self.active), default=math.inf)
            next_command = self.in_flight[0][0] if self.in_flight else math.inf
            next_restart = self.restarts[0] if self.restarts else math.inf
            next_reading = next_tick = next_report = math.inf
            if self.active:
                next_reading = self.meter.next_reading_s(now)
                next_tick = self._next_tick_s(now)
                next_report = self._next_report_s(now)
            upcoming = min(
                next_plug,
                next_ev,
                next_command,
                next_restart,
                next_reading,
                next_tick,
                next_report,
            )
            now = upcoming
            round_due = False
            if next_ev <= now:
                round_due |= self._advance_evs(now)
            if next_command <= now:
                self._complete_commands(now)
            if next_plug <= now:
                if not self.active:
                    # The meter read all along; the replay only asks it while
                    # EVs are plugged in.
                    self.meter.catch_up(now)
                    self.circuits.read(now)
                plug_index = self._plug(now, plug_index)
                round_due = True
            if next_restart <= now:
                self.restarts.pop(0)
                self.runtime.queue = self.loop.queue_entries(now)
                self.loop = self._new_loop(now)
                round_due = True
            if next_reading <= now:
                reading = self.meter.read(now)
                self.circuits.read(now)
                if self.observer is not None:
                    self._observe(now)
                round_due |= self._reading_matters(
                    now, reading.current_a if reading is not None else None
                )
            if next_tick <= now or next_report <= now:
                round_due = True
            self._record(now)
            if round_due and (self.active or self.leaving):
                self._round(now)
                self._record(now)
            self.moving = self._still_moving(now)
        return SimulationResult(
            strategy=self.strategy.name,
            site=self.site,
            baseline=self.baseline,
            outcomes=tuple(sorted(self.outcomes, key=_outcome_order)),
            ev_trace=self.trace.finish(now),
            start_s=start,
            end_s=now,
            rounds=self.rounds,
            commanded_excess_a=self.commanded_excess_a,
            commands=self.commands,
            round_log=tuple(self.log or ()),
            phase_log=phase_log(self.switching),
            circuit_traces=self.circuits.finish(now),
        )

    def _next_tick_s(self, now: float) -> float:
        """The loop's own next round: its periodic tick (exact), or a timer
        that runs out, or the longest a settled site goes unvisited."""
        timing = self.timing
        last = self.last_round_s
        if timing.exact:
            tick = last + timing.tick_s
            return tick if tick > now + _EPSILON_S else now + timing.tick_s
        wake = min(self.strategy.next_wake_s(now), self.loop.next_due_s(now))
        for charger in self.switching:
            wake = min(wake, charger.next_wake_s(now))
        if math.isfinite(wake):  # noticed at the loop's next tick
            wake = math.ceil(wake / timing.tick_s) * timing.tick_s
        return max(now + _EPSILON_S, min(last + timing.max_round_interval_s, wake))

    def _next_report_s(self, now: float) -> float:
        """The next charger report that shows a new value (a round in HA).

        Outside `exact`, only a report that moved by a step worth a round: a
        taper step of a few tenths waits for the next meter reading.
        """
        soonest = math.inf
        exact = self.timing.exact
        for charger in self.active:
            ev = charger.ev
            if ev is None or ev.measurement_settled(now):
                continue
            visible = ev.visible_at
            if visible < soonest and (
                exact or ev.unreported_change_a(now) >= _REPORT_STEP_A
            ):
                soonest = visible
        return soonest

    def _observe(self, now: float) -> None:
        """What the loop would see at a reading (HA runs a round on each)."""
        assert self.observer is not None
        timing = self.timing
        reports = {c.spec.charger_id: c.report(now, timing) for c in self.leaving}
        for charger in self.active:
            reports[charger.spec.charger_id] = charger.report(now, timing)
        self.observer(now, self.meter.reading, reports)

    def _reading_matters(
        self, now: float, reading: tuple[float, ...] | None = None
    ) -> bool:
        """Whether a new meter reading could change the loop's answer."""
        if self.timing.exact or self.moving or self.circuits.circuits:
            # A sub-meter's change matters however the site's moved.
            return True
        last = self.round_reading
        if reading is None or last is None:
            return True
        slack = self.strategy.baseline_slack_a()
        if slack is None or any(c.watches_room(now) for c in self.switching):
            return any(abs(a - b) > 1e-9 for a, b in zip(reading, last, strict=True))
        return any(
            value - before > room
            for value, before, room in zip(reading, last, slack, strict=True)
        )

    def _plug(self, now: float, plug_index: int) -> int:
        """Handle every plug-in and plug-out due at `now`."""
        plugs = self.plugs
        while plug_index < len(plugs) and plugs[plug_index][0] <= now:
            _, kind, _, charger_index, session = plugs[plug_index]
            plug_index += 1
            charger = self.chargers[charger_index]
            if kind == DEPARTURE:
                self.outcomes.append(charger.unplug(now))
                self.active.remove(charger)
                self.leaving.append(charger)
            else:
                charger.plug_in(session, self.ev_model, self.site.voltage_v)
                if charger in self.leaving:
                    self.leaving.remove(charger)
                self.active.append(charger)
                self.active.sort(key=_by_index)
                if self.timing.departure_known:
                    runtime = self.runtime.charger(charger.spec.charger_id)
                    runtime.departure = self.wall_offset + session.departure_s
                    runtime.energy_wanted_kwh = session.energy_kwh
        return plug_index

    def _advance_evs(self, now: float) -> bool:
        """Bring EVs whose draw changes by itself to `now`; True if one became full."""
        became_full = False
        for charger in self.active:
            if charger.next_event_s > now:
                continue
            ev = charger.ev
            assert ev is not None
            was_full = ev.full_at is not None
            ev.advance(now)
            became_full = became_full or (ev.full_at is not None and not was_full)
            charger.next_event_s = ev.next_event_s()
        return became_full

    def _round(self, now: float) -> None:
        timing = self.timing
        reports: dict[str, ChargerReport] = {
            c.spec.charger_id: c.report(now, timing) for c in self.leaving
        }
        for charger in self.active:
            reports[charger.spec.charger_id] = charger.report(now, timing)
        self.leaving.clear()
        meter = self.meter.reading
        if self.observer is not None:
            self.observer(now, meter, reports)
        time = RoundTime(now=now, wall=self.wall_offset + now)
        self.strategy.before_round(time, meter, reports, self.runtime)
        result = self.loop.run_round(
            time, MeterInput(reading=meter), reports, self.circuits.meters
        )
        self.rounds += 1
        self.last_round_s = now
        self.round_reading = meter.current_a if meter is not None else None
        allocation = result.allocation
        for charger in self.switching:
            charger.after_round(now, allocation)
        if self.log is not None:
            self.log.append(round_record(now, meter, allocation, self.chargers, timing))
        self.strategy.observe(now, allocation)
        for charger_id, limit_a in result.sends:
            self._send(now, charger_id, limit_a)
        if allocation is None:
            return
        seen_at = now if meter is None else meter.received_at - timing.meter_lag_s
        excess = commanded_excess_a(
            self.site.fuse_a, self.baseline.at(seen_at), self.active, allocation, now
        )
        self.commanded_excess_a = max(self.commanded_excess_a, excess)

    def _send(self, now: float, charger_id: str, limit_a: float) -> None:
        """A command leaves; the charger accepts it after the link's latency."""
        index = self.index_of[charger_id]
        self.commands += 1
        latency = self.timing.command_latency_s
        if latency <= 0:
            self._accept(now, index, limit_a)
            return
        self.order += 1
        heapq.heappush(self.in_flight, (now + latency, self.order, index, limit_a))

    def _complete_commands(self, now: float) -> None:
        while self.in_flight and self.in_flight[0][0] <= now:
            _, _, index, limit_a = heapq.heappop(self.in_flight)
            self._accept(now, index, limit_a)

    def _accept(self, now: float, index: int, limit_a: float) -> None:
        charger = self.chargers[index]
        charger.accept(now, limit_a)
        following = self.loop.command_succeeded(charger.spec.charger_id, now)
        if following is not None:
            self._send(now, charger.spec.charger_id, following)

    def _record(self, now: float) -> None:
        totals = [0.0] * self.site.phases
        for charger in self.active:
            draw = charger.ev.draw_a if charger.ev is not None else 0.0
            if draw:
                for phase in charger.load_phases:
                    totals[phase] += draw
        current = tuple(totals)
        if current != self.trace.at(now, self.site.phases):
            self.last_draw_change_s = now
        self.trace.record(now, current)
        self.circuits.record(now, self.active)

    def _still_moving(self, now: float) -> bool:
        """Whether a limit, a charger reading or a meter reading is on its way."""
        if self.in_flight or now < self.last_draw_change_s + self.timing.meter_lag_s:
            return True
        for charger in self.active:
            ev = charger.ev
            if ev is not None and (ev.responding or not ev.measurement_settled(now)):
                return True
        return False


def _outcome_order(outcome: SessionOutcome) -> tuple[float, str]:
    return (outcome.session.arrival_s, outcome.session.charger_id)


def _by_index(charger: SimulatedCharger) -> int:
    return charger.index
