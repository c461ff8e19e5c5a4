"""An adopted OCPP charger, as the coordinator knows chargers: by subentry id.

The OCPP layer names a charger by its charge point id; the loop, the entities
and the runtime store name it by its config subentry. This thin wrapper is the
only place the two meet. The central system starts and stops the OCPP backend,
so start and stop here do nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from ..ocpp_cs import LimitFailure, OcppChargerBackend
from .base import ChargerBackend, ChargerCommandError, ChargerStatus


class OcppCharger(ChargerBackend):
    """Limits go out as charging profiles over the charger's own websocket."""

    def __init__(self, charger_id: str, ocpp: OcppChargerBackend) -> None:
        super().__init__(charger_id)
        self.ocpp = ocpp

    @property
    def status(self) -> ChargerStatus:
        return self.ocpp.status

    @property
    def available(self) -> bool:
        return self.ocpp.available

    @property
    def step_a(self) -> float:
        return self.ocpp.step_a

    async def async_apply_limit(self, current_a: float) -> None:
        if not self.ocpp.available:
            # Kept from the OCPP backend, which re-sends its newest limit when
            # the charger connects: what the loop asks of a charger it cannot
            # reach (a pause) must not be what it gets on its return.
            raise ChargerCommandError(LimitFailure.NOT_CONNECTED, self.ocpp.charger_id)
        await self.ocpp.async_apply_limit(current_a)

    def add_listener(self, callback: Callable[[], None]) -> Callable[[], None]:
        return self.ocpp.add_listener(callback)
