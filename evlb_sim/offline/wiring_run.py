"""The wiring detector inside a simulation: fed what Home Assistant's loop
host would feed it, judged against how each charger is really installed.

A charger counts as found when the detector raises its mismatch and its
most likely rotation is the installed one; a correctly wired charger that
gets a mismatch is a false alarm. Sessions are counted per charger up to the
moment of the verdict. A 3-phase EV that draws evenly shows every rotation
alike (and is balanced right whatever the rotation), so sessions with a
1-phase EV (on a 3-phase charger) are counted apart: they are the ones that
can reveal a rotation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
import time

from custom_components.ev_load_balancer.balancer import Rotation
from custom_components.ev_load_balancer.loop import ChargerReport
from custom_components.ev_load_balancer.meter.base import MeterReading
from custom_components.ev_load_balancer.sizing import BalancerController, simulate
from custom_components.ev_load_balancer.wiring import DetectorSettings, WiringWatch

from .inputs import ScenarioInputs
from .scenario import GarageSpec, NorwaySource, Scenario, SyntheticSource

_ROTATIONS = tuple(rotation.wiring for rotation in Rotation)
# A verdict within this many sessions is "in time" (the target).
IN_TIME_SESSIONS = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargerVerdict:
    """What the detector concluded about one charger, and when."""

    charger_id: str
    configured: tuple[int, ...]
    installed: tuple[int, ...]
    sessions: int
    # Sessions whose EV draws on fewer conductors than the charger has.
    revealing_sessions: int
    # When the mismatch was first raised (s), and the sessions begun by then.
    flagged_at_s: float | None
    sessions_to_flag: int | None
    revealing_to_flag: int | None
    # The rotation the detector found most likely when it raised it.
    found: tuple[int, ...] | None
    steps: int

    @property
    def miswired(self) -> bool:
        return self.installed != self.configured

    @property
    def correct(self) -> bool:
        """Found, and with the installed rotation."""
        return self.miswired and self.found == self.installed

    @property
    def false_alarm(self) -> bool:
        return not self.miswired and self.flagged_at_s is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class WiringRun:
    scenario: str
    days: float
    verdicts: tuple[ChargerVerdict, ...]
    wall_s: float

    def miswired(self) -> list[ChargerVerdict]:
        return [v for v in self.verdicts if v.miswired]

    def correct_within(self, sessions: int, *, revealing: bool = False) -> int:
        """Miswired chargers found right within `sessions` (of their 1-phase
        EV sessions with `revealing`)."""
        found = 0
        for verdict in self.miswired():
            after = verdict.revealing_to_flag if revealing else verdict.sessions_to_flag
            if verdict.correct and after is not None and after <= sessions:
                found += 1
        return found

    def false_alarms(self) -> int:
        return sum(1 for v in self.verdicts if v.false_alarm)


class _Watcher:
    """The observer: feeds the detector and notes the first mismatch."""

    def __init__(self, inputs: ScenarioInputs, settings: DetectorSettings) -> None:
        site = inputs.site
        self.watch = WiringWatch(
            site.phases,
            site.voltage_v,
            {c.charger_id: c.wiring for c in inputs.chargers},
            settings,
        )
        self.flagged: dict[str, tuple[float, tuple[int, ...]]] = {}

    def __call__(
        self,
        now: float,
        reading: MeterReading | None,
        reports: Mapping[str, ChargerReport],
    ) -> None:
        detector = self.watch.detector
        for charger_id in self.watch.observe(now, reading, reports):
            if charger_id in self.flagged:
                continue
            estimate = detector.estimate(charger_id)
            if estimate is not None and estimate.mismatch:
                allowed = _ROTATIONS if len(estimate.configured) == 3 else None
                found = (
                    detector.best_wiring(charger_id, allowed)
                    if allowed is not None
                    else estimate.phases
                )
                self.flagged[charger_id] = (now, found or estimate.phases)


def run_wiring(
    inputs: ScenarioInputs, settings: DetectorSettings | None = None
) -> WiringRun:
    """Replay the scenario with our balancer, the detector watching."""
    scenario = inputs.scenario
    watcher = _Watcher(inputs, settings or DetectorSettings())
    started = time.perf_counter()
    simulate(
        inputs.site,
        inputs.baseline,
        inputs.chargers,
        inputs.sessions,
        controller=BalancerController(scenario.balancer),
        ev_model=scenario.ev_model,
        timing=scenario.timing,
        observer=watcher,
    )
    wall = time.perf_counter() - started
    verdicts = []
    for charger in inputs.chargers:
        sessions = sorted(
            (s for s in inputs.sessions if s.charger_id == charger.charger_id),
            key=lambda s: s.arrival_s,
        )
        revealing = [s for s in sessions if s.ev_phases < len(charger.wiring)]
        flag = watcher.flagged.get(charger.charger_id)
        estimate = watcher.watch.detector.estimate(charger.charger_id)
        at = flag[0] if flag else None
        verdicts.append(
            ChargerVerdict(
                charger_id=charger.charger_id,
                configured=charger.wiring,
                installed=charger.installed_wiring,
                sessions=len(sessions),
                revealing_sessions=len(revealing)
                if len(charger.wiring) > 1
                else len(sessions),
                flagged_at_s=at,
                sessions_to_flag=None
                if at is None
                else sum(1 for s in sessions if s.arrival_s <= at),
                revealing_to_flag=None
                if at is None
                else sum(
                    1
                    for s in (revealing if len(charger.wiring) > 1 else sessions)
                    if s.arrival_s <= at
                ),
                found=flag[1] if flag else None,
                steps=estimate.steps if estimate is not None else 0,
            )
        )
    return WiringRun(
        scenario=scenario.name,
        days=scenario.days,
        verdicts=tuple(verdicts),
        wall_s=wall,
    )


def reseeded(scenario: Scenario, offset: int) -> Scenario:
    """The scenario with other miswired chargers and other sessions."""
    if not offset:
        return scenario
    chargers = scenario.chargers
    if isinstance(chargers, GarageSpec):
        chargers = replace(chargers, miswired_seed=chargers.miswired_seed + offset)
    sessions = scenario.sessions
    if isinstance(sessions, SyntheticSource | NorwaySource):
        sessions = replace(sessions, seed=sessions.seed + offset)
    return replace(
        scenario,
        name=f"{scenario.name} (seed +{offset})",
        chargers=chargers,
        sessions=sessions,
    )


def render_totals(runs: list[WiringRun]) -> str:
    """The figures over several runs."""
    miswired = [v for run in runs for v in run.miswired()]
    revealed = [v for v in miswired if v.revealing_sessions]
    wired_ok = sum(len(run.verdicts) - len(run.miswired()) for run in runs)
    in_time = sum(run.correct_within(IN_TIME_SESSIONS) for run in runs)
    in_time_revealed = sum(
        run.correct_within(IN_TIME_SESSIONS, revealing=True) for run in runs
    )
    sessions = [v.sessions_to_flag for v in miswired if v.sessions_to_flag]
    mean = sum(sessions) / len(sessions) if sessions else float("nan")
    return "\n".join(
        [
            f"over {len(runs)} runs: miswired {len(miswired)}, found right within "
            f"{IN_TIME_SESSIONS} sessions {in_time} ({_share(in_time, len(miswired))})",
            f"  with a 1-phase EV in the period: {len(revealed)}, found right "
            f"within {IN_TIME_SESSIONS} of those sessions {in_time_revealed} "
            f"({_share(in_time_revealed, len(revealed))}); mean sessions to "
            f"the verdict {mean:.1f}",
            f"  false alarms on {wired_ok} correctly wired chargers: "
            f"{sum(run.false_alarms() for run in runs)}",
        ]
    )


def _share(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.0f} %" if whole else "-"


def _phases(wiring: tuple[int, ...]) -> str:
    return "".join(f"L{phase + 1}" for phase in wiring)


def render_wiring(run: WiringRun) -> str:
    """The per-charger table and the figures."""
    lines = [
        f"{run.scenario}: {run.days:g} days, wiring detector "
        f"(replay {run.wall_s:.1f} s)",
        f"{'charger':<8} {'configured':<10} {'installed':<10} {'sessions':>8} "
        f"{'1ph':>4} {'steps':>6} {'verdict':<10} {'found':<8} {'after':>6}",
    ]
    for v in run.verdicts:
        if v.false_alarm:
            verdict = "FALSE"
        elif v.miswired:
            verdict = "found" if v.correct else ("wrong" if v.found else "missed")
        else:
            verdict = "ok"
        after = "" if v.sessions_to_flag is None else str(v.sessions_to_flag)
        lines.append(
            f"{v.charger_id:<8} {_phases(v.configured):<10} "
            f"{_phases(v.installed):<10} {v.sessions:>8} {v.revealing_sessions:>4} "
            f"{v.steps:>6} {verdict:<10} {_phases(v.found) if v.found else '':<8} "
            f"{after:>6}"
        )
    miswired = run.miswired()
    revealed = [v for v in miswired if v.revealing_sessions]
    in_time = run.correct_within(IN_TIME_SESSIONS)
    in_time_revealed = run.correct_within(IN_TIME_SESSIONS, revealing=True)
    correct = sum(1 for v in miswired if v.correct)
    wired_ok = len(run.verdicts) - len(miswired)
    lines += [
        "",
        f"miswired: {len(miswired)}, found with the installed rotation: "
        f"{correct}, within {IN_TIME_SESSIONS} sessions: {in_time}",
        f"miswired with a 1-phase EV in the period: {len(revealed)}, found "
        f"within {IN_TIME_SESSIONS} of those sessions: {in_time_revealed}",
        f"false alarms on {wired_ok} correctly wired chargers: {run.false_alarms()}",
    ]
    return "\n".join(lines)
