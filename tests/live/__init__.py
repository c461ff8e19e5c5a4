"""Tests of the live simulators (evlb_sim.live)."""
