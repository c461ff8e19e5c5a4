"""The detector fed from what a loop host hands the loop each round.

Home Assistant's coordinator and the simulator call `observe` with the same
meter reading and charger reports they give `ControlLoop.run_round`, on the
loop clock. Calling it more often than readings change is harmless: a
reading or sample is taken once.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..balancer import ChargerState
from ..chargers.base import ChargerStatus
from ..loop.inputs import ChargerReport
from ..meter.base import MeterReading
from .detector import DetectorSettings, WiringDetector
from .samples import ChargerSample

_PLUGGED = frozenset(
    {ChargerState.CONNECTED, ChargerState.CHARGING, ChargerState.EV_FULL}
)
_STOPPED = frozenset({ChargerState.EV_FULL, ChargerState.NO_EV})
# Without a state, a charger drawing this much has an EV (A).
_DRAWING_A = 1.5


def sample_of(
    status: ChargerStatus, conductors: int, voltage_v: float, now: float
) -> ChargerSample | None:
    """The detector's sample of a charger status (None: it says nothing usable)."""
    taken_at = status.updated_at if status.updated_at is not None else now
    currents = status.current_a
    per_phase = status.phases_known and currents is not None
    if per_phase and currents is not None and len(currents) == conductors:
        values = tuple(currents)
        total = sum(values)
    elif status.power_w is not None:
        values = (0.0,) * conductors
        total = max(0.0, status.power_w) / voltage_v
        per_phase = conductors == 1
        if per_phase:
            values = (total,)
    elif status.state is ChargerState.NO_EV:
        values, total, per_phase = (0.0,) * conductors, 0.0, status.phases_known
    else:
        return None
    state = status.state
    if state in _STOPPED and total < _DRAWING_A:
        # A status that says it stopped arrives at once; its current reading
        # may be older than the stop. The stop is as of now.
        taken_at = max(taken_at, now)
    plugged = state in _PLUGGED if state is not None else total >= _DRAWING_A
    return ChargerSample(
        taken_at=taken_at,
        currents_a=values,
        total_a=total,
        per_phase=per_phase,
        plugged=plugged,
    )


class WiringWatch:
    """One site's wiring detector and what feeds it."""

    def __init__(
        self,
        site_phases: int,
        voltage_v: float,
        chargers: Mapping[str, tuple[int, ...]],
        settings: DetectorSettings | None = None,
    ) -> None:
        self.voltage_v = voltage_v
        self.detector = WiringDetector(site_phases, chargers, settings)
        self._conductors = {cid: len(w) for cid, w in chargers.items()}
        # The chargers whose estimate may have moved in the last observe: a
        # new sample (its latest draw, its session) or a step in its evidence.
        self.moved: set[str] = set()

    def configure(self, chargers: Mapping[str, tuple[int, ...]]) -> None:
        self.detector.configure(chargers)
        self._conductors = {cid: len(w) for cid, w in chargers.items()}

    def observe(
        self,
        now: float,
        reading: MeterReading | None,
        reports: Mapping[str, ChargerReport],
    ) -> set[str]:
        """Take a round's inputs; the chargers whose evidence grew."""
        detector = self.detector
        if reading is not None:
            detector.add_meter(reading.received_at, reading.current_a)
        moved: set[str] = set()
        for charger_id, report in reports.items():
            conductors = self._conductors.get(charger_id)
            if conductors is None:
                continue
            sample = sample_of(report.status, conductors, self.voltage_v, now)
            if sample is not None and detector.add_charger(charger_id, sample):
                moved.add(charger_id)
        stepped = detector.process(now)
        self.moved = moved | stepped
        return stepped
