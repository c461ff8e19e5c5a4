"""Tests of the sizing package (the simulation the HA service runs)."""
