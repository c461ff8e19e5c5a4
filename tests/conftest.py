"""Test-wide settings."""

from __future__ import annotations

from collections.abc import Generator
import os
from unittest.mock import PropertyMock, patch

from hypothesis import HealthCheck, settings
import pytest

settings.register_profile(
    "default",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# EVLB_HYPOTHESIS=thorough for a long bug hunt before a release.
settings.register_profile(
    "thorough",
    parent=settings.get_profile("default"),
    max_examples=2000,
)
settings.load_profile(os.environ.get("EVLB_HYPOTHESIS", "default"))


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Create every entity enabled, also those a user has to enable."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
        new_callable=PropertyMock,
    ):
        yield
