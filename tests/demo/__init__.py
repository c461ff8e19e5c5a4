"""Tests of the demo's parts that need no running Home Assistant."""
