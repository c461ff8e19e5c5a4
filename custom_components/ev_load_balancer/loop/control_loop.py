"""One control loop for every host: Home Assistant, the simulator, the audit.

A round takes the meter's reading and every charger's report (timestamped on
the loop clock), checks them, keeps each session's facts (energy still
needed, boost, departure), asks the balancer for limits (or the failsafe when
the meter cannot be trusted), decides which commands go out now, watches the
chargers that fail or ignore their limits, and says what changed. The host
gathers inputs and applies the effects: commands, entities, repairs, storage.
Nothing here does I/O, and nothing here reads a clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
import math

from ..balancer import Allocation, Balancer, ChargerInput, Site, Strategy
from ..balancer.circuit import CircuitReading
from ..balancer.engine import QueueEntry
from ..chargers.phase_control import SiteSwitches, prepared_input
from ..const import UNRESPONSIVE_AFTER_S
from ..meter.base import MeterReading
from ..snapshot import SiteSnapshot
from .allocator import Allocator, everyone_paused
from .circuit_meters import trusted_readings
from .clock import RoundTime
from .config import LoopConfig
from .events import ChargerIssues, LoopEvent, SiteIssues
from .group_compliance import complying_groups
from .inputs import ChargerReport, MeterInput
from .meter_trust import MeterTrust, meter_problem
from .round_errors import ROUND_ERRORS, RoundErrors
from .round_events import round_events
from .runtime import ChargerRuntime, SiteRuntime
from .snapshot_builder import build_snapshot
from .spike_margin import SpikeMargin
from .track import ChargerTrack

QUEUE_SAVE_INTERVAL_S = 60.0


@dataclass(frozen=True, slots=True)
class RoundResult:
    """What one round decided; the host applies it."""

    allocation: Allocation | None  # None while balancing is switched off
    # Commands to start now: (charger id, limit A); at most one per charger.
    sends: tuple[tuple[str, float], ...]
    events: tuple[LoopEvent, ...]
    # Why the meter was not trusted this round (None: it was).
    meter_problem: str | None
    # The run-time state changed in a way worth saving.
    save_due: bool


class ControlLoop:
    """The loop of one site."""

    def __init__(
        self,
        config: LoopConfig,
        runtime: SiteRuntime,
        *,
        now: float,
        allocator: Allocator | None = None,
    ) -> None:
        self.config = config
        self.runtime = runtime
        self.allocator: Allocator = allocator or Balancer(config.balancer)
        # Queue facts are durations: they mean the same on this clock.
        self.allocator.restore_queue(runtime.queue, now)
        self.tracks = {c.charger_id: ChargerTrack(c) for c in config.chargers}
        # Chargers that take part in rounds, in configuration order. An idle
        # charger (no EV, at 0 A, nothing on its way) only costs a look at its
        # report: a garage of 200 chargers with 30 EVs does the work of 30.
        self._active: list[tuple[str, ChargerTrack]] = list(self.tracks.items())
        # Chargers whose raise the last round held back (command rate).
        self._held_back: list[ChargerTrack] = []
        self.issues = SiteIssues(
            chargers={charger_id: ChargerIssues() for charger_id in self.tracks}
        )
        self.last_allocation: Allocation | None = None
        # 1p/3p switches under way: one at a time (chargers/phase_control.py).
        self._switches = SiteSwitches()
        self.last_reading: MeterReading | None = None
        self.meter_problem: str | None = "not started"
        self._wall = 0.0
        self._rounds = 0
        self._meter_trust = MeterTrust()
        self._queue_saved_at = now
        self._round_errors = RoundErrors()
        self._started_at = now
        self._meter_seen = False
        # Why each metered circuit's reading was not trusted in the last round.
        self.circuit_problems: dict[str, str] = {}
        # The circuit readings the last round balanced on.
        self.circuit_readings: dict[str, CircuitReading] = {}
        self.spikes = SpikeMargin()

    @property
    def strategy(self) -> Strategy:
        return self.allocator.settings.strategy

    @property
    def margin_a(self) -> float:
        """The fuse margin in use."""
        config = self.config
        if not config.margin_follows_spikes:
            return config.margin_a
        return self.spikes.margin_a(config.margin_a, config.fuse_a)

    def configure(self, config: LoopConfig) -> None:
        """New options or chargers, applied in place: what was learnt is kept."""
        if config.balancer != self.config.balancer:
            self.allocator.configure(config.balancer)
        tracks = self.tracks
        wanted = {c.charger_id: c for c in config.chargers}
        for charger_id in [cid for cid in tracks if cid not in wanted]:
            del tracks[charger_id]
            self.issues.chargers.pop(charger_id, None)
        for charger_id, charger in wanted.items():
            if charger_id in tracks:
                tracks[charger_id].config = charger
                tracks[charger_id].idle = False
            else:
                tracks[charger_id] = ChargerTrack(charger)
                self.issues.chargers[charger_id] = ChargerIssues()
        self.config = config
        self._active = list(tracks.items())
        self._held_back = []

    def run_round(
        self,
        time: RoundTime,
        meter: MeterInput,
        reports: Mapping[str, ChargerReport],
        circuit_meters: Mapping[str, MeterInput] | None = None,
    ) -> RoundResult:
        """One round: limits from fresh inputs, and what to do about them.

        `circuit_meters`: the latest reading of each circuit with a meter.
        """
        now = time.now
        self._wall = time.wall
        config, runtime = self.config, self.runtime
        events: list[LoopEvent] = []
        changed = False
        woke = False
        tracks = self.tracks
        for charger_id, new_report in reports.items():
            track = tracks.get(charger_id)
            if track is not None and track.idle and not track.stays_idle(new_report):
                track.idle = False
                woke = True
        if woke:
            self._active = [(cid, t) for cid, t in tracks.items() if not t.idle]
        active = self._active
        problem = meter_problem(meter, now, self.config)
        reading = meter.reading if problem is None else None
        if reading is not None:
            self._meter_seen = True
        # After a start, nothing is commanded before the first fresh meter
        # reading (chargers keep what they have: their own failsafe, or the
        # last limit), unless none comes within the stale time.
        starting = (
            not self._meter_seen and now - self._started_at < config.stale_after_s
        )
        allocating = runtime.enabled and not starting
        meter_time = reading.received_at if reading is not None else None
        voltage_v = config.voltage_v
        settings: list[ChargerRuntime] = []
        inputs: list[ChargerInput] = []
        for charger_id, track in active:
            charger_runtime = runtime.charger(charger_id)
            settings.append(charger_runtime)
            report = reports.get(charger_id)
            changed |= track.take(report, charger_runtime, time, voltage_v, events)
            if allocating:
                inputs.append(
                    # Phase switching and group shares (chargers/phase_control.py).
                    prepared_input(
                        track.inputs.get(
                            track.config,
                            track.status,
                            track.state,
                            charger_runtime,
                            time,
                            controllable=track.trusted(charger_runtime.included),
                            step_a=track.step_a,
                            reading=track.reading_at(meter_time),
                        ),
                        None if report is None else report.controls,
                        self.last_allocation,
                        now,
                        self._switches,
                    )
                )
        allocation: Allocation | None = None
        sends: list[tuple[str, float]] = []
        circuit_readings, self.circuit_problems = trusted_readings(
            config.circuits, circuit_meters or {}, now
        )
        self.circuit_readings = circuit_readings
        if allocating:
            site = config.site(runtime.active_site_limit(time.wall), self.margin_a)
            allocation = self._allocate(now, site, reading, inputs, circuit_readings)
            self.spikes.observe_round(meter_time, allocation)
            sends = self._dispatch(allocation, now, settings)
        self._watch(now)
        self.issues.meter = self._meter_trust.track(
            problem, now, self.config, logged=bool(self._rounds)
        )
        events.extend(
            round_events(self.last_allocation, allocation, self._active, self._rounds)
        )
        self._idle_out(allocation)
        self.last_allocation = allocation
        self.last_reading = reading
        self.meter_problem = problem
        self._rounds += 1
        save_due = changed
        if now - self._queue_saved_at >= QUEUE_SAVE_INTERVAL_S:
            self._queue_saved_at = now
            runtime.queue = self.allocator.queue_entries(now)
            save_due = True
        return RoundResult(allocation, tuple(sends), tuple(events), problem, save_due)

    def command_succeeded(self, charger_id: str, now: float) -> float | None:
        """The charger accepted the limit in flight; the next one to send, if any."""
        track = self.tracks.get(charger_id)
        return None if track is None else track.link.succeeded(now)

    def command_failed(
        self, charger_id: str, now: float, reason: str, *, out_of_reach: bool
    ) -> None:
        """The charger did not accept the limit in flight."""
        track = self.tracks.get(charger_id)
        if track is not None:
            track.link.failed(now, reason, out_of_reach=out_of_reach)

    def next_due_s(self, now: float) -> float:
        """When a round may decide something new with the same inputs: a
        raise held back by a charger's command rate may go out, or a rule of
        the allocator runs out of time (a host that skips idle ticks)."""
        due = (
            track.link.raise_due_s(track.last_limit_a, track.config.max_a)
            for track in self._held_back
            if track.last_limit_a is not None
        )
        held_back = min(
            (moment for moment in due if moment is not None and moment > now),
            default=math.inf,
        )
        return min(held_back, self.allocator.next_change_s(now))

    def queue_entries(self, now: float) -> dict[str, QueueEntry]:
        """The queue, for the run-time store (before a stop or restart)."""
        return self.allocator.queue_entries(now)

    def snapshot(self) -> SiteSnapshot:
        """What the last round decided, for entities and dashboards."""
        return build_snapshot(
            config=self.config,
            runtime=self.runtime,
            strategy=self.strategy,
            reading=self.last_reading,
            allocation=self.last_allocation,
            tracks=self.tracks,
            meter_healthy=self.meter_problem is None,
            wall_now=self._wall,
            circuit_readings=self.circuit_readings,
            circuit_problems=self.circuit_problems,
            margin_a=self.margin_a,
        )

    def _allocate(
        self,
        now: float,
        site: Site,
        reading: MeterReading | None,
        inputs: Sequence[ChargerInput],
        circuit_readings: Mapping[str, CircuitReading],
    ) -> Allocation:
        try:
            if reading is not None:
                allocation = self.allocator.allocate(
                    now,
                    site,
                    reading.current_a,
                    inputs,
                    site_measured_at=reading.received_at,
                    circuit_readings=circuit_readings,
                )
            else:
                allocation = self._failsafe(now, site, inputs)
        except ROUND_ERRORS as err:
            self._round_failed(err)
            try:
                return self._failsafe(now, site, inputs)
            except ROUND_ERRORS:
                return everyone_paused(site, inputs)
        if self._round_errors.succeeded(self.config.name):
            self.issues.round_error = None
        return allocation

    def _failsafe(
        self, now: float, site: Site, inputs: Sequence[ChargerInput]
    ) -> Allocation:
        return self.allocator.failsafe(
            now,
            site,
            inputs,
            static_share=self.config.failsafe_static_share,
            building_reserve_a=self.config.failsafe_reserve_a,
        )

    def _round_failed(self, err: Exception) -> None:
        issue = self._round_errors.failed(self.config.name, err)
        if issue is not None:
            self.issues.round_error = issue

    def _idle_out(self, allocation: Allocation | None) -> None:
        """Chargers with nothing left to do sit out the next rounds."""
        if allocation is None:
            return
        resting = [
            track
            for charger_id, track in self._active
            if track.may_rest(allocation.limits.get(charger_id))
        ]
        if resting:
            for track in resting:
                track.idle = True
            self._active = [(cid, t) for cid, t in self._active if not t.idle]

    def _dispatch(
        self,
        allocation: Allocation,
        now: float,
        settings: Sequence[ChargerRuntime],
    ) -> list[tuple[str, float]]:
        sends: list[tuple[str, float]] = []
        held_back: list[ChargerTrack] = []
        self._held_back = held_back
        for (charger_id, track), charger_runtime in zip(
            self._active, settings, strict=True
        ):
            if not charger_runtime.included or track.read_only:
                continue  # excluded by the user, or it cannot be told: left alone
            if track.compliance.ignoring:
                continue  # commands do not help; its draw is already counted
            limit = allocation.limits.get(charger_id)
            if limit is None:
                continue
            link = track.link
            track.last_limit_a = limit.current_a
            due = link.raise_due_s(limit.current_a, track.config.max_a)
            if due is not None and now < due:
                held_back.append(track)
                continue  # it keeps its lower limit a little longer
            # An untrusted charger is asked to pause until it answers again.
            target = link.request(limit.current_a, now)
            if target is not None:
                sends.append((charger_id, target))
        return sends

    def _watch(self, now: float) -> None:
        complying = complying_groups(track for _, track in self._active)
        for charger_id, track in self._active:
            current = track.status.current_a
            draw = max(current) if current else None
            link = track.link
            if (
                draw is not None
                and track.group in complying
                and link.applied_a is not None
            ):
                # The brand spreads the group's one limit its own way: a
                # member above its own share is not ignoring anything.
                draw = min(draw, link.applied_a)
            ignoring = track.compliance.update(
                draw, link.applied_a, link.applied_at, now
            )
            failing_long = (
                link.failing_since is not None
                and now - link.failing_since >= UNRESPONSIVE_AFTER_S
            )
            issues = self.issues.chargers[charger_id]
            issues.unresponsive = link.first_error if failing_long else None
            issues.ignores_limit = ignoring
