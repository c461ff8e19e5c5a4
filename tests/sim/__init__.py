"""Tests of the command-line simulator (evlb_sim)."""
