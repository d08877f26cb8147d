"""Plain data to a validated KnowledgeBase: strict pydantic, then the cross-record rules.

Every problem is reported at once, sorted by line, as FILE:LINE: path: message; pydantic's
locations are mapped back to YAML lines through the YamlDocument's line table.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..models import KnowledgeBase, Loc
from ..rules import Problem, cross_check
from .events import YamlDocument
from .problems import MAX_PROBLEMS, dotted, refuse, shown

if TYPE_CHECKING:
    from pydantic import ValidationError

YAML_KINDS: dict[type, str] = {
    bool: "true/false",
    int: "a whole number",
    float: "a decimal number",
    type(None): "null (empty)",
}
"""How an unquoted YAML scalar was read, in an editor's words rather than Python's type names."""

DETAILED_ERRORS = 1_000
"""Past this many pydantic errors the file is no KB at all: only the first few are examined."""


def validate(doc: YamlDocument, name: str) -> KnowledgeBase:
    """Strict pydantic validation plus cross-checks; every problem at once, sorted by line."""
    from pydantic import TypeAdapter, ValidationError

    adapter = TypeAdapter(KnowledgeBase)
    total = 0
    try:
        kb = adapter.validate_json(json.dumps(doc.data), strict=True)
    except ValidationError as exc:
        errors = _first_errors(exc)
        problems = _pydantic_problems(errors, doc)
        total = exc.error_count() if len(errors) < exc.error_count() else 0
    else:
        problems = blank_text(kb) + cross_check(kb)
    if problems:
        ordered = sorted((doc.line_of(p.loc), i) for i, p in enumerate(problems))  # stable: by line, then found
        shown = [problems[i] for _, i in ordered[: MAX_PROBLEMS + 1]]  # only these are worded
        lines = [f"{name}:{doc.line_of(p.loc)}: {dotted(p.loc)}: {p.message}" for p in shown]
        total = total or len(problems)
        if total > len(lines) or total > MAX_PROBLEMS + 1:
            lines = lines[:MAX_PROBLEMS]
            lines.append(f"{name}: {total - len(lines):,} more problems not listed")
        raise refuse(name, lines)
    return kb


BLANK = "must not be empty or blank"


def blank_text(kb: KnowledgeBase) -> list[Problem]:
    """Required text (every field typed `str`, and every item of a list of strings such as the
    aliases) that is empty or only whitespace: it would print as nothing, or break a sentence."""
    problems: list[Problem] = []
    pending: list[tuple[Any, Loc]] = [(kb, ())]
    while pending:
        value, loc = pending.pop()
        fields = getattr(type(value), "__record_fields__", None)
        if fields is not None:
            required = _required_text(type(value))
            for name in fields:
                item = getattr(value, name)
                if name in required and isinstance(item, str):
                    if not item.strip():
                        problems.append(Problem((*loc, name), BLANK))
                elif item is not None and not isinstance(item, (str, int, float)):
                    pending.append((item, (*loc, name)))
        elif isinstance(value, (tuple, list)):
            for i, item in enumerate(value):
                if isinstance(item, str):
                    if not item.strip():
                        problems.append(Problem((*loc, i), BLANK))
                elif item is not None and not isinstance(item, (int, float)):
                    pending.append((item, (*loc, i)))
    return problems


_REQUIRED_TEXT: dict[type, frozenset[str]] = {}


def _required_text(cls: type) -> frozenset[str]:
    """The fields of a record class typed exactly `str` (not `str | None`)."""
    found = _REQUIRED_TEXT.get(cls)
    if found is None:
        import typing

        hints = typing.get_type_hints(cls)
        found = _REQUIRED_TEXT[cls] = frozenset(name for name, hint in hints.items() if hint is str)
    return found


def _first_errors(exc: ValidationError) -> list[dict[str, Any]]:
    """pydantic's errors, or for a file that is no KB at all (thousands) the first few, cheaply.

    `errors()` costs ~2 µs an error in Python; `json()` is serialised in Rust, and only the
    first errors are decoded from it, so 250,000 errors cost ~0.1 s instead of ~3 s.
    """
    if exc.error_count() <= DETAILED_ERRORS:
        return [dict(error) for error in exc.errors(include_url=False)]
    text = exc.json(include_url=False, include_context=False, include_input=False)
    decoder = json.JSONDecoder()
    errors: list[dict[str, Any]] = []
    at = text.index("{")
    while len(errors) < 5 * MAX_PROBLEMS:
        error, end = decoder.raw_decode(text, at)
        errors.append(error)
        at = text.find("{", end)
    return errors


def _value_at(data: Any, loc: Loc) -> Any:
    """The input at a pydantic location, for errors serialised without their input."""
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _pydantic_problems(errors: list[dict[str, Any]], doc: YamlDocument) -> list[Problem]:
    from ..suggest import allowed_keys, did_you_mean

    problems: dict[Loc, Problem] = {}
    for error in errors:
        loc: Loc = tuple(error["loc"])
        kind = error["type"]
        text = error["msg"]
        if loc and loc[-1] in ("int", "float") and kind in ("int_type", "float_type", "int_from_float"):
            loc = loc[:-1]  # one error per member of `int | float`: report once, as a number
            text = "Input should be a number"
        if kind in ("unexpected_keyword_argument", "extra_forbidden"):
            key = str(loc[-1])
            hint = did_you_mean(key, allowed_keys(KnowledgeBase, loc[:-1]))
            message = f"unknown field {shown(key)}" + (f"; did you mean {hint!r}?" if hint else "")
        elif kind in ("missing_keyword_argument", "missing"):
            message = f"required field {str(loc[-1])!r} is missing"
        else:
            message = text
            raw = doc.plain.get(loc)
            if raw is not None and kind in ("string_type", "str_type"):
                value = error["input"] if "input" in error else _value_at(doc.data, loc)
                message += f" (YAML read the unquoted {shown(raw)} as {_yaml_kind(value)}; quote it)"
            elif kind == "literal_error":
                value = error["input"] if "input" in error else _value_at(doc.data, loc)
                message = f"{shown(value)} is not allowed; {text.lower()}"
        problems.setdefault(loc, Problem(loc, message))
    return list(problems.values())


def _yaml_kind(value: object) -> str:
    return YAML_KINDS.get(type(value), f"a {type(value).__name__}")
