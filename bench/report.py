"""Percentiles and the BENCH line format."""

from __future__ import annotations

from collections.abc import Sequence
import statistics


def percentile_ms(samples_s: Sequence[float], percent: int) -> float:
    """The given percentile of samples in seconds, in milliseconds."""
    if len(samples_s) == 1:
        return samples_s[0] * 1000
    cuts = statistics.quantiles(samples_s, n=100, method="inclusive")
    return cuts[percent - 1] * 1000


def bench_line(name: str, samples_s: Sequence[float], **labels: object) -> str:
    """`BENCH name k=v ... p50_ms=.. p99_ms=..`"""
    fields = " ".join(f"{key}={value}" for key, value in labels.items())
    return (
        f"BENCH {name} {fields} p50_ms={percentile_ms(samples_s, 50):.2f} "
        f"p99_ms={percentile_ms(samples_s, 99):.2f}"
    )
