"""Did-you-mean suggestions, for misspelt YAML keys and treatment names alike."""

from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from collections.abc import Iterable

from .models import Loc


def close_matches(word: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """Up to `limit` candidates that look like `word`, best first."""
    return difflib.get_close_matches(word, list(candidates), n=limit, cutoff=0.6)


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    matches = close_matches(word, candidates, limit=1)
    return matches[0] if matches else None


def allowed_keys(root: type, loc: Loc) -> list[str]:
    """Field names of the dataclass found by following `loc` from `root` through the type hints."""
    current: typing.Any = root
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else typing.Any
        elif dataclasses.is_dataclass(current):
            current = typing.get_type_hints(current).get(part, typing.Any)
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and dataclasses.is_dataclass(current):
        return [f.name for f in dataclasses.fields(current)]
    return []


def _unwrap(hint: typing.Any) -> typing.Any:
    """Optional[X] and X | None to X, so the walk sees the dataclass inside."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return inner[0] if len(inner) == 1 else hint
    return hint
