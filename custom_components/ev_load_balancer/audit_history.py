"""The site's baseline as the recorder kept it, ready for the capacity audit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import State
from homeassistant.util import dt as dt_util

from .sizing import BaselineSeries


@dataclass(frozen=True, slots=True)
class RecordedBaseline:
    """The resampled baseline and how long the record really covers."""

    series: BaselineSeries
    covered_s: float


def baseline_series(
    history: Mapping[str, Sequence[State]],
    phase_entities: Sequence[str],
    start: datetime,
    end: datetime,
) -> RecordedBaseline | None:
    """Per-minute baseline per phase from each phase sensor's recorded states.

    Each value holds until the next; gaps (unavailable) hold the last value.
    None when a phase has no usable value at all.
    """
    changes: list[tuple[float, int, float]] = []
    for phase, entity_id in enumerate(phase_entities):
        for state in history.get(entity_id, ()):
            if state.state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
                continue
            try:
                value = float(state.state)
            except ValueError:
                continue
            moment = max(state.last_changed, start)
            changes.append(((moment - start).total_seconds(), phase, value))
    if {phase for _, phase, _ in changes} != set(range(len(phase_entities))):
        return None
    changes.sort()
    first_per_phase = {phase: offset for offset, phase, _ in reversed(changes)}
    covered_from = max(first_per_phase.values())
    current: list[float | None] = [None] * len(phase_entities)
    samples: list[tuple[float, tuple[float, ...]]] = []
    for offset, phase, value in changes:
        current[phase] = value
        if all(v is not None for v in current):
            samples.append((offset, tuple(v for v in current if v is not None)))
    total_s = (end - start).total_seconds()
    series = BaselineSeries.from_samples(
        dt_util.as_local(start), samples, end_s=total_s
    )
    return RecordedBaseline(series, total_s - covered_from)
