"""Which site phase each charger conductor loads, from the meter's steps.

When a charger steps (its EV starts, stops, follows a new limit) the site
meter steps with it on the phases its conductors are wired to. Between two
meter readings the detector knows every charger's draw at both moments (from
their samples), subtracts what the other chargers did, and asks which wiring
of the stepping charger explains the rest. The rest of the building steps
too (a kettle, a heat pump, a sauna): its noise is a normal spread plus a
share of outliers, and no single step can carry more than a bounded weight.
An EV drawing the same on all its conductors says nothing about the wiring
(every wiring explains it alike), and its wiring does not matter either;
1- and 2-phase EVs reveal it.

No Home Assistant import: the HA coordinator and the simulator feed it alike.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
import math

from ..balancer.phases import drawing_conductors
from .evidence import ChargerEvidence, WiringEstimate
from .hypotheses import expected_deltas
from .samples import ChargerSample, DrawAt, SampleHistory


@dataclass(frozen=True, slots=True, kw_only=True)
class DetectorSettings:
    """Tunables; the defaults suit a P1 meter (a reading every 1-10 s)."""

    # A charger's step counts from this much on one conductor (A).
    min_step_a: float = 3.0
    # Its own draw must be known to this much at both readings (A).
    exact_a: float = 0.3
    # Spread of what the rest of the building does between two readings (A).
    noise_a: float = 1.0
    # Share of intervals where another load steps too, and how far (A).
    outlier_share: float = 0.2
    outlier_range_a: float = 100.0
    # The most (nats) one step may count against a hypothesis.
    step_cap: float = 4.0
    # A meter reading shows the site up to this long before it arrives (s).
    guard_s: float = 2.0
    # An interval between two readings is judged this long after its end,
    # when the chargers' late samples have come in (s).
    wait_s: float = 15.0
    # Readings further apart than this bracket too much to see one step (s).
    max_interval_s: float = 35.0
    # A conductor is found elsewhere than configured beyond this probability...
    confident: float = 0.999
    # ...after at least this many steps of the charger, in this many of its
    # sessions (one evening's coincidences do not decide alone).
    min_steps: int = 3
    min_sessions: int = 2
    # The configured wiring is believed first (nats ahead of the others).
    configured_log_prior: float = 3.0
    # How sure the split of a power-only EV must be to be reported.
    split_confident: float = 0.95
    # Samples and readings are kept this long (s).
    keep_s: float = 120.0

    def __post_init__(self) -> None:
        if min(self.min_step_a, self.noise_a, self.step_cap, self.outlier_range_a) <= 0:
            raise ValueError("step, noise, cap and outlier range must be positive")
        if not 0 < self.outlier_share < 1 or not 0.5 < self.confident < 1:
            raise ValueError("outlier share and confidence are probabilities")
        if self.keep_s < self.wait_s + self.max_interval_s + self.guard_s:
            raise ValueError("keep_s must cover an interval and its wait")


# Conductors' steps within this of each other (A) are an even step.
_EVEN_A = 1.0


@dataclass(slots=True)
class _Step:
    """One charger's change between two meter readings."""

    deltas: tuple[float, ...]
    total: float
    uncertainty: float
    session: int


class WiringDetector:
    """The wiring evidence of every charger of one site."""

    def __init__(
        self,
        site_phases: int,
        chargers: Mapping[str, tuple[int, ...]],
        settings: DetectorSettings | None = None,
    ) -> None:
        self.site_phases = site_phases
        self.settings = settings or DetectorSettings()
        self._configured: dict[str, tuple[int, ...]] = {}
        self._histories: dict[str, SampleHistory] = {}
        self._evidence: dict[str, ChargerEvidence] = {}
        self._readings: deque[tuple[float, tuple[float, ...]]] = deque()
        self._judged_until = -math.inf
        # charger -> the last reading where its draw was known, and that draw
        self._anchors: dict[str, tuple[float, tuple[float, ...], DrawAt]] = {}
        self.configure(chargers)

    def configure(self, chargers: Mapping[str, tuple[int, ...]]) -> None:
        """New configured wirings; evidence is kept where the wiring stayed."""
        for charger_id in [c for c in self._configured if c not in chargers]:
            del self._configured[charger_id]
            self._histories.pop(charger_id, None)
            self._evidence.pop(charger_id, None)
            self._anchors.pop(charger_id, None)
        for charger_id, wiring in chargers.items():
            before = self._configured.get(charger_id)
            if before is not None and before != wiring:
                evidence = self._evidence.get(charger_id)
                if evidence is not None and len(before) == len(wiring):
                    # What the steps showed still holds (a fix applied).
                    evidence.reconfigure(wiring)
                else:
                    self._evidence.pop(charger_id, None)
                    self._anchors.pop(charger_id, None)
                    self._histories.pop(charger_id, None)
            self._configured[charger_id] = wiring
            if charger_id not in self._histories:
                self._histories[charger_id] = SampleHistory(self.settings.keep_s)

    def add_meter(self, received_at: float, currents_a: tuple[float, ...]) -> None:
        """A site meter reading (per site phase, A)."""
        readings = self._readings
        if len(currents_a) != self.site_phases:
            return
        if readings and received_at <= readings[-1][0]:
            return
        readings.append((received_at, currents_a))

    def add_charger(self, charger_id: str, sample: ChargerSample) -> bool:
        """A charger's reading (ignored when not newer than its last one);
        whether it was kept."""
        history = self._histories.get(charger_id)
        if history is None:
            return False
        conductors = len(self._configured[charger_id])
        if len(sample.currents_a) != conductors:
            return False
        if not history.add(sample):
            return False
        evidence = self._evidence.get(charger_id)
        per_phase = sample.per_phase or conductors == 1
        # An idle charger's zero says nothing of how it reports; an EV's draw does.
        if evidence is None or (sample.plugged and evidence.per_phase != per_phase):
            self._evidence[charger_id] = ChargerEvidence(
                charger_id,
                self._configured[charger_id],
                self.site_phases,
                per_phase=per_phase,
                configured_log_prior=self.settings.configured_log_prior,
            )
        return True

    def process(self, now: float) -> set[str]:
        """Judge the readings whose samples are in; the chargers that stepped."""
        settings = self.settings
        readings = self._readings
        stepped: set[str] = set()
        for reading in readings:
            if reading[0] + settings.wait_s > now:
                break
            if reading[0] > self._judged_until:
                self._judged_until = reading[0]
                stepped |= self._judge(reading)
        while len(readings) > 2 and readings[1][0] < now - settings.keep_s:
            readings.popleft()
        return stepped

    def estimate(self, charger_id: str) -> WiringEstimate | None:
        """What the steps so far say about one charger (None: no sample yet)."""
        evidence = self._evidence.get(charger_id)
        if evidence is None:
            return None
        history = self._histories[charger_id]
        latest = history.latest
        seen: int | None = None
        if evidence.per_phase and latest is not None and latest.plugged:
            drawing = drawing_conductors(latest.currents_a)
            seen = len(drawing) if drawing else None
        settings = self.settings
        return evidence.estimate(
            confident=settings.confident,
            split_confident=settings.split_confident,
            min_steps=settings.min_steps,
            min_sessions=settings.min_sessions,
            current_session=history.session,
            seen_conductors=seen,
        )

    def best_wiring(
        self, charger_id: str, allowed: tuple[tuple[int, ...], ...]
    ) -> tuple[int, ...] | None:
        """The most likely wiring of a charger among those `allowed`."""
        evidence = self._evidence.get(charger_id)
        return None if evidence is None else evidence.best_wiring(allowed)

    def _judge(self, reading: tuple[float, tuple[float, ...]]) -> set[str]:
        """Find the chargers whose draw is known at this reading and differs
        from the last reading where it was known: each is one step."""
        settings = self.settings
        moment = reading[0]
        # anchor time -> (its meter reading, the chargers stepping since)
        groups: dict[float, tuple[tuple[float, ...], list[str]]] = {}
        anchors = self._anchors
        for charger_id, history in self._histories.items():
            anchor = anchors.get(charger_id)
            if anchor is not None and history.steady_since(
                anchor[0] - settings.guard_s
            ):
                anchors[charger_id] = (moment, reading[1], anchor[2])
                continue  # the same draw since the anchor: no step
            draw = history.draw_at(moment, settings.guard_s)
            if draw is None or draw.spread_a > settings.exact_a:
                if anchor is not None and moment - anchor[0] > settings.max_interval_s:
                    del anchors[charger_id]
                continue  # it changed around this reading: wait for the next
            if (
                anchor is not None
                and moment - anchor[0] <= settings.max_interval_s
                and self._is_step(charger_id, _step(anchor[2], draw))
            ):
                groups.setdefault(anchor[0], (anchor[1], []))[1].append(charger_id)
            anchors[charger_id] = (moment, reading[1], draw)
        stepped: set[str] = set()
        for start, (meter_before, targets) in groups.items():
            stepped |= self._weigh((start, meter_before), reading, targets)
        return stepped

    def _is_step(self, charger_id: str, step: _Step) -> bool:
        evidence = self._evidence.get(charger_id)
        if evidence is None:
            return False
        size = (
            max((abs(d) for d in step.deltas), default=0.0)
            if evidence.per_phase
            else abs(step.total)
        )
        return size >= self.settings.min_step_a

    def _weigh(
        self,
        before: tuple[float, tuple[float, ...]],
        after: tuple[float, tuple[float, ...]],
        targets: list[str],
    ) -> set[str]:
        """Add each target's step between two readings to its evidence, the
        other chargers' steps in the same interval subtracted."""
        settings = self.settings
        phases = self.site_phases
        meter_step = [b - a for a, b in zip(before[1], after[1], strict=True)]
        steps: dict[str, _Step] = {}
        since = before[0] - settings.guard_s
        for charger_id, history in self._histories.items():
            if history.steady_since(since):
                continue  # the same draw throughout: no step
            at_start = history.draw_at(before[0], settings.guard_s)
            at_end = history.draw_at(after[0], settings.guard_s)
            if at_start is None or at_end is None:
                continue
            step = _step(at_start, at_end)
            if step.uncertainty > 0 or abs(step.total) > 1e-6:
                steps[charger_id] = step
        # What every charger is believed to add to each phase, and how unsure.
        explained = [0.0] * phases
        variance = [settings.noise_a**2] * phases
        beliefs: dict[str, tuple[list[float], list[float]]] = {}
        for charger_id, step in steps.items():
            mean, spread = self._believed(charger_id, step)
            beliefs[charger_id] = (mean, spread)
            for p in range(phases):
                explained[p] += mean[p]
                variance[p] += spread[p]
        stepped: set[str] = set()
        for charger_id in targets:
            own = steps.get(charger_id)
            evidence = self._evidence.get(charger_id)
            if own is None or evidence is None or own.uncertainty > settings.exact_a:
                continue
            own_mean, own_spread = beliefs[charger_id]
            rest = [meter_step[p] - explained[p] + own_mean[p] for p in range(phases)]
            spread = [variance[p] - own_spread[p] for p in range(phases)]
            evidence.add_step(
                own.session,
                [
                    _log_likelihood(
                        rest,
                        expected_deltas(h, phases, own.deltas, own.total),
                        spread,
                        settings,
                    )
                    for h in evidence.hypotheses
                ],
                settings.step_cap,
            )
            stepped.add(charger_id)
        return stepped

    def _believed(
        self, charger_id: str, step: _Step
    ) -> tuple[list[float], list[float]]:
        """A charger's expected step per phase and its variance (A, A²), as
        far as its wiring is known: found for sure, else as configured."""
        phases = self.site_phases
        configured = self._configured[charger_id]
        wiring = list(configured)
        sure = [False] * len(configured)
        estimate = self.estimate(charger_id)
        if estimate is not None and estimate.steps >= self.settings.min_steps:
            for conductor, probability in enumerate(estimate.confidence):
                if probability >= self.settings.confident:
                    wiring[conductor] = estimate.phases[conductor]
                    sure[conductor] = True
        mean = [0.0] * phases
        spread = [(2.0 * step.uncertainty) ** 2] * phases
        evidence = self._evidence.get(charger_id)
        if evidence is None or evidence.per_phase:
            for phase, delta in zip(wiring, step.deltas, strict=True):
                mean[phase] += delta
            uneven = len(wiring) < phases or (
                max(step.deltas) - min(step.deltas) > _EVEN_A
            )
            moved = [abs(d) > _EVEN_A for d in step.deltas]
            if uneven and not all(s for s, m in zip(sure, moved, strict=True) if m):
                # An uneven step on a wiring not confirmed yet: it may be
                # on other phases (a miswired neighbour moving with this one).
                doubt = max(abs(d) for d in step.deltas) ** 2
                spread = [s + doubt for s in spread]
            return mean, spread
        split = estimate.ev_conductors if estimate is not None else None
        if split is None:
            # Unknown split: the total spread over the wired phases, loosely.
            share = step.total / len(wiring)
            for phase in wiring:
                mean[phase] += share
            spread = [s + (0.5 * step.total) ** 2 for s in spread]
            return mean, spread
        for conductor in range(split):
            mean[wiring[conductor]] += step.total / split
        if split < phases and not all(sure[:split]):
            spread = [s + step.total**2 for s in spread]
        return mean, spread


def _step(start: DrawAt, end: DrawAt) -> _Step:
    return _Step(
        deltas=tuple(
            b - a for a, b in zip(start.currents_a, end.currents_a, strict=True)
        ),
        total=end.total_a - start.total_a,
        uncertainty=start.spread_a + end.spread_a,
        session=end.session,
    )


def _log_likelihood(
    rest: list[float],
    expected: list[float],
    variance: list[float],
    settings: DetectorSettings,
) -> float:
    """How well a hypothesis explains the meter's step: normal noise, plus a
    share of intervals where another load stepped (uniform over a range)."""
    outlier = settings.outlier_share / settings.outlier_range_a
    keep = 1.0 - settings.outlier_share
    total = 0.0
    for value, mean, var in zip(rest, expected, variance, strict=True):
        residual = value - mean
        normal = math.exp(-0.5 * residual * residual / var) / math.sqrt(
            2.0 * math.pi * var
        )
        total += math.log(keep * normal + outlier)
    return total
