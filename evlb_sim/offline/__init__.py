"""Offline simulation: scenarios replayed through every strategy."""
