"""Benchmarks: `make bench` prints one BENCH line per figure."""
