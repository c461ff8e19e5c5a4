"""The `circuits:` section of a scenario: fuses below the main fuse.

circuits:
  - id: board             # a sub-board
    rating_a: 35
    margin_a: 1
    feeds: [L1, L2, L3]   # its parent's phases it carries (default: all)
    parent: null          # another circuit's id; none: the main fuse
    meter: true           # it has its own meter (read as the site's)
    reserve_a: 3          # assumed non-EV load without a (trusted) meter
    baseline_share: 0.2   # share of the building's load on it
    chargers: [1, 10]     # the chargers cp001..cp010 hang on it
    meter_outages_h: [[30, 31]]  # hours from the start its meter is quiet
"""

from __future__ import annotations

from dataclasses import replace

from custom_components.ev_load_balancer.balancer import Circuit, Site
from custom_components.ev_load_balancer.sizing import ChargerSpec, SimCircuit

from .fields import Section
from .scenario import ScenarioCircuit

HOUR_S = 3600.0


def parse_circuits(root: Section, site: Site) -> tuple[ScenarioCircuit, ...]:
    """The circuits of a scenario, parents before children as written."""
    result: list[ScenarioCircuit] = []
    phases_of: dict[str | None, int] = {None: site.phases}
    share_of: dict[str | None, float] = {None: 1.0}
    for index, item in enumerate(root.items("circuits", required=False)):
        section = Section(item, f"circuits[{index}]", root.source)
        circuit_id = section.text("id")
        parent = section.text("parent") if section.has("parent") else None
        if parent not in phases_of:
            raise section.error("parent", f"no circuit {parent!r} above this one")
        if circuit_id in phases_of:
            raise section.error("id", "circuit ids must be unique")
        width = phases_of[parent]
        feeds = (
            section.phases("feeds", width)
            if section.has("feeds")
            else tuple(range(width))
        )
        share = section.number("baseline_share", 0.0, minimum=0.0)
        if share > share_of[parent]:
            raise section.error("baseline_share", "more than its parent carries")
        chargers = None
        if section.has("chargers"):
            first, last = section.numbers("chargers", 2)
            if not 1 <= first <= last:
                raise section.error("chargers", "is [first, last], 1-based")
            chargers = (int(first), int(last))
        outages = tuple(
            _outage(
                Section({"h": value}, f"{section.where}.meter_outages_h", root.source)
            )
            for value in section.items("meter_outages_h", required=False)
        )
        try:
            circuit = Circuit(
                circuit_id=circuit_id,
                parent_id=parent,
                parent_phases=feeds,
                rating_a=section.number("rating_a", positive=True),
                margin_a=section.number("margin_a", 0.0, minimum=0.0),
                metered=section.flag("meter", False),
                reserve_a=section.number("reserve_a", 0.0, minimum=0.0),
            )
        except ValueError as err:
            raise section.error("feeds", str(err)) from None
        section.finish()
        phases_of[circuit_id] = circuit.phases
        share_of[circuit_id] = share
        result.append(
            ScenarioCircuit(
                sim=SimCircuit(
                    circuit=circuit, baseline_share=share, meter_outages_s=outages
                ),
                chargers=chargers,
            )
        )
    return tuple(result)


def place_chargers(
    chargers: tuple[ChargerSpec, ...], circuits: tuple[ScenarioCircuit, ...]
) -> tuple[ChargerSpec, ...]:
    """Each charger on the deepest circuit whose range holds it (later wins)."""
    placed = list(chargers)
    for circuit in circuits:
        if circuit.chargers is None:
            continue
        first, last = circuit.chargers
        for position in range(first, min(last, len(placed)) + 1):
            placed[position - 1] = replace(
                placed[position - 1], circuit_id=circuit.sim.circuit.circuit_id
            )
    return tuple(placed)


def _outage(section: Section) -> tuple[float, float]:
    start, end = section.numbers("h", 2)
    if not 0 <= start < end:
        raise section.error("h", "is [start, end] in hours, start < end")
    return start * HOUR_S, end * HOUR_S
