"""A faster constructor for the frozen records made for every charger every round.

A frozen dataclass's generated `__init__` goes through `object.__setattr__`
once per field (the class's own `__setattr__` refuses): for a record of
sixteen fields built for each of fifty chargers every round, that is a good
part of the round. `fast_init` gives a frozen, slotted dataclass an
`__init__` that fills each slot through its descriptor instead: the same
signature, defaults, default factories and `__post_init__`, the same object;
the instance stays frozen (assignment still raises FrozenInstanceError).
"""

from __future__ import annotations

from collections.abc import Callable
import dataclasses
from typing import Any

# The __init__ dataclasses generated for each class given a fast one (tests
# check that both make the same object).
GENERATED_INITS: dict[type, Callable[..., None]] = {}


def fast_init[T](cls: type[T]) -> type[T]:
    """Replace the generated `__init__` of a frozen, slotted dataclass."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__}: not a frozen, slotted dataclass")
    namespace: dict[str, Any] = {"_MISSING": dataclasses.MISSING}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for index, field in enumerate(dataclasses.fields(cls)):  # type: ignore[arg-type]
        if not field.init or field.name.startswith("_"):
            raise TypeError(f"{cls.__name__}.{field.name}: not a plain field")
        name = field.name
        namespace[f"_set{index}"] = getattr(cls, name).__set__
        if field.default is not dataclasses.MISSING:
            namespace[f"_default{index}"] = field.default
            param = f"{name}=_default{index}"
        elif field.default_factory is not dataclasses.MISSING:
            namespace[f"_factory{index}"] = field.default_factory
            param = f"{name}=_MISSING"
            body.append(f"if {name} is _MISSING: {name} = _factory{index}()")
        else:
            param = name
        (keyword if field.kw_only else positional).append(param)
        body.append(f"_set{index}(self, {name})")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    signature = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    source = f"def __init__({signature}):\n" + "".join(f"    {line}\n" for line in body)
    # The way dataclasses itself makes __init__; the source is built above
    # from the class's own field names only.
    exec(source, namespace)  # noqa: S102
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    GENERATED_INITS[cls] = cls.__init__
    cls.__init__ = init  # type: ignore[method-assign]
    return cls
