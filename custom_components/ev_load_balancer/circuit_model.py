"""Typed views of a site's circuit subentries, and the tree the balancer gets.

A circuit is stored with the site phases it carries (l1..l3), which is what
an electrician reads on the board; the balancer wants the parent's phases
(balancer/circuit.py), so the tree is resolved here, parents first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
import logging
from typing import Any

from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import CONF_NAME

from .balancer import Circuit
from .const import (
    CIRCUIT_SITE,
    CONF_CIRCUIT_PHASES,
    CONF_MARGIN,
    CONF_METER_ENTITIES,
    CONF_PARENT,
    CONF_RATING,
    CONF_RESERVE,
    PHASE_KEYS,
)

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class CircuitConfig:
    """One circuit subentry."""

    circuit_id: str
    name: str
    # None: fed from the main fuse.
    parent_id: str | None
    # Site phases (0-based, ascending) it carries; its meter's entities and
    # its entities follow this order.
    phases: tuple[int, ...]
    rating_a: float
    margin_a: float
    reserve_a: float
    # One current (or power) sensor per phase; none: not metered.
    meter_entities: tuple[str, ...] = ()

    @property
    def metered(self) -> bool:
        return bool(self.meter_entities)

    @classmethod
    def from_subentry(cls, subentry: ConfigSubentry) -> CircuitConfig:
        return cls.from_data(subentry.subentry_id, subentry.title, subentry.data)

    @classmethod
    def from_data(
        cls, circuit_id: str, name: str, data: Mapping[str, Any]
    ) -> CircuitConfig:
        parent = data.get(CONF_PARENT) or CIRCUIT_SITE
        return cls(
            circuit_id=circuit_id,
            name=data.get(CONF_NAME, name),
            parent_id=None if parent == CIRCUIT_SITE else str(parent),
            phases=site_phases(data[CONF_CIRCUIT_PHASES]),
            rating_a=float(data[CONF_RATING]),
            margin_a=float(data.get(CONF_MARGIN, 0.0)),
            reserve_a=float(data.get(CONF_RESERVE, 0.0)),
            meter_entities=tuple(e for e in data.get(CONF_METER_ENTITIES, ()) if e),
        )


def site_phases(keys: Iterable[str]) -> tuple[int, ...]:
    """Site phases (0-based, ascending) from their keys l1..l3."""
    return tuple(sorted({PHASE_KEYS.index(key) for key in keys}))


@dataclass(frozen=True, slots=True)
class CircuitTreeView:
    """The site's circuits as the flows see them, by id."""

    site_phases: int
    fuse_a: float
    circuits: Mapping[str, CircuitConfig]

    def phases_of(self, circuit_id: str | None) -> tuple[int, ...]:
        """Site phases a node carries (the site: all)."""
        if circuit_id is None or circuit_id not in self.circuits:
            return tuple(range(self.site_phases))
        return self.circuits[circuit_id].phases

    def rating_of(self, circuit_id: str | None) -> float:
        if circuit_id is None or circuit_id not in self.circuits:
            return self.fuse_a
        return self.circuits[circuit_id].rating_a

    def below(self, circuit_id: str) -> set[str]:
        """Every circuit under this one (children, their children, ...)."""
        found: set[str] = set()
        pending = [circuit_id]
        while pending:
            parent = pending.pop()
            for child in self.circuits.values():
                if child.parent_id == parent and child.circuit_id not in found:
                    found.add(child.circuit_id)
                    pending.append(child.circuit_id)
        return found

    def children(self, circuit_id: str) -> list[CircuitConfig]:
        return [c for c in self.circuits.values() if c.parent_id == circuit_id]


def balancer_circuits(
    circuits: Sequence[CircuitConfig],
    site_phase_count: int,
    *,
    static_share: bool,
    stale_after_s: float,
) -> dict[str, tuple[Circuit, tuple[int, ...]]]:
    """The circuits the balancer can use, parents first, with their site phases.

    One whose parent is gone (removed while it stayed) hangs on the closest
    remaining circuit above it that carries its phases, the main fuse at last:
    its own fuse still counts. One in a cycle is left out (the flows refuse
    both), and so is everything under it.
    """
    configs = {c.circuit_id: c for c in circuits}
    placed: dict[str | None, tuple[int, ...]] = {None: tuple(range(site_phase_count))}
    result: dict[str, tuple[Circuit, tuple[int, ...]]] = {}
    pending = list(circuits)
    while pending:
        ready: list[tuple[CircuitConfig, str | None]] = []
        for circuit in pending:
            feeding = _feeding(circuit, configs, placed)
            if not isinstance(feeding, _Waiting):
                ready.append((circuit, feeding))
        if not ready:
            break
        for config, parent_id in ready:
            pending.remove(config)
            parent_phases = placed[parent_id]
            if not config.phases or not set(config.phases) <= set(parent_phases):
                _LOGGER.warning(
                    "Circuit %s carries a phase the site lacks: left out", config.name
                )
                continue
            if parent_id != config.parent_id:
                _LOGGER.warning(
                    "Circuit %s is balanced under %s: what fed it is gone",
                    config.name,
                    "the main fuse" if parent_id is None else configs[parent_id].name,
                )
            placed[config.circuit_id] = config.phases
            result[config.circuit_id] = (
                Circuit(
                    circuit_id=config.circuit_id,
                    parent_id=parent_id,
                    parent_phases=tuple(parent_phases.index(p) for p in config.phases),
                    rating_a=config.rating_a,
                    margin_a=min(config.margin_a, config.rating_a),
                    metered=config.metered,
                    reserve_a=config.reserve_a,
                    failsafe_static_share=static_share,
                    stale_after_s=stale_after_s,
                ),
                config.phases,
            )
    for config in pending:
        _LOGGER.warning(
            "Circuit %s is fed from a circuit under itself: left out", config.name
        )
    return result


class _Waiting:
    """Its parent is not placed yet."""


_WAITING = _Waiting()


def _feeding(
    config: CircuitConfig,
    configs: Mapping[str, CircuitConfig],
    placed: Mapping[str | None, tuple[int, ...]],
) -> str | _Waiting | None:
    """The placed node a circuit hangs on: its parent, or when that is gone or
    lacks one of its phases the closest one above that carries them all."""
    parent_id = config.parent_id
    seen: set[str] = set()
    while parent_id is not None:
        if parent_id in seen:
            return _WAITING  # a cycle: never placed
        seen.add(parent_id)
        if parent_id in placed:
            if set(config.phases) <= set(placed[parent_id]):
                return parent_id
        elif parent_id in configs:
            return _WAITING
        parent = configs.get(parent_id)
        parent_id = parent.parent_id if parent is not None else None
    return None


def charger_circuit(
    circuit_id: str | None,
    wiring: tuple[int, ...],
    circuits: Mapping[str, tuple[Circuit, tuple[int, ...]]],
    configs: Mapping[str, CircuitConfig],
) -> str | None:
    """The circuit a charger is balanced on: its own, or when that one is gone
    or lacks a phase the charger uses, the closest one above it that can take
    it (the main fuse at last)."""
    seen: set[str] = set()
    while circuit_id is not None and circuit_id not in seen:
        seen.add(circuit_id)
        known = circuits.get(circuit_id)
        if known is not None and set(wiring) <= set(known[1]):
            return circuit_id
        config = configs.get(circuit_id)
        circuit_id = config.parent_id if config is not None else None
    return None
