"""The fast constructor of the per-round records makes what dataclasses makes."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from hypothesis import given, strategies as st
import pytest

from custom_components.ev_load_balancer.balancer import (
    ChargerInput,
    ChargerLimit,
    ChargerState,
    Reason,
)
from custom_components.ev_load_balancer.balancer.frozen import (
    GENERATED_INITS,
    fast_init,
)
from custom_components.ev_load_balancer.chargers.base import ChargerStatus
from custom_components.ev_load_balancer.loop import ChargerReport

_NUMBER = st.one_of(st.floats(allow_nan=False), st.integers(-5, 40))
_OPTIONAL = st.one_of(st.none(), _NUMBER)
_AMPS = st.lists(_NUMBER, max_size=4).map(tuple)

_INPUTS = st.fixed_dictionaries(
    {"charger_id": st.text(max_size=3), "state": st.sampled_from(ChargerState)},
    optional={
        "wiring": st.lists(st.integers(0, 2), max_size=4).map(tuple),
        "min_a": _NUMBER,
        "max_a": _NUMBER,
        "measured_a": _AMPS,
        "measured_at": _OPTIONAL,
        "priority": st.integers(0, 9),
        "departure": _OPTIONAL,
        "energy_wanted_kwh": _OPTIONAL,
        "ev_phases": st.one_of(st.none(), st.integers(1, 3)),
        "controllable": st.booleans(),
        "increase_interval_s": _NUMBER,
        "step_a": _NUMBER,
        "circuit_id": st.one_of(st.none(), st.text(max_size=2)),
    },
)
_STATUSES = st.fixed_dictionaries(
    {"state": st.one_of(st.none(), st.sampled_from(ChargerState))},
    optional={
        "current_a": st.one_of(st.none(), _AMPS),
        "power_w": _OPTIONAL,
        "energy_kwh": _OPTIONAL,
        "updated_at": _OPTIONAL,
        "phases_known": st.booleans(),
        "unknown_word": st.one_of(st.none(), st.text(max_size=3)),
    },
)


def _both(cls: type[Any], *args: object, **kwargs: object) -> None:
    """Build with the fast and with the generated __init__: the same object,
    or the same error."""
    try:
        fast: object = cls(*args, **kwargs)
    except (TypeError, ValueError) as err:
        with pytest.raises(type(err), match=re.escape(str(err))):
            GENERATED_INITS[cls](object.__new__(cls), *args, **kwargs)
        return
    made = object.__new__(cls)
    GENERATED_INITS[cls](made, *args, **kwargs)
    assert fast == made
    for field in dataclasses.fields(cls):
        assert getattr(fast, field.name) is getattr(made, field.name)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(fast, dataclasses.fields(cls)[0].name, None)


@given(_INPUTS)
def test_a_charger_input_is_built_as_dataclasses_builds_it(
    kwargs: dict[str, Any],
) -> None:
    """Defaults, the checks of __post_init__ and the frozen instance alike."""
    kwargs.setdefault("wiring", (0, 1, 2))
    _both(ChargerInput, **kwargs)


@given(_STATUSES)
def test_a_status_is_built_as_dataclasses_builds_it(kwargs: dict[str, Any]) -> None:
    _both(ChargerStatus, **kwargs)


@given(_NUMBER, st.sampled_from(Reason), st.lists(st.integers(0, 2)).map(tuple))
def test_a_limit_is_built_as_dataclasses_builds_it(
    current: float, reason: Reason, phases: tuple[int, ...]
) -> None:
    _both(ChargerLimit, current, reason, phases)
    _both(ChargerLimit, current, reason=reason, load_phases=phases)
    _both(ChargerLimit, current, reason)  # a missing argument: the same TypeError


def test_only_frozen_slotted_plain_dataclasses_get_one() -> None:
    @dataclasses.dataclass(slots=True)
    class Mutable:
        value: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Hidden:
        value: int = dataclasses.field(init=False, default=0)

    @dataclasses.dataclass(frozen=True, slots=True)
    class Listed:
        values: list[int] = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError, match="frozen, slotted"):
        fast_init(Mutable)
    with pytest.raises(TypeError, match="plain field"):
        fast_init(Hidden)
    listed = fast_init(Listed)
    first, second = listed(), listed()
    assert first.values == []
    assert first.values is not second.values


@given(_STATUSES, st.booleans(), _NUMBER)
def test_a_report_is_built_as_dataclasses_builds_it(
    status: dict[str, Any], available: bool, step: float
) -> None:
    _both(
        ChargerReport,
        status=ChargerStatus(**status),
        available=available,
        step_a=step,
    )
    _both(ChargerReport, status=ChargerStatus(**status))
