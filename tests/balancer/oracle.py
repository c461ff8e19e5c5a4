"""Checks computed from the raw inputs, independently of the engine's internals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from custom_components.ev_load_balancer.balancer import (
    ChargerInput,
    ChargerLimit,
    ChargerState,
    Site,
)

# What "drawing" means for the checks; the engine documents the same rule.
DRAWING_MIN_A = 1.5
DRAWING_SHARE = 0.25
TOLERANCE_A = 1e-6


def loaded_phases(charger: ChargerInput) -> list[int]:
    """Site phases a fresh engine must reserve: those measured drawing, else all."""
    measured = charger.measured_a
    if measured and max(measured) >= DRAWING_MIN_A:
        threshold = max(DRAWING_MIN_A, DRAWING_SHARE * max(measured))
        return [charger.wiring[i] for i, v in enumerate(measured) if v >= threshold]
    return list(charger.wiring)


def fresh_baseline(
    site: Site, site_measured_a: Sequence[float], chargers: Sequence[ChargerInput]
) -> list[float]:
    """First-round baseline: site minus the draw of the EVs that are charging."""
    baseline = list(site_measured_a)
    for charger in chargers:
        if not charger.controllable or charger.state is not ChargerState.CHARGING:
            continue
        for conductor, value in enumerate(charger.measured_a):
            baseline[charger.wiring[conductor]] -= min(value, charger.max_a)
    return [max(0.0, value) for value in baseline]


def phase_load(
    limits: Mapping[str, ChargerLimit],
    chargers: Sequence[ChargerInput],
    phase_count: int,
) -> list[float]:
    """Current the limits allow on each site phase."""
    load = [0.0] * phase_count
    for charger in chargers:
        current = limits[charger.charger_id].current_a
        for phase in loaded_phases(charger):
            load[phase] += current
    return load


def assert_fuse_holds(
    site: Site,
    baseline: Sequence[float],
    limits: Mapping[str, ChargerLimit],
    chargers: Sequence[ChargerInput],
) -> None:
    """Invariant 1: baseline + limits <= fuse - margin on every phase, or all 0."""
    load = phase_load(limits, chargers, site.phases)
    for phase in range(site.phases):
        if baseline[phase] > site.usable_a + TOLERANCE_A:
            stuck = [
                c.charger_id
                for c in chargers
                if phase in loaded_phases(c) and limits[c.charger_id].current_a
            ]
            assert not stuck, f"phase {phase} overloaded yet {stuck} still get current"
        else:
            total = baseline[phase] + load[phase]
            assert total <= site.usable_a + TOLERANCE_A, (
                f"phase {phase}: baseline {baseline[phase]:.3f} + EVs "
                f"{load[phase]:.3f} > usable {site.usable_a:.3f}"
            )


def assert_limits_in_bounds(
    limits: Mapping[str, ChargerLimit], chargers: Sequence[ChargerInput]
) -> None:
    """Invariant 2: every limit is 0 or inside [min, max]."""
    for charger in chargers:
        current = limits[charger.charger_id].current_a
        assert current == 0 or (
            charger.min_a - TOLERANCE_A <= current <= charger.max_a + TOLERANCE_A
        ), f"{charger.charger_id}: {current} outside [{charger.min_a}, {charger.max_a}]"
