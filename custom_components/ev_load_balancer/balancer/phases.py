"""Which site phases an EV loads, from the charger's wiring and what it measures."""

from __future__ import annotations

from .model import ChargerInput

# A conductor counts as drawing when it carries this much, and at least this
# share of the busiest conductor (ignores leakage and sensor noise).
DRAWING_MIN_A = 1.5
DRAWING_SHARE = 0.25


def drawing_conductors(measured_a: tuple[float, ...]) -> frozenset[int]:
    """Indices of the conductors the EV draws on now; empty when not drawing."""
    if not measured_a:
        return frozenset()
    peak = max(measured_a)
    if peak < DRAWING_MIN_A:
        return frozenset()
    threshold = max(DRAWING_MIN_A, DRAWING_SHARE * peak)
    return frozenset(i for i, value in enumerate(measured_a) if value >= threshold)


def active_conductors(
    charger: ChargerInput, seen_in_session: frozenset[int]
) -> tuple[int, ...]:
    """Conductors the allocation must reserve for.

    What the EV was seen drawing on in this session, plus a declared phase count;
    with neither, every wired conductor (the safe assumption).
    """
    # A charger switched to one phase has fewer conductors than it was seen on.
    known = {i for i in seen_in_session if i < len(charger.wiring)}
    if charger.ev_phases:
        known.update(range(min(charger.ev_phases, len(charger.wiring))))
    if not known:
        return tuple(range(len(charger.wiring)))
    return tuple(sorted(known))


def site_phases(charger: ChargerInput, conductors: tuple[int, ...]) -> tuple[int, ...]:
    """Site phase of each given conductor (a phase repeats if bridged)."""
    return tuple(charger.wiring[i] for i in conductors)


def phase_weights(load_phases: tuple[int, ...], phase_count: int) -> tuple[int, ...]:
    """How many conductors load each site phase."""
    weights = [0] * phase_count
    for phase in load_phases:
        weights[phase] += 1
    return tuple(weights)
