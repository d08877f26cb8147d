"""`@record`: frozen, slotted dataclasses that cost almost nothing to define.

`dataclasses.dataclass(frozen=True)` compiles five or six methods per class with `exec` when the
module is imported: about 1 ms a class, ~60 ms for painsci's ~50 classes, paid on every run, which
is most of a lookup's budget. A record is still a real dataclass to everything that inspects
one (`dataclasses.fields`, `asdict`, pydantic's validation and JSON Schema, mypy through
`dataclass_transform`), but its methods are shared, written once in `Record`, and generic over
the field names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, dataclass_transform

T = TypeVar("T")


class Record:
    """Shared behaviour for every record: immutable, compared and pickled by field values."""

    __slots__ = ()
    __record_fields__: ClassVar[tuple[str, ...]] = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_fields__)
        return f"{type(self).__name__}({inner})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self.__record_fields__)

    def __hash__(self) -> int:
        return hash((type(self), *(getattr(self, n) for n in self.__record_fields__)))

    def __getstate__(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__record_fields__)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for name, value in zip(self.__record_fields__, state, strict=True):
            object.__setattr__(self, name, value)


@dataclass_transform(frozen_default=True)
def record(cls: type[T]) -> type[T]:
    """Make `cls` (a `Record` subclass with annotated fields) a slotted dataclass, cheaply."""
    if cls.__doc__ is None:  # else dataclasses builds one from inspect.signature(), which is slow
        cls.__doc__ = cls.__name__
    made: Any = dataclasses.dataclass(init=False, repr=False, eq=False, slots=True)(cls)
    fields = dataclasses.fields(made)
    names = tuple(f.name for f in fields)
    defaults = {f.name: f.default for f in fields if f.default is not dataclasses.MISSING}
    made.__record_fields__ = names
    made.__init__ = _initialiser(made.__name__, names, defaults)
    return made  # type: ignore[no-any-return]


def _initialiser(owner: str, names: tuple[str, ...], defaults: dict[str, Any]) -> Callable[..., None]:
    known = frozenset(names)

    def __init__(self: Record, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(names):
            raise TypeError(f"{owner}() takes {len(names)} arguments, got {len(args)}")
        values = dict(zip(names, args, strict=False))
        for key, value in kwargs.items():
            if key not in known:
                raise TypeError(f"{owner}() got an unexpected keyword argument {key!r}")
            if key in values:
                raise TypeError(f"{owner}() got multiple values for argument {key!r}")
            values[key] = value
        for name in names:
            if name in values:
                object.__setattr__(self, name, values[name])
            elif name in defaults:
                object.__setattr__(self, name, defaults[name])
            else:
                raise TypeError(f"{owner}() missing required argument {name!r}")

    return __init__


def to_plain(value: Any) -> Any:
    """Records and dataclasses to dicts, tuples to lists: `dataclasses.asdict` at a third of the cost.

    asdict deep-copies every leaf it meets; a record tree holds only immutable leaves (str,
    numbers, bools, None), so they can be shared as they are.
    """
    names = getattr(type(value), "__record_fields__", None)
    if names is not None:
        return {name: to_plain(getattr(value, name)) for name in names}
    if isinstance(value, (tuple, list)):
        return [to_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: to_plain(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value
