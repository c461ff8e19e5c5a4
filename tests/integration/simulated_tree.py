"""A building with a sub-board: the main meter and the sub-board's own meter
are real HA sensor states, on top of simulated_site.py's chargers."""

from __future__ import annotations

from dataclasses import dataclass, field

from homeassistant.core import callback

from .simulated_site import AMPS, METER, SimulatedCharger, SimulatedSite

BOARD_METER = ("sensor.board_l1", "sensor.board_l2", "sensor.board_l3")


@dataclass
class SimulatedTree(SimulatedSite):
    """`baseline_a` is the load outside the sub-board; `board_baseline_a` the
    sub-board's own non-EV load. The main meter sees both and every EV."""

    board_chargers: set[str] = field(default_factory=set)
    board_baseline_a: list[float] = field(default_factory=lambda: [3.0, 3.0, 3.0])
    board_meter_frozen: bool = False

    def on_board(self, charger: SimulatedCharger) -> bool:
        return charger.key in self.board_chargers

    def site_current(self) -> list[float]:
        return [
            value + board
            for value, board in zip(
                super().site_current(), self.board_baseline_a, strict=True
            )
        ]

    def board_current(self) -> list[float]:
        board = list(self.board_baseline_a)
        for charger in self.chargers:
            if self.on_board(charger):
                for conductor, value in enumerate(charger.draw()):
                    board[charger.installed_wiring[conductor]] += value
        return board

    @callback
    def publish(self) -> None:
        super().publish()
        if not self.board_meter_frozen:
            for entity_id, value in zip(BOARD_METER, self.board_current(), strict=True):
                self.hass.states.async_set(
                    entity_id, f"{value:.2f}", AMPS, force_update=True
                )

    def allowed(self, limits: dict[str, float]) -> tuple[list[float], list[float]]:
        """Per site phase, what these limits allow with the true loads: on
        the main fuse and on the sub-board (an EV loads the phases it uses)."""
        main = [
            a + b for a, b in zip(self.baseline_a, self.board_baseline_a, strict=True)
        ]
        board = list(self.board_baseline_a)
        for charger in self.chargers:
            if not charger.plugged or not charger.installed:
                continue
            current = limits.get(charger.key, 0.0)
            for conductor in range(min(charger.ev_phases, len(charger.wiring))):
                phase = charger.installed_wiring[conductor]
                main[phase] += current
                if self.on_board(charger):
                    board[phase] += current
        return main, board


__all__ = ["BOARD_METER", "METER", "SimulatedTree"]
