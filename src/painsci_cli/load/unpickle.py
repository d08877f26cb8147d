"""Reading a cache entry back: a pickle restricted to painsci's record classes, then screened.

The HMAC (cache.py) rules out entries written by anyone without the key; what is unpickled is
still held to what the loader would have accepted: only record classes of painsci's own modules,
only their own fields, only strings without a character the loader refuses. Split from cache.py,
which owns the folder, the key, the file layout and pruning.
"""

from __future__ import annotations

import functools
import io
import pickle
from typing import Any


@functools.cache
def _record_modules() -> dict[str, Any]:
    """The modules whose record classes a cache entry may name, imported once (find_class runs for
    every class reference: 741 times in `findings`, 11 ms when it imported them each time)."""
    from .. import absolute, arms, derive, guidelines, models, profile, reexpress, usable, views
    from . import store

    modules = (models, store, views, profile, guidelines, derive, usable, absolute, arms, reexpress)
    return {m.__name__: m for m in modules}


class ModelsOnly(pickle.Unpickler):
    """Unpickles painsci's own record classes and nothing else (no builtins, no callables)."""

    def find_class(self, module: str, name: str) -> Any:
        owner = _record_modules().get(module)
        found = getattr(owner, name, None) if owner else None
        if isinstance(found, type) and hasattr(found, "__dataclass_fields__"):
            return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


def restricted(payload: bytes) -> Any:

    return screened(ModelsOnly(io.BytesIO(payload)).load())


_LEAVES = (str, int, float, bool, type(None))


def screened(value: Any) -> Any:
    """`value` if every string in it could have come from a KB the loader accepted, else ValueError.

    The HMAC already rules out edits by anyone without the key; this second screen keeps a
    control or bidi character from reaching a terminal even if the key were known.
    """
    from ..charset import forbidden

    strings: list[str] = []  # searched at once below, not one regex call per string
    expected: dict[type, set[str]] = {}
    pending = [value]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is str:
            strings.append(item)
            continue
        if kind is tuple or kind is list:
            parts: tuple[Any, ...] = (item,)
        elif kind is dict:
            parts = (item.keys(), item.values())
        elif hasattr(kind, "__record_fields__"):
            fields = vars(item)
            if kind not in expected:
                expected[kind] = set(kind.__record_fields__)
            if fields.keys() != expected[kind]:
                raise ValueError(f"{kind.__name__} with unexpected fields in a cache entry")
            parts = (fields.values(),)
        elif item is None or kind in (int, float, bool):
            continue
        else:
            raise ValueError(f"{kind.__name__} in a cache entry")
        for part in parts:  # strings and plain scalars are taken here, off the slow loop
            strings += [x for x in part if type(x) is str]
            pending += [x for x in part if type(x) not in _LEAVES]
    # Each distinct character is tested once: the full class (C0, C1, bidi, noncharacters …) costs
    # ~40 ns a character in `re`, 27 ms over the 2,000-treatment KB's names; set() is C-fast.
    if forbidden().search("".join(set("".join(strings)))):
        raise ValueError("forbidden character in a cache entry")
    return value


def places(where: Any) -> dict[str, list[int]]:
    """The header: entry label -> [offset, length], checked by shape in one pass (the general
    screen walks each of its 6,000 pairs for a 2,000-treatment KB, a third of a lookup's cost)."""
    if type(where) is not dict or not all(
        type(label) is str and type(place) is list and len(place) == 2 and {type(n) for n in place} == {int}
        for label, place in where.items()
    ):
        raise ValueError("cache header of an unexpected shape")
    return where
