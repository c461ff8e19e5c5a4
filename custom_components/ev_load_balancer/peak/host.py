"""Peak shaving as a host of the control loop runs it, before each round.

From the same inputs the loop gets (the meter, the charger reports) it
keeps the window tracker, the baseline forecast and the sessions learnt,
and sets peak shaving's own cap (SiteRuntime.peak_cap_a) to the peak
controller's cap. The user's temporary limit is a field of its own; the
balancer gets the lower of the two, and the fuse stays below both
(SiteRuntime.active_site_limit). The cap is set with a short expiry, so it
lapses by itself when the host stops deciding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..balancer import ChargerState
from ..chargers.base import ChargerStatus
from ..loop import ChargerReport, LoopConfig, RoundTime, SiteRuntime
from ..meter.base import MeterReading
from .controller import PeakController, PeakDecision
from .planner import EvNeed
from .sessions import PastSession

# The cap lapses after this long without a new decision (s).
CAP_VALID_S = 300.0
# A conductor carrying more than this draws (A).
_DRAWING_A = 1.0
# Power is integrated over gaps up to this long (s); a longer one (the host
# was not called) counts as unknown, not as the last power held.
_MAX_GAP_S = CAP_VALID_S


@dataclass(slots=True)
class _Plugged:
    arrival_s: float
    register_kwh: float | None
    delivered_kwh: float = 0.0
    last_s: float = 0.0
    phases: tuple[int, ...] = ()
    full: bool = False
    # The energy last planned for it (kWh): a session that leaves not full
    # wanted at least that much, whatever peak shaving let it take.
    expected_kwh: float = 0.0


class PeakHost:
    """Feeds one PeakController and applies its cap as peak shaving's cap."""

    def __init__(self, controller: PeakController, config: LoopConfig) -> None:
        self.controller = controller
        self.config = config
        self._reports: dict[str, ChargerReport] = {}
        self._plugged: dict[str, _Plugged] = {}

    def before_round(
        self,
        time: RoundTime,
        reading: MeterReading | None,
        reports: Mapping[str, ChargerReport],
        runtime: SiteRuntime,
    ) -> PeakDecision | None:
        """Update from this round's inputs and set peak shaving's cap for it."""
        wall = time.wall
        self._reports.update(reports)
        config = self.config
        volts = config.voltage_v
        ev_a = [0.0] * config.phases
        demand_a = [0.0] * config.phases
        needs: list[EvNeed] = []
        for charger in config.chargers:
            report = self._reports.get(charger.charger_id)
            status = report.status if report is not None else None
            state = status.state if status is not None else None
            session = self._track(charger.charger_id, state, status, wall)
            if session is None or status is None:
                continue
            currents = status.current_a or ()
            drawing = tuple(
                charger.wiring[i]
                for i, value in enumerate(currents)
                if value > _DRAWING_A and i < len(charger.wiring)
            )
            if drawing:
                session.phases = drawing
            for i, value in enumerate(currents[: len(charger.wiring)]):
                ev_a[charger.wiring[i]] += value
            if session.full:
                continue
            phases = session.phases or charger.wiring
            for phase in phases:
                demand_a[phase] += charger.max_a
            need = self._need(charger.charger_id, session, wall, phases, charger.max_a)
            needs.append(need)
            self._tell_departure(charger.charger_id, need, runtime)
        if reading is None:
            return None
        baseline_a = [
            max(0.0, site - ev)
            for site, ev in zip(reading.current_a, ev_a, strict=False)
        ]
        controller = self.controller
        controller.observe(
            wall,
            sum(reading.current_a) * volts / 1000.0,
            sum(baseline_a) * volts / 1000.0,
        )
        decision = controller.decide(wall, needs, baseline_a, demand_a)
        if decision.cap_a is None:
            runtime.peak_cap_a = None
            runtime.peak_cap_until = None
        else:
            # A cap is on the fuse's scale (the margin comes off it too).
            runtime.peak_cap_a = decision.cap_a + config.margin_a
            runtime.peak_cap_until = wall + CAP_VALID_S
        return decision

    def _tell_departure(
        self, charger_id: str, need: EvNeed, runtime: SiteRuntime
    ) -> None:
        # The balancer's departure strategy serves the nearest deadline
        # first, as the plan assumes; a departure the user set wins there.
        settings = runtime.charger(charger_id)
        settings.estimated_departure = need.deadline_s
        settings.estimated_energy_kwh = need.energy_kwh

    def _track(
        self,
        charger_id: str,
        state: ChargerState | None,
        status: ChargerStatus | None,
        wall: float,
    ) -> _Plugged | None:
        """Session bookkeeping: plug-in, energy so far, plug-out (learnt)."""
        plugged = self._plugged.get(charger_id)
        present = state is not None and state is not ChargerState.NO_EV
        register = status.energy_kwh if status is not None else None
        if not present:
            if plugged is not None:
                del self._plugged[charger_id]
                arrival = self.controller.tariff.local(plugged.arrival_s).hour
                # Learning what a capped session took would teach smaller
                # needs, and the next cap would be tighter still.
                energy = plugged.delivered_kwh
                if not plugged.full:
                    energy = max(energy, plugged.expected_kwh)
                self.controller.sessions.record(
                    charger_id, PastSession(arrival, wall - plugged.arrival_s, energy)
                )
                self.controller.replan()
            return None
        if plugged is None:
            plugged = self._plugged[charger_id] = _Plugged(wall, register, last_s=wall)
            self.controller.replan()
        elif register is not None and plugged.register_kwh is not None:
            plugged.delivered_kwh = max(0.0, register - plugged.register_kwh)
        elif (
            status is not None
            and status.power_w is not None
            and wall - plugged.last_s <= _MAX_GAP_S
        ):
            plugged.delivered_kwh += status.power_w * (wall - plugged.last_s) / 3.6e6
        plugged.last_s = wall
        full = state is ChargerState.EV_FULL
        if full != plugged.full:
            plugged.full = full
            self.controller.replan()
        return plugged

    def _need(
        self,
        charger_id: str,
        session: _Plugged,
        wall: float,
        phases: tuple[int, ...],
        max_a: float,
    ) -> EvNeed:
        controller = self.controller
        arrival_hour = controller.tariff.local(session.arrival_s).hour
        expected = controller.sessions.expect(
            charger_id,
            arrival_hour,
            wall - session.arrival_s,
            session.delivered_kwh,
        )
        session.expected_kwh = expected.energy_kwh
        remaining = max(0.0, expected.energy_kwh - session.delivered_kwh)
        deadline = session.arrival_s + expected.stay_s
        max_kw = len(phases) * max_a * self.config.voltage_v / 1000.0
        return EvNeed(remaining, deadline, max_kw)
