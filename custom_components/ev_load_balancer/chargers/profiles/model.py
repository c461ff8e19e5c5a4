"""What a charger profile knows about one integration: plain data, no Home Assistant.

A profile names the entities of one charger by their entity registry shape
(entity domain + unique id, built from the charger's own id), says how its
current is set, how it is paused and resumed, how it switches phases, what
its raw status words mean, and its limits (step, change interval). The
Home Assistant side (registry.py, entity_charger.py) reads these facts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
import re

from ...balancer import ChargerState


class Role(StrEnum):
    """What an entity of a charger is used for."""

    CURRENT = "current"  # number that sets the limit
    PAUSE = "pause"  # switch (off = paused) or select
    PHASES = "phases"  # select or switch between 1 and 3 phases
    STATUS = "status"  # the raw status word
    PLUG = "plug"  # binary sensor: an EV is plugged in
    CURRENT_L1 = "current_l1"
    CURRENT_L2 = "current_l2"
    CURRENT_L3 = "current_l3"
    POWER = "power"
    PHASE_CURRENTS = "phase_currents"  # per-conductor currents in attributes
    GROUP_MAX = "group_max"  # the group's own ceiling (Zaptec installation)


CONDUCTOR_ROLES = (Role.CURRENT_L1, Role.CURRENT_L2, Role.CURRENT_L3)


@dataclass(frozen=True, slots=True)
class EntitySpec:
    """One entity of the charger, found by its unique id.

    `unique_ids` are templates with `{id}` (the charger's id in its
    integration); the first that is registered wins (an integration may name
    the same entity differently by connection type or version).
    """

    domain: str
    unique_ids: tuple[str, ...]
    # The integration ships it disabled; the flow enables it.
    enable: bool = False
    # Without it the profile cannot drive the charger.
    required: bool = False
    # Where the entity lives: on the charger's device (default) or on its
    # group's device (the Zaptec installation).
    on_group: bool = False


def id_from_unique_id(template: str, unique_id: str) -> str | None:
    """The `{id}` part of a unique id built from `template`, or None."""
    head, _, tail = template.partition("{id}")
    pattern = f"^{re.escape(head)}(.+){re.escape(tail)}$"
    match = re.match(pattern, unique_id)
    return match.group(1) if match else None


# How the current is set.
@dataclass(frozen=True, slots=True)
class NumberCurrent:
    """The CURRENT number entity; its min/max/step attributes bound the value."""


@dataclass(frozen=True, slots=True)
class ServiceCurrent:
    """A service of the integration with the current (whole ampere) in `field`."""

    domain: str
    service: str
    field: str
    # The charger's HA device id goes in this field (None: the service has no target).
    device_field: str | None = "device_id"
    # Lowest value the service accepts other than 0 (KEBA: 6 A or 0).
    minimum_a: float = 0.0


@dataclass(frozen=True, slots=True)
class GroupCurrent:
    """No limit of its own: the group's per-phase limit is the only control."""


type CurrentControl = NumberCurrent | ServiceCurrent | GroupCurrent


# How the charger is paused when it does not accept 0 A.
@dataclass(frozen=True, slots=True)
class SwitchPause:
    """The PAUSE switch: off pauses, on resumes."""


@dataclass(frozen=True, slots=True)
class SelectPause:
    """The PAUSE select: one option pauses, another resumes."""

    pause: str
    resume: str


@dataclass(frozen=True, slots=True)
class ServicePause:
    """Services that pause and resume the charger (its device id as target)."""

    domain: str
    pause: str
    resume: str
    device_field: str = "device_id"
    # The services fail without an EV: called only while one is plugged in.
    needs_ev: bool = False


type PauseControl = SwitchPause | SelectPause | ServicePause


# How the charger switches between 1 and 3 phases.
@dataclass(frozen=True, slots=True)
class SelectPhases:
    """The PHASES select: one option forces one phase, another three."""

    one: str
    three: str


@dataclass(frozen=True, slots=True)
class SwitchPhases:
    """The PHASES switch: on forces one phase (Peblar's force single phase)."""


type PhaseControl = SelectPhases | SwitchPhases


@dataclass(frozen=True, slots=True)
class GroupLimit:
    """One per-phase limit for every charger of a group (installation, circuit).

    `target_field` carries the group's reference (a device id or the
    integration's circuit id); `phase_fields` the limit of site phase 1, 2, 3.
    """

    kind: str  # "installation" or "circuit": shown on the group's device
    domain: str
    service: str
    target_field: str
    phase_fields: tuple[str, str, str]
    # How the flow finds the group of a charger.
    ref_source: str  # "via_device" or "status_attribute"
    ref_attribute: str | None = None
    # Members are also limited one by one (Easee): their own limit, then the
    # group's per-phase ceiling.
    members_limited: bool = False
    # Send group limits as a list of device ids (Zaptec's device_id is a list).
    target_as_list: bool = False


@dataclass(frozen=True, slots=True)
class StatusWords:
    """The raw words of the STATUS entity and what each means.

    `attribute`: the word is in this attribute, not the state (KEBA).
    Words are matched normalised (see status_map.normalise).
    """

    words: Mapping[str, ChargerState]
    attribute: str | None = None


@dataclass(frozen=True, slots=True)
class PhaseAttributes:
    """Per-conductor currents (A) in attributes of an entity (KEBA, OCPP)."""

    role: Role
    names: tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class TerminalAttributes:
    """Currents of four input terminals whose phases depend on the grid (Easee).

    On a TN grid L1-L3 are terminals 2-4 of `names` (the first is N), on an
    IT grid terminals 1-3. Conductor i gets the smaller of terminals i and
    i+1: a lower bound either way. Which phases the EV uses stays unknown,
    so the balancer still reserves all of them.
    """

    role: Role
    names: tuple[str, str, str, str]


@dataclass(frozen=True, slots=True)
class ChargerProfile:
    """Everything the balancer needs to drive one integration's chargers."""

    key: str
    title: str
    integration: str  # the integration's domain (entity registry platform)
    entities: Mapping[Role, EntitySpec]
    status: StatusWords | None
    current: CurrentControl | None  # None: read-only
    pause: PauseControl | None = None  # None: 0 A pauses
    phases: PhaseControl | None = None
    group: GroupLimit | None = None
    phase_attributes: PhaseAttributes | None = None
    terminal_attributes: TerminalAttributes | None = None
    step_a: float = 1.0
    min_a: float = 6.0
    max_a: float = 32.0
    # Seconds between increases the brand asks for (decreases go out at once).
    change_interval_s: float = 0.0
    # Chargers have no device in HA (KEBA is set up from YAML): found by
    # their STATUS entity alone.
    deviceless: bool = False
    # The charger's id in its unique ids, from its device identifier.
    ref_from_identifier: Callable[[str], str] = str
    # How the profile was checked: source files and the commit read.
    verified: str = ""

    @property
    def read_only(self) -> bool:
        return self.current is None

    @property
    def anchor(self) -> Role:
        """The first required entity: it tells a charger of this profile apart."""
        return next(role for role, spec in self.entities.items() if spec.required)
