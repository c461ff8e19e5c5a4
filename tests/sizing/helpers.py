"""Small sites and sessions for replay tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
import math
import random

from custom_components.ev_load_balancer.balancer import ChargerInput, Rotation, Site
from custom_components.ev_load_balancer.sizing import (
    BaselineSeries,
    ChargerSpec,
    Session,
)

START = datetime.fromisoformat("2024-01-08T00:00")
HOUR = 3600.0


def rotated_chargers(count: int, max_a: float = 16.0) -> list[ChargerSpec]:
    rotations = list(Rotation)
    return [
        ChargerSpec(charger_id=f"cp{i}", wiring=rotations[i % 3].wiring, max_a=max_a)
        for i in range(count)
    ]


def flat_baseline(amps: float, hours: float, phases: int = 3) -> BaselineSeries:
    return BaselineSeries(START, 60.0, ((amps,) * phases,) * math.ceil(hours * 60))


def noisy_baseline(
    mean: float, spread: float, hours: float, seed: int
) -> BaselineSeries:
    rng = random.Random(seed)
    return BaselineSeries(
        START,
        60.0,
        tuple(
            tuple(max(0.0, mean + rng.uniform(-spread, spread)) for _ in range(3))
            for _ in range(math.ceil(hours * 60))
        ),
    )


def evening_sessions(
    chargers: Sequence[ChargerSpec], seed: int, *, kwh: tuple[float, float] = (4, 20)
) -> list[Session]:
    rng = random.Random(seed)
    sessions = []
    for charger in chargers:
        phases = rng.choice((1, 3, 3))
        arrival = rng.uniform(16, 20) * HOUR
        sessions.append(
            Session(
                charger_id=charger.charger_id,
                arrival_s=arrival,
                departure_s=arrival + rng.uniform(2, 12) * HOUR,
                energy_kwh=rng.uniform(*kwh),
                ev_phases=phases,
                ev_max_a=16.0 if phases == 3 else 32.0,
            )
        )
    return sessions


class ScriptedController:
    """Limits from a function of time; records what it was asked."""

    name = "scripted"

    def __init__(self, limit_at: object) -> None:
        self.limit_at = limit_at
        self.seen: list[tuple[float, tuple[str, ...]]] = []

    def allocate(
        self,
        now_s: float,
        site: Site,
        site_measured_a: Sequence[float],
        chargers: Sequence[ChargerInput],
    ) -> Mapping[str, float]:
        self.seen.append((now_s, tuple(c.charger_id for c in chargers)))
        limit = self.limit_at(now_s)  # type: ignore[operator]
        return {charger.charger_id: float(limit) for charger in chargers}

    def next_wake_s(self, now_s: float) -> float:
        return math.inf

    def baseline_slack_a(self) -> tuple[float, ...] | None:
        return None
