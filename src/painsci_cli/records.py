"""`@record`: frozen dataclasses that cost almost nothing to define.

`dataclasses.dataclass(frozen=True)` compiles five or six methods per class with `exec` and
inspects every annotation when the module is imported: about 1 ms a class, ~60 ms for painsci's
~60 classes, paid on every run, which is most of a lookup's budget. A record gets shared,
generic methods from `Record` instead, and becomes a real dataclass only when something asks
(pydantic validating a KB or writing a JSON Schema, `dataclasses.fields`, `asdict`): the first
read of `__dataclass_fields__` runs `dataclasses.dataclass` on the class, in place. mypy sees a
dataclass throughout, through `dataclass_transform`.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, dataclass_transform

T = TypeVar("T")
DOCUMENTED: dict[str, Any] = {"use_attribute_docstrings": True}
"""pydantic config for output records (`__pydantic_config__ = DOCUMENTED`): each field's docstring
becomes its description in the JSON Schema `painsci schema --output` prints."""
_MISSING: Any = dataclasses.MISSING


class _OnFirstUse:
    """A class attribute that turns its owner into a dataclass the first time it is read."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type) -> Any:
        if owner is Record:
            return None  # the base itself is not a dataclass, so it adds no fields to its subclasses
        if owner.__dict__.get(self.name) is self or self.name not in owner.__dict__:
            dataclasses.dataclass(init=False, repr=False, eq=False)(owner)
        return owner.__dict__[self.name]


class Record:
    """Shared behaviour for every record: immutable, compared and hashed by field values."""

    __record_fields__: ClassVar[tuple[str, ...]] = ()
    __record_defaults__: ClassVar[dict[str, Any]] = {}
    __dataclass_fields__: ClassVar[Any] = _OnFirstUse("__dataclass_fields__")
    __dataclass_params__: ClassVar[Any] = _OnFirstUse("__dataclass_params__")

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

    # Pickling uses object's default protocol: the instance __dict__ is restored by the
    # unpickler in C, past __setattr__, which is several times faster than a Python __setstate__.


@dataclass_transform(frozen_default=True)
def record(cls: type[T]) -> type[T]:
    """Record the fields of `cls` (a `Record` subclass) in declaration order, bases first.

    Fields are the annotated names but `ClassVar`s; a value assigned in the class body is the
    field's default, exactly as for a dataclass (so the two never disagree on the fields).
    """
    made: Any = cls
    inherited = [name for base in reversed(cls.__mro__[1:]) for name in getattr(base, "__record_fields__", ())]
    defaults = dict(getattr(cls, "__record_defaults__", {}))
    own = [name for name, hint in inspect.get_annotations(cls).items() if not _is_class_var(hint)]
    for name in own:
        value = cls.__dict__.get(name, _MISSING)
        if value is not _MISSING:
            defaults[name] = value
    names = tuple(dict.fromkeys([*inherited, *own]))
    if cls.__doc__ is None:  # dataclasses would build one from inspect.signature(), which is slow
        cls.__doc__ = cls.__name__
    made.__record_fields__ = names
    made.__record_defaults__ = defaults
    made.__init__ = _initialiser(cls.__name__, names, defaults)
    # Each class gets descriptors of its own: inherited ones would find the base's converted
    # fields in the base's __dict__ and never convert the subclass (its fields would be missing).
    made.__dataclass_fields__ = _OnFirstUse("__dataclass_fields__")
    made.__dataclass_params__ = _OnFirstUse("__dataclass_params__")
    return cls


def _is_class_var(hint: object) -> bool:
    """`ClassVar[...]` annotations are class attributes, not fields (as for a dataclass)."""
    if isinstance(hint, str):
        return hint.removeprefix("typing.").startswith("ClassVar")
    return hint is ClassVar or getattr(hint, "__origin__", None) is ClassVar


def _initialiser(owner: str, names: tuple[str, ...], defaults: dict[str, Any]) -> Callable[..., None]:
    known = frozenset(names)

    def __init__(self: Record, *args: Any, **kwargs: Any) -> None:
        if not kwargs and len(args) == len(names):  # every field given in order: the common case
            self.__dict__.update(zip(names, args, strict=True))
            return
        if not args and len(kwargs) == len(names) and kwargs.keys() == known:  # every field by name
            self.__dict__.update(kwargs)
            return
        if len(args) > len(names):
            raise TypeError(f"{owner}() takes {len(names)} arguments, got {len(args)}")
        if not kwargs.keys() <= known:
            unexpected = next(key for key in kwargs if key not in known)
            raise TypeError(f"{owner}() got an unexpected keyword argument {unexpected!r}")
        positional = names[: len(args)]
        if args and not kwargs.keys().isdisjoint(positional):
            twice = next(key for key in positional if key in kwargs)
            raise TypeError(f"{owner}() got multiple values for argument {twice!r}")
        fields = self.__dict__  # frozen: the instance dict is written once, here, never by setattr
        fields.update(defaults)  # whole dicts at a time: ~2x faster than a loop over the fields
        fields.update(zip(positional, args, strict=True))
        fields.update(kwargs)
        if len(fields) != len(names):
            missing = next(name for name in names if name not in fields)
            raise TypeError(f"{owner}() missing required argument {missing!r}")

    return __init__


_LEAVES = frozenset((str, int, float, bool, type(None)))


def to_plain(value: Any) -> Any:
    """Records and dataclasses to dicts, tuples to lists: `dataclasses.asdict` without its copying.

    asdict deep-copies every leaf it meets; a record tree holds only immutable leaves (str,
    numbers, bools, None), so they can be shared as they are.
    """
    if type(value) in _LEAVES:  # most calls: answered before the slower checks below
        return value
    names = getattr(type(value), "__record_fields__", None)
    if names is not None:  # leaves inline: most fields are, and a call for each doubles the cost
        fields = value.__dict__
        return {name: item if type(item := fields[name]) in _LEAVES else to_plain(item) for name in names}
    if isinstance(value, (tuple, list)):
        return [item if type(item) in _LEAVES else to_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: to_plain(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value
