"""A charger's energy at full precision: it never goes back, a reset of the
register is a new register, and a session's energy is the register's end
minus its start (through the session export)."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
import pytest

from evlb_sim.live.ocpp_charge_points import (
    RecordingChargePoint,
    RecordingChargePointV16,
    RecordingChargePointV201,
)

from . import ev_messages as ev
from .conftest import SetUpSite
from .site import booted, export_sessions, ocpp_subentry, site_entry, state_becomes


@pytest.mark.parametrize("factory", [RecordingChargePointV16, RecordingChargePointV201])
async def test_a_session_across_a_register_reset(
    hass: HomeAssistant, setup_site: SetUpSite, factory: type[RecordingChargePoint]
) -> None:
    entry = await setup_site(site_entry(ocpp_subentry("CP1")))
    async with booted(entry, "CP1", factory) as charger:
        await ev.status(charger, plugged=True, charging=True)
        transaction = await ev.start(charger, "TAG-1", 5000.0)
        await ev.meter(charger, transaction, (10.0,) * 3, 5400.0)
        await state_becomes(hass, "sensor.cp1_energy", "5.4")
        # A new meter in the charger starts again from nearly nothing.
        # counted on from the old total: 5400 + 10 Wh.
        await ev.meter(charger, transaction, (10.0,) * 3, 10.0)
        await state_becomes(hass, "sensor.cp1_energy", "5.41")
        await ev.meter(charger, transaction, (10.0,) * 3, 110.0)
        await state_becomes(hass, "sensor.cp1_energy", "5.51")
        await ev.stop(charger, transaction, 210.0)
        await state_becomes(hass, "sensor.cp1_energy", "5.61")
    (session,) = await export_sessions(hass, entry.entry_id)
    # The register's end (5.61 kWh) minus its start (5.0), not 210 - 5000 Wh.
    assert session["energy_kwh"] == "0.610"


async def test_the_register_is_shown_at_full_precision(
    hass: HomeAssistant, setup_site: SetUpSite
) -> None:
    entry = await setup_site(site_entry(ocpp_subentry("CP1")))
    async with booted(entry, "CP1", RecordingChargePointV201) as charger:
        await ev.meter(charger, None, (0.0,) * 3, 1234.567)
        await state_becomes(hass, "sensor.cp1_energy", "1.234567")
        await ev.meter(charger, None, (0.0,) * 3, 1234.5)  # rounded the other way
        await state_becomes(hass, "sensor.cp1_last_heartbeat", lambda s: True)
        assert hass.states.get("sensor.cp1_energy").state == "1.234567"
