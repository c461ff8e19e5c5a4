"""Which site phases an EV loads, from the charger's wiring and what it measures."""

from __future__ import annotations

from .model import ChargerInput

# A conductor counts as drawing when it carries this much, and at least this
# share of the busiest conductor (ignores leakage and sensor noise).
DRAWING_MIN_A = 1.5
DRAWING_SHARE = 0.25


_NONE: frozenset[int] = frozenset()
# Results of the pure functions below by their arguments: a site has a handful
# of wirings, and these run for every charger in every round.
_ALL_CONDUCTORS = {count: tuple(range(count)) for count in (1, 2, 3)}
_SITE_PHASES: dict[tuple[tuple[int, ...], tuple[int, ...]], tuple[int, ...]] = {}
_WEIGHTS: dict[tuple[tuple[int, ...], int], tuple[int, ...]] = {}
_CACHE_LIMIT = 4096


def drawing_conductors(measured_a: tuple[float, ...]) -> frozenset[int]:
    """Indices of the conductors the EV draws on now; empty when not drawing."""
    if not measured_a:
        return _NONE
    peak = max(measured_a)
    if peak < DRAWING_MIN_A:
        return _NONE
    threshold = max(DRAWING_MIN_A, DRAWING_SHARE * peak)
    return frozenset(i for i, value in enumerate(measured_a) if value >= threshold)


def active_conductors(
    charger: ChargerInput, seen_in_session: frozenset[int]
) -> tuple[int, ...]:
    """Conductors the allocation must reserve for.

    What the EV was seen drawing on in this session, plus a declared phase count;
    with neither, every wired conductor (the safe assumption).
    """
    count = len(charger.wiring)
    ev_phases = charger.ev_phases
    if not seen_in_session and not ev_phases:
        return _ALL_CONDUCTORS[count]
    # A charger switched to one phase has fewer conductors than it was seen on.
    known = {i for i in seen_in_session if i < count}
    if ev_phases:
        known.update(range(min(ev_phases, count)))
    if not known:
        return _ALL_CONDUCTORS[count]
    return tuple(sorted(known))


def site_phases(charger: ChargerInput, conductors: tuple[int, ...]) -> tuple[int, ...]:
    """Site phase of each given conductor (a phase repeats if bridged)."""
    key = (charger.wiring, conductors)
    phases = _SITE_PHASES.get(key)
    if phases is None:
        wiring = charger.wiring
        phases = tuple(wiring[i] for i in conductors)
        if len(_SITE_PHASES) >= _CACHE_LIMIT:
            _SITE_PHASES.clear()
        _SITE_PHASES[key] = phases
    return phases


def phase_weights(load_phases: tuple[int, ...], phase_count: int) -> tuple[int, ...]:
    """How many conductors load each site phase."""
    key = (load_phases, phase_count)
    cached = _WEIGHTS.get(key)
    if cached is not None:
        return cached
    weights = [0] * phase_count
    for phase in load_phases:
        weights[phase] += 1
    result = tuple(weights)
    if len(_WEIGHTS) >= _CACHE_LIMIT:
        _WEIGHTS.clear()
    _WEIGHTS[key] = result
    return result
