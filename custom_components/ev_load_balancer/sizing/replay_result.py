"""What a replay produced: its rounds when recorded, and everything metrics need."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..balancer import Allocation, Site
from ..loop import ChargerReport
from ..meter.base import MeterReading
from .baseline_series import BaselineSeries
from .model import ControlTiming
from .sim_charger import SessionOutcome, SimulatedCharger
from .trace import PhaseTrace


@dataclass(frozen=True, slots=True)
class RoundRecord:
    """One round of a recorded replay: what the loop saw and what it decided."""

    time_s: float
    meter: MeterReading | None
    # Every charger's report at that moment (idle ones too).
    reports: dict[str, ChargerReport]
    # The limit decided for each charger (None: balancing was off).
    limits: dict[str, float | None]


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
    # Worst of baseline (as the meter last showed it) + commanded limits -
    # fuse, over every round and every phase that carries a command (A; see
    # commanded.py). Not positive: the controller never asked for more than
    # the fuse on what it could know.
    commanded_excess_a: float
    # Commands the loop sent to chargers.
    commands: int = 0
    # Every round, when asked for (simulate(..., record=True)).
    round_log: tuple[RoundRecord, ...] = ()
    # 1p/3p switches the chargers carried out (sim_phase_switch.py), in
    # time order: (time, charger id, phases switched to).
    phase_log: tuple[tuple[float, str, int], ...] = ()
    # What the EVs below each circuit drew (sim_circuits.py), by circuit id.
    circuit_traces: Mapping[str, PhaseTrace] = field(default_factory=dict)

    @property
    def phase_switches(self) -> int:
        """How many 1p/3p switches the chargers carried out."""
        return len(self.phase_log)


def round_record(
    now: float,
    meter: MeterReading | None,
    allocation: Allocation | None,
    chargers: Sequence[SimulatedCharger],
    timing: ControlTiming,
) -> RoundRecord:
    """One round as recorded: every charger's report and limit (None: off)."""
    limits: dict[str, float | None] = {}
    for charger in chargers:
        charger_id = charger.spec.charger_id
        limit = allocation.limits.get(charger_id) if allocation else None
        limits[charger_id] = (
            limit.current_a
            if limit is not None
            else (0.0 if allocation is not None else None)
        )
    return RoundRecord(
        time_s=now,
        meter=meter,
        reports={c.spec.charger_id: c.report(now, timing) for c in chargers},
        limits=limits,
    )
