"""Fixtures for tests in the Home Assistant harness."""

from __future__ import annotations

from pathlib import Path
import time
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion
from syrupy.location import PyTestLocation

from custom_components.ev_load_balancer.const import DOMAIN

from .simulated_site import METER, SimulatedCharger, SimulatedSite

FUSE_A = 40.0
MARGIN_A = 2.0


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let the harness load custom_components/."""


@pytest.fixture
def site_options() -> dict[str, Any]:
    """Tunables of the test site; tests override what they exercise."""
    return {"safety_margin": MARGIN_A, "hold_time": 0, "stale_after": 10}


@pytest.fixture
async def site(hass: HomeAssistant) -> SimulatedSite:
    """A garage with three 3-phase chargers, all with an EV plugged in, and a
    single-phase one that is not yet added to the integration."""
    simulated = SimulatedSite(
        hass,
        [
            SimulatedCharger("cp1"),
            SimulatedCharger("cp2", connection="three_phase_l2l3l1", ev_phases=1),
            SimulatedCharger("cp3", connection="three_phase_l3l1l2"),
            SimulatedCharger(
                "cp4", connection="single_phase_l3", plugged=False, installed=False
            ),
        ],
    )
    await simulated.async_setup()
    return simulated


@pytest.fixture
def mock_config_entry(
    site: SimulatedSite, site_options: dict[str, Any]
) -> MockConfigEntry:
    """A site entry with one charger subentry per simulated charger."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Garage",
        unique_id=METER[0],
        data={
            "name": "Garage",
            "phases": 3,
            "fuse_current": FUSE_A,
            "nominal_voltage": 230,
            "meter_type": "sensors",
            "meter_entities": list(METER),
            "voltage_entities": [],
        },
        options=site_options,
        subentries_data=[
            ConfigSubentryData(
                data=site.subentry_data(charger),
                subentry_id=f"sub_{charger.key}",
                subentry_type="charger",
                title=charger.key.upper(),
                unique_id=charger.number,
            )
            for charger in site.chargers
            if charger.installed
        ],
    )


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> MockConfigEntry:
    """The site, set up and running."""
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry


class _SnapshotsBesideTests(HomeAssistantSnapshotExtension):
    """One snapshot directory for both HA versions (their syrupy defaults differ)."""

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        return str(Path(test_location.filepath).parent / "__snapshots__")


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots with HA's serializers, stored in __snapshots__/."""
    return snapshot.use_extension(_SnapshotsBesideTests)


class _MachineClock:
    """`time` as on a real machine: the monotonic clock is not the wall clock.

    Under freezegun both read the frozen time, which hides every mix-up
    between the two; here the monotonic clock runs 10^9 s behind, ticking
    with the frozen time.
    """

    OFFSET_S = 1e9

    def monotonic(self) -> float:
        return time.monotonic() - self.OFFSET_S

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


@pytest.fixture
def machine_clocks(
    freezer: FrozenDateTimeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A frozen clock from before setup, with a monotonic clock of its own."""
    from custom_components.ev_load_balancer import ha_clock

    monkeypatch.setattr(ha_clock, "time", _MachineClock())
