"""YAML events to plain data, refusing what a knowledge base never needs. The only yaml import.

Built on the event stream (CSafeLoader when present) rather than the constructor, so nothing is
ever constructed from a tag, aliases are refused before they can be expanded, and every node is
read once, with its line, in a bounded amount of work: at most MAX_NODES nodes, MAX_DEPTH levels
deep, and reading stops once MAX_PROBLEMS problems are known. Scalars follow YAML 1.2, so `NO`
stays a string and a number where text belongs can be told apart ("quote it").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..charset import FORBIDDEN_CLASS, visible
from ..errors import KnowledgeBaseInvalid
from ..models import Loc
from .problems import MAX_PROBLEMS, cut, refuse, shown
from .read import label, line_at

MAX_DEPTH = 24
"""The schema nests at most ~9 levels; deeper input is hostile (and C recursion is finite)."""
MAX_NODES = 300_000
"""YAML nodes (scalars, lists, mappings) read before giving up: 12x the real KB (~25,000 nodes in
~460 KB), room for the 2,000-treatment benchmark KB (~270,000). Parsing costs ~3.5 µs a node, so
this cap, not the byte cap, keeps any file (say 8 MB of `[1,1,1,…]`) to about a second."""
MAX_MAGNITUDE = 10**15
"""Larger numbers (and inf/nan) are refused: no KB figure comes near, and huge ones break arithmetic."""
_MAX_DIGITS = len(str(MAX_MAGNITUDE))

_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_TYPED_START = frozenset("~nNtTfF+-.0123456789")
"""First characters of a plain scalar that may be null, bool or a number; others are strings."""
_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {f"{_STD}{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")} | {"!"}


class _Patterns:
    """The reader's regular expressions, compiled on first use: a cached lookup never needs them."""

    def __init__(self) -> None:
        self.null = re.compile(r"^(?:~|null|Null|NULL|)$")
        self.int_ = re.compile(r"^[-+]?[0-9]+$")
        self.float_ = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
        self.escaped = re.compile(f"{FORBIDDEN_CLASS}|\r")
        """What a double-quoted escape (`\\e`, `\\x1b`, `\\u202e`, `\\r` …) must not produce: the
        screen of the raw text cannot see these. A raw CR is a line break to YAML, so only an escape
        yields one."""


@cache
def _rx() -> _Patterns:
    return _Patterns()


@dataclass(slots=True)
class YamlDocument:
    """Plain data read from YAML plus the line of every node, for error locations."""

    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    plain: dict[Loc, str] = field(default_factory=dict)
    """Raw text of unquoted scalars YAML read as non-strings, for "quote it" hints."""

    def line_of(self, loc: Loc) -> int:
        """The line of the longest prefix of `loc` that exists in the document."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return 1


class EventReader:
    """One pass over the events of one YAML text; `read()` returns the YamlDocument or refuses it."""

    def __init__(self, text: str, name: str) -> None:
        import yaml

        self._yaml = yaml
        self.text = text
        self.name = name
        self.loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
        self.doc = YamlDocument(data=None)
        self.problems: list[str] = []
        self.budget = MAX_NODES

    def read(self) -> YamlDocument:
        yaml, loader, name = self._yaml, self.loader, self.name
        try:
            loader.get_event()  # stream start
            if loader.check_event(yaml.StreamEndEvent):
                raise KnowledgeBaseInvalid(f"{name}:1: the file is empty; expected a YAML mapping")
            loader.get_event()  # document start
            self.doc.data = self.node(loader.get_event(), (), 0)
            loader.get_event()  # document end
            if not loader.check_event(yaml.StreamEndEvent):
                self.fail(
                    loader.peek_event().start_mark.line + 1, "more than one YAML document; the KB is one document"
                )
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 1
            raise refuse(name, [*self.problems, f"{name}:{line}: {_yaml_problem(exc)}"]) from None
        except yaml.YAMLError as exc:  # e.g. ReaderError: a character YAML does not allow
            position = getattr(exc, "position", None)
            where = f":{line_at(self.text, position)}" if isinstance(position, int) else ""
            first = (str(exc).splitlines() or ["unknown error"])[0]
            raise refuse(name, [*self.problems, f"{name}{where}: not valid YAML: {first}"]) from None
        except RecursionError:
            raise refuse(name, [*self.problems, f"{name}: nested too deeply"]) from None
        finally:
            loader.dispose()
        if self.problems:
            raise refuse(name, self.problems)
        data = self.doc.data
        if not isinstance(data, dict):
            kind = "a list" if isinstance(data, list) else f"the scalar {shown(data)}"
            raise refuse(name, [f"{name}:1: expected a mapping at the top level, got {kind}"])
        return self.doc

    def fail(self, line: int, message: str) -> None:
        self.problems.append(f"{self.name}:{line}: {message}")
        if len(self.problems) >= MAX_PROBLEMS:
            raise refuse(self.name, [*self.problems, f"{self.name}: stopped reading after {MAX_PROBLEMS} problems"])

    def node(self, event: Any, path: Loc, depth: int) -> Any:
        """The value of the node that starts with `event` (each event is read once: ~2x faster)."""
        yaml, name = self._yaml, self.name
        line = event.start_mark.line + 1
        self.doc.lines.setdefault(path, line)
        if depth > MAX_DEPTH:
            raise refuse(name, [*self.problems, f"{name}:{line}: nested more than {MAX_DEPTH} levels deep"])
        self.budget -= 1
        if self.budget < 0:
            raise refuse(
                name, [*self.problems, f"{name}:{line}: more than {MAX_NODES:,} YAML nodes; not a knowledge base"]
            )
        if isinstance(event, yaml.AliasEvent):
            self.fail(line, f"alias *{cut(event.anchor or '')} not allowed (anchors and aliases are refused)")
            return None
        if event.anchor:
            self.fail(line, f"anchor &{cut(event.anchor)} not allowed (anchors and aliases are refused)")
        tag = event.tag
        if tag is not None and tag not in _ALLOWED_TAGS:
            self.fail(line, f"tag {cut(tag)} not allowed")
            tag = None
        if isinstance(event, yaml.ScalarEvent):
            return self.scalar(event, tag, path, line)
        if isinstance(event, yaml.SequenceStartEvent):
            return self.sequence(tag, path, line, depth)
        if isinstance(event, yaml.MappingStartEvent):
            return self.mapping(tag, path, line, depth)
        raise refuse(name, [*self.problems, f"{name}:{line}: unexpected YAML event {type(event).__name__}"])

    def sequence(self, tag: str | None, path: Loc, line: int, depth: int) -> list[Any]:
        if tag not in (None, "!", f"{_STD}seq"):
            self.fail(line, f"tag {tag} does not fit a list")
        items: list[Any] = []
        end, get = self._yaml.SequenceEndEvent, self.loader.get_event
        while not isinstance(item := get(), end):
            items.append(self.node(item, (*path, len(items)), depth + 1))
        return items

    def mapping(self, tag: str | None, path: Loc, line: int, depth: int) -> dict[str, Any]:
        if tag not in (None, "!", f"{_STD}map"):
            self.fail(line, f"tag {tag} does not fit a mapping")
        mapping: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        end, get = self._yaml.MappingEndEvent, self.loader.get_event
        while not isinstance(key_event := get(), end):
            key_line = key_event.start_mark.line + 1
            key = self.node(key_event, (*path, "<key>"), depth + 1)
            if not isinstance(key, str):
                self.fail(key_line, f"mapping keys must be strings, got {shown(key)}")
                key = repr(key)
            value_path = (*path, key)
            if key in first_line:
                self.fail(key_line, f"duplicate key {shown(key)} (first at line {first_line[key]})")
                self.node(get(), (*path, "<duplicate>"), depth + 1)
                continue
            first_line[key] = key_line
            self.doc.lines[value_path] = key_line
            mapping[key] = self.node(get(), value_path, depth + 1)
        return mapping

    def number(self, value: str, kind: type[int] | type[float], line: int) -> int | float | None:
        """int/float of YAML text, refusing what no KB figure needs: huge, infinite or NaN.

        Leading zeros are dropped and long digit strings refused before int(), which raises past
        4,300 digits however many of them are zeros (`000…01`).
        """
        if kind is int:
            digits = value.lstrip("+-").lstrip("0")
            sign = -1 if value.startswith("-") else 1
            converted: int | float = math.inf if len(digits) > _MAX_DIGITS else sign * int(digits or "0")
        else:
            converted = kind(value)
        if not -MAX_MAGNITUDE <= converted <= MAX_MAGNITUDE:  # also false for NaN
            self.fail(line, f"number {shown(value)} is out of range (over {MAX_MAGNITUDE:.0e})")
            return None
        return converted

    def scalar(self, event: Any, tag: str | None, path: Loc, line: int) -> Any:
        value: str = event.value
        rx = _rx()
        if event.style == '"' and (bad := rx.escaped.search(value)):  # "\e[31m", "\u202e", "\r" …
            self.fail(
                line, f"forbidden character U+{ord(bad.group()):04X} ({label(ord(bad.group()))}), written as an escape"
            )
            return visible(value)  # still a string, so a key does not also fail as "not a string"
        if tag is None and not event.style:  # plain scalar (style '' or None): YAML 1.2 core schema
            if value and value[0] not in _TYPED_START:
                return value
            if rx.null.match(value):
                resolved: Any = None
            elif value in _BOOL:
                resolved = _BOOL[value]
            elif rx.int_.match(value):
                resolved = self.number(value, int, line)
            elif rx.float_.match(value):
                resolved = self.number(value, float, line)
            else:
                return value
            self.doc.plain[path] = value
            return resolved
        if tag in (None, "!", f"{_STD}str"):
            return value
        if tag == f"{_STD}int" and rx.int_.match(value):
            return self.number(value, int, line)
        if tag == f"{_STD}float" and (rx.float_.match(value) or rx.int_.match(value)):
            return self.number(value, float, line)
        if tag == f"{_STD}bool" and value in _BOOL:
            return _BOOL[value]
        if tag == f"{_STD}null" and rx.null.match(value):
            return None
        self.fail(line, f"{shown(value)} does not fit tag {tag}")
        return None


def _yaml_problem(exc: Any) -> str:
    """PyYAML's complaint in painsci's words where painsci has a rule of its own.

    libyaml (the C scanner in PyYAML 6.0.2 and later) refuses flow nesting past 1,000 levels
    while it looks ahead on a line, before the first event deeper than MAX_DEPTH reaches the
    reader; the file breaks painsci's depth rule either way, and the scanner's look-ahead never
    crosses a line break, so its line is the line the reader would have named.
    """
    problem = str(exc.problem or exc.context)
    if "nesting depth" in problem:
        return f"nested more than {MAX_DEPTH} levels deep"
    return f"not valid YAML: {problem}"


def parse(text: str, name: str) -> YamlDocument:
    return EventReader(text, name).read()
