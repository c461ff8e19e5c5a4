"""What the steps seen so far say about one charger's wiring.

Each step adds, per hypothesis, how well it explains the meter's step. Its
weight is bounded (`cap`): one step that another load happened to match can
never decide, only several that agree can. For a power-only charger the EV's
split is a fact of one session, so the evidence is kept per session and the
split is summed out when the session is folded into the wiring's total.
"""

from __future__ import annotations

from dataclasses import dataclass
import math

from .hypotheses import Hypothesis, hypotheses, wirings


@dataclass(frozen=True, slots=True, kw_only=True)
class WiringEstimate:
    """The wiring one charger's steps point to."""

    charger_id: str
    configured: tuple[int, ...]
    # The most likely site phase of each conductor, and its probability.
    phases: tuple[int, ...]
    confidence: tuple[float, ...]
    # Steps of this charger that were used.
    steps: int
    # Sessions in which it stepped at least once.
    sessions: int
    # A conductor is found on another phase than configured, for sure.
    mismatch: bool
    # The number of conductors the EV of the current session draws on, when
    # sure (a power-only charger: inferred; per conductor: seen); else None.
    ev_conductors: int | None

    @property
    def single_phase_ev(self) -> bool:
        """A 1-phase EV on a multi-conductor charger (this session)."""
        return len(self.configured) > 1 and self.ev_conductors == 1


class ChargerEvidence:
    """Accumulated log-likelihoods of one charger's hypotheses."""

    def __init__(
        self,
        charger_id: str,
        configured: tuple[int, ...],
        site_phases: int,
        *,
        per_phase: bool,
        configured_log_prior: float,
    ) -> None:
        self.charger_id = charger_id
        self.configured = configured
        self.site_phases = site_phases
        self.per_phase = per_phase
        self.hypotheses: tuple[Hypothesis, ...] = hypotheses(
            len(configured), site_phases, per_phase=per_phase
        )
        self.wirings = wirings(len(configured), site_phases)
        self._wiring_index = {w: i for i, w in enumerate(self.wirings)}
        self._of_wiring = [self._wiring_index[h.wiring] for h in self.hypotheses]
        self._configured_log_prior = configured_log_prior
        self._prior: list[float] = []
        self.reconfigure(configured)
        self._folded = [0.0] * len(self.wirings)
        # session -> log-likelihood per hypothesis
        self._open: dict[int, list[float]] = {}
        self.steps = 0
        self._sessions_with_steps: set[int] = set()
        self._folded_sessions = 0
        self.last_split: tuple[int, float] | None = None

    def reconfigure(self, configured: tuple[int, ...]) -> None:
        """A new configured wiring (same conductors): the steps stay valid."""
        self.configured = configured
        self._prior = [
            self._configured_log_prior if w == configured else 0.0 for w in self.wirings
        ]

    def add_step(self, session: int, log_likelihoods: list[float], cap: float) -> None:
        """One step: a log-likelihood per hypothesis, at most `cap` below the best."""
        best = max(log_likelihoods)
        scores = self._open.get(session)
        if scores is None:
            scores = self._open[session] = [0.0] * len(self.hypotheses)
            self._fold_old(session)
        for i, value in enumerate(log_likelihoods):
            scores[i] += max(value - best, -cap)
        self.steps += 1
        self._sessions_with_steps.add(session)

    def _fold_old(self, current: int) -> None:
        """Sessions before the previous one get no more steps: fold them."""
        for session in [s for s in self._open if s < current - 1]:
            for wiring, value in enumerate(self._session_wiring_scores(session)):
                self._folded[wiring] += value
            del self._open[session]
            self._folded_sessions += 1

    def _session_wiring_scores(self, session: int) -> list[float]:
        """One session's evidence per wiring, its split summed out."""
        scores = self._open[session]
        if self.per_phase:
            return list(scores)
        per_wiring: list[list[float]] = [[] for _ in self.wirings]
        for hypothesis, wiring, value in zip(
            self.hypotheses, self._of_wiring, scores, strict=True
        ):
            per_wiring[wiring].append(hypothesis.log_prior + value)
        return [_logsumexp(values) for values in per_wiring]

    def wiring_posterior(self) -> list[float]:
        """Probability of each wiring (in `wirings` order)."""
        totals = [p + f for p, f in zip(self._prior, self._folded, strict=True)]
        for session in self._open:
            for wiring, value in enumerate(self._session_wiring_scores(session)):
                totals[wiring] += value
        return _softmax(totals)

    def split_posterior(self, session: int) -> dict[int, float]:
        """Probability of each split in one session (power-only chargers)."""
        scores = self._open.get(session)
        if self.per_phase or scores is None:
            return {}
        wiring_post = self.wiring_posterior()
        joint: dict[int, list[float]] = {}
        for hypothesis, wiring, value in zip(
            self.hypotheses, self._of_wiring, scores, strict=True
        ):
            weight = math.log(max(wiring_post[wiring], 1e-300))
            joint.setdefault(hypothesis.split, []).append(
                hypothesis.log_prior + value + weight
            )
        splits = list(joint)
        probabilities = _softmax([_logsumexp(joint[s]) for s in splits])
        return dict(zip(splits, probabilities, strict=True))

    def estimate(
        self,
        *,
        confident: float,
        split_confident: float,
        min_steps: int,
        min_sessions: int,
        current_session: int,
        seen_conductors: int | None,
    ) -> WiringEstimate:
        """The most likely phase of each conductor and whether it contradicts
        the configured wiring (sure beyond `confident`, after `min_steps`)."""
        posterior = self.wiring_posterior()
        conductors = len(self.configured)
        phases: list[int] = []
        confidence: list[float] = []
        for conductor in range(conductors):
            marginal = [0.0] * self.site_phases
            for wiring, probability in zip(self.wirings, posterior, strict=True):
                marginal[wiring[conductor]] += probability
            best = max(range(self.site_phases), key=marginal.__getitem__)
            phases.append(best)
            confidence.append(min(1.0, marginal[best]))
        enough = (
            self.steps >= min_steps and len(self._sessions_with_steps) >= min_sessions
        )
        mismatch = enough and any(
            phase != configured and probability >= confident
            for phase, configured, probability in zip(
                phases, self.configured, confidence, strict=True
            )
        )
        ev_conductors = seen_conductors
        if not self.per_phase:
            splits = self.split_posterior(current_session)
            ev_conductors = next(
                (s for s, p in splits.items() if p >= split_confident), None
            )
        return WiringEstimate(
            charger_id=self.charger_id,
            configured=self.configured,
            phases=tuple(phases),
            confidence=tuple(confidence),
            steps=self.steps,
            sessions=len(self._sessions_with_steps),
            mismatch=mismatch,
            ev_conductors=ev_conductors,
        )

    def best_wiring(self, allowed: tuple[tuple[int, ...], ...]) -> tuple[int, ...]:
        """The most likely wiring among `allowed` (those the configuration offers)."""
        posterior = self.wiring_posterior()
        candidates = [w for w in allowed if w in self._wiring_index] or [
            self.configured
        ]
        return max(
            candidates,
            key=lambda w: (
                posterior[self._wiring_index[w]] if w in self._wiring_index else -1.0
            ),
        )


def _logsumexp(values: list[float]) -> float:
    peak = max(values)
    return peak + math.log(sum(math.exp(v - peak) for v in values))


def _softmax(values: list[float]) -> list[float]:
    peak = max(values)
    weights = [math.exp(v - peak) for v in values]
    total = sum(weights)
    return [w / total for w in weights]
