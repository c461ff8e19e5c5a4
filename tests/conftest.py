"""Test-wide settings."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

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
