"""A cheaper constructor for the frozen, slotted dataclasses built by the hundred thousand.

Why: a frozen dataclass's generated `__init__` stores each field through
`object.__setattr__(self, "name", value)` (a global lookup, an attribute
lookup and a generic attribute store per field), which made constructing
the parse and link records about a tenth of a Linux load. `fast_init`
replaces that `__init__` with one that stores each field through its slot's
own descriptor, bound once at class creation: the same effect (the frozen
`__setattr__` is bypassed exactly as the generated code bypasses it) at
about half the cost (measured: 4.4 -> 2.4 us for six fields on a busy
machine). Equality, hashing, `repr`, `dataclasses.replace` and the frozen
guard are the dataclass's own, untouched.

Only plain fields are supported (defaults and default factories; no
`init=False`, no `InitVar`, no `__post_init__`); anything else is a
programming error reported at import.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

__all__ = ["fast_init"]

RecordType = TypeVar("RecordType", bound=type)


def fast_init(cls: RecordType) -> RecordType:
    """Give a `@dataclass(frozen=True, slots=True)` class a constructor that sets its slots directly."""
    if not dataclasses.is_dataclass(cls) or "__slots__" not in cls.__dict__:
        raise TypeError(f"fast_init needs a slotted dataclass, not {cls.__name__}")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"fast_init does not run __post_init__ ({cls.__name__})")
    namespace: dict[str, Any] = {"_MISSING": dataclasses.MISSING}
    parameters: list[str] = []
    body: list[str] = []
    for number, item in enumerate(dataclasses.fields(cls)):
        if not item.init or item._field_type is not dataclasses._FIELD:  # type: ignore[attr-defined]
            raise TypeError(f"fast_init supports plain fields only ({cls.__name__}.{item.name})")
        setter = f"_set_{number}"
        namespace[setter] = cls.__dict__[item.name].__set__
        if item.default is not dataclasses.MISSING:
            namespace[f"_default_{number}"] = item.default
            parameters.append(f"{item.name}=_default_{number}")
            body.append(f"    {setter}(self, {item.name})")
        elif item.default_factory is not dataclasses.MISSING:
            namespace[f"_factory_{number}"] = item.default_factory
            parameters.append(f"{item.name}=_MISSING")
            body.append(
                f"    {setter}(self, _factory_{number}() if {item.name} is _MISSING else {item.name})"
            )
        else:
            parameters.append(item.name)
            body.append(f"    {setter}(self, {item.name})")
    source = f"def __init__(self, {', '.join(parameters)}):\n" + ("\n".join(body) or "    pass") + "\n"
    exec(source, namespace)  # generated from the class's own field names only
    initialiser = namespace["__init__"]
    initialiser.__qualname__ = f"{cls.__qualname__}.__init__"
    initialiser.__module__ = cls.__module__
    initialiser.__annotations__ = cls.__init__.__annotations__
    cls.__init__ = initialiser  # type: ignore[method-assign]
    return cls
