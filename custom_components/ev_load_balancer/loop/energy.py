"""How much energy a charger delivered between two rounds.

From its energy register when it reports one (exact), else from its power,
or its currents at the nominal voltage, held since the previous round. The
countdown of the energy an EV still needs runs on this, for every kind of
charger alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..chargers.base import ChargerStatus

# A register that moves more than this between two rounds was replaced or
# reset, or is garbage: that step counts as nothing.
MAX_STEP_KWH = 50.0
# Power held longer than this (a gap in rounds) is not integrated further.
MAX_HOLD_S = 60.0


@dataclass(slots=True)
class EnergyCounter:
    """Energy delivered by one charger, round by round."""

    _register_kwh: float | None = None
    _power_w: float = 0.0
    _at: float | None = None

    def step(self, status: ChargerStatus, now: float, voltage_v: float) -> float:
        """Energy (kWh) delivered since the previous step."""
        previous_register, self._register_kwh = self._register_kwh, status.energy_kwh
        previous_power, previous_at = self._power_w, self._at
        self._power_w = _power_w(status, voltage_v)
        self._at = now
        register = status.energy_kwh
        if register is not None and previous_register is not None:
            delta = register - previous_register
            return delta if 0.0 <= delta <= MAX_STEP_KWH else 0.0
        if previous_at is None or register is not None:
            return 0.0
        held_s = min(max(0.0, now - previous_at), MAX_HOLD_S)
        return previous_power * held_s / 3.6e6

    def reset(self) -> None:
        """A new session: nothing carried over."""
        self._register_kwh = None
        self._power_w = 0.0
        self._at = None


def _power_w(status: ChargerStatus, voltage_v: float) -> float:
    if status.power_w is not None:
        return max(0.0, status.power_w)
    if status.current_a:
        return max(0.0, sum(status.current_a)) * voltage_v
    return 0.0
