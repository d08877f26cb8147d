"""Find, strictly read, validate and cache the knowledge base. The only module that imports yaml.

Hostile input is refused here, before anything reaches a model or a terminal: a size cap,
strict UTF-8, no control or bidi/format characters anywhere in the file, no anchors, aliases or
custom tags, no duplicate keys, bounded nesting and node count, numbers of a sane size, and
YAML 1.2 scalar rules (so `NO` stays a string). Every problem is reported as
`FILE:LINE: path.to.field: message`, all at once (up to `MAX_PROBLEMS` lines), each on one line
with the file name and any quoted input escaped, so no message can carry a control sequence.

Validated knowledge bases are cached (see `cache.py`), so a lookup normally costs one file read,
one hash and one unpickle; yaml and pydantic are imported only when the cache misses.
"""

from __future__ import annotations

import functools
import math
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cache
from .charset import FORBIDDEN_CLASS, forbidden, visible
from .errors import KnowledgeBaseInvalid, KnowledgeBaseUnreadable
from .location import locate
from .models import KnowledgeBase, Loc, Problem, cross_check
from .store import Store

if TYPE_CHECKING:
    from pydantic import ValidationError

MAX_BYTES = 8 * 1024 * 1024
"""Larger files are refused unread (the real KB is ~0.5 MB); for YAML this dense MAX_NODES binds first."""
MAX_DEPTH = 24
"""The schema nests at most ~9 levels; deeper input is hostile (and C recursion is finite)."""
MAX_NODES = 300_000
"""YAML nodes (scalars, lists, mappings) read before giving up: 12x the real KB (~25,000 nodes in
~460 KB), room for the 2,000-treatment benchmark KB (~270,000). Parsing costs ~3.5 µs a node, so
this cap, not the byte cap, keeps any file (say 8 MB of `[1,1,1,…]`) to about a second."""
MAX_PROBLEMS = 20
"""Problems listed before the rest are summarised in one line: a broken file stays readable."""
MAX_MAGNITUDE = 10**15
"""Larger numbers (and inf/nan) are refused: no KB figure comes near, and huge ones break arithmetic."""
_DETAILED_ERRORS = 1_000
"""Past this many pydantic errors the file is no KB at all: only the first few are examined."""
_MAX_SHOWN = 60
"""Quoted input in a message is cut to this many characters."""

_NAMES = {
    0x1B: "ESC",
    0x00: "NUL",
    0x0D: "CARRIAGE RETURN",
    0x7F: "DEL",
    0x202E: "RIGHT-TO-LEFT OVERRIDE",
    0x200B: "ZERO WIDTH SPACE",
}

_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_TYPED_START = frozenset("~nNtTfF+-.0123456789")
"""First characters of a plain scalar that may be null, bool or a number; others are strings."""
_MAX_DIGITS = len(str(MAX_MAGNITUDE))


class _Patterns:
    """The loader's regular expressions, compiled on first use: a cached lookup never needs them."""

    def __init__(self) -> None:
        self.null = re.compile(r"^(?:~|null|Null|NULL|)$")
        self.int_ = re.compile(r"^[-+]?[0-9]+$")
        self.float_ = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
        self.escaped = re.compile(f"{FORBIDDEN_CLASS}|\r")
        """What a double-quoted escape (`\\e`, `\\x1b`, `\\u202e`, `\\r` …) must not produce: the
        screen of the raw text cannot see these. A raw CR is a line break to YAML, so only an escape
        yields one."""
        self.breaks = re.compile("\r\n|\r|\n")
        """Line breaks as YAML counts them (a lone CR too), so FILE:LINE agrees with the parser."""


@functools.cache
def _rx() -> _Patterns:
    return _Patterns()


_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {f"{_STD}{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")} | {"!"}


def cut(text: str, limit: int = _MAX_SHOWN) -> str:
    """Text from the input in an error message: escaped and cut to `limit` characters."""
    return visible(text[:limit]) + ("…" if len(text) > limit else "")


def shown(value: Any, limit: int = _MAX_SHOWN) -> str:
    """A value quoted in an error message: its repr, escaped and cut to `limit` characters."""
    return cut(repr(value), limit)


def _refuse(name: str, lines: Sequence[str]) -> KnowledgeBaseInvalid:
    """At most MAX_PROBLEMS lines (then a count of the rest), each one escaped line of bounded length."""
    listed = [visible(line[:500]) + ("…" if len(line) > 500 else "") for line in lines]
    if len(listed) > MAX_PROBLEMS + 1:
        listed[MAX_PROBLEMS:] = [f"{name}: {len(listed) - MAX_PROBLEMS:,} more problems not listed"]
    return KnowledgeBaseInvalid(*listed)


@dataclass(slots=True)
class Document:
    """Plain data read from YAML plus the line of every node, for error locations."""

    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    plain: dict[Loc, str] = field(default_factory=dict)
    """Raw text of unquoted scalars YAML read as non-strings, for "quote it" hints."""


def read_bytes(path: Path) -> bytes:
    """Refuse anything but a readable regular file under the size cap, without blocking on FIFOs.

    The file is opened non-blocking and checked with fstat on the open descriptor, so a FIFO
    swapped in after a check cannot hang the read. The path is the user's input, so it is
    escaped in every message (a file name can hold ESC or undecodable bytes).
    """
    name = visible(str(path))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise KnowledgeBaseUnreadable(f"{name}: knowledge base not found") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "invalid path"
        raise KnowledgeBaseUnreadable(f"{name}: cannot read knowledge base: {reason}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise KnowledgeBaseUnreadable(f"{name}: is a directory, not a knowledge base file")
        if not stat.S_ISREG(info.st_mode):
            raise KnowledgeBaseUnreadable(f"{name}: not a regular file (a FIFO, socket or device?)")
        if info.st_size > MAX_BYTES:
            raise KnowledgeBaseInvalid(f"{name}: {info.st_size:,} bytes is over the {MAX_BYTES:,}-byte limit")
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_BYTES and (chunk := os.read(fd, MAX_BYTES + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
        raw = b"".join(chunks)
    except OSError as exc:
        raise KnowledgeBaseUnreadable(f"{name}: cannot read knowledge base: {exc.strerror}") from None
    finally:
        os.close(fd)
    if len(raw) > MAX_BYTES:
        raise KnowledgeBaseInvalid(f"{name}: over the {MAX_BYTES:,}-byte limit")
    return raw


def _label(code: int) -> str:
    if code < 0xA0:
        return "control character"
    if 0xD800 <= code <= 0xDFFF or (code & 0xFFFE) == 0xFFFE or 0xFDD0 <= code <= 0xFDEF:
        return "noncharacter"
    return "invisible format character"


def decode(raw: bytes, name: str) -> str:
    """Strict UTF-8 (a leading BOM is allowed and dropped), then the character screen."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = len(_rx().breaks.findall(raw.decode("latin-1", "replace"), 0, exc.start)) + 1
        raise KnowledgeBaseInvalid(
            f"{name}:{line}: not valid UTF-8 (byte 0x{raw[exc.start]:02X}); save the file as UTF-8"
        ) from None
    problems = []
    for match in forbidden().finditer(text):
        line = len(_rx().breaks.findall(text, 0, match.start())) + 1
        code = ord(match.group())
        label = _NAMES.get(code) or _label(code)
        problems.append(f"{name}:{line}: forbidden character U+{code:04X} ({label})")
        if len(problems) >= 20:
            problems.append(f"{name}: further forbidden characters not listed")
            break
    if problems:
        raise KnowledgeBaseInvalid(*problems)
    return text


def parse(text: str, name: str) -> Document:
    """YAML events to plain data, refusing what the KB never needs (anchors, aliases, tags …).

    Work is bounded whatever the input: at most MAX_NODES nodes are read, at most MAX_DEPTH
    levels deep, and reading stops once MAX_PROBLEMS problems are known.
    """
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    doc = Document(data=None)
    problems: list[str] = []
    budget = [MAX_NODES]
    alias, scalar_event = yaml.AliasEvent, yaml.ScalarEvent
    sequence_start, sequence_end = yaml.SequenceStartEvent, yaml.SequenceEndEvent
    mapping_start, mapping_end = yaml.MappingStartEvent, yaml.MappingEndEvent

    def fail(line: int, message: str) -> None:
        problems.append(f"{name}:{line}: {message}")
        if len(problems) >= MAX_PROBLEMS:
            raise _refuse(name, [*problems, f"{name}: stopped reading after {MAX_PROBLEMS} problems"])

    def node(event: Any, path: Loc, depth: int) -> Any:
        """The value of the node that starts with `event` (each event is read once: ~2x faster)."""
        line = event.start_mark.line + 1
        doc.lines.setdefault(path, line)
        if depth > MAX_DEPTH:
            raise _refuse(name, [*problems, f"{name}:{line}: nested more than {MAX_DEPTH} levels deep"])
        budget[0] -= 1
        if budget[0] < 0:
            too_many = f"{name}:{line}: more than {MAX_NODES:,} YAML nodes; not a knowledge base"
            raise _refuse(name, [*problems, too_many])
        if isinstance(event, alias):
            fail(line, f"alias *{cut(event.anchor or '')} not allowed (anchors and aliases are refused)")
            return None
        if event.anchor:
            fail(line, f"anchor &{cut(event.anchor)} not allowed (anchors and aliases are refused)")
        tag = event.tag
        if tag is not None and tag not in _ALLOWED_TAGS:
            fail(line, f"tag {cut(tag)} not allowed")
            tag = None
        if isinstance(event, scalar_event):
            return scalar(event, tag, path, line)
        if isinstance(event, sequence_start):
            if tag not in (None, "!", f"{_STD}seq"):
                fail(line, f"tag {tag} does not fit a list")
            items: list[Any] = []
            while not isinstance(item := loader.get_event(), sequence_end):
                items.append(node(item, (*path, len(items)), depth + 1))
            return items
        if isinstance(event, mapping_start):
            if tag not in (None, "!", f"{_STD}map"):
                fail(line, f"tag {tag} does not fit a mapping")
            mapping: dict[str, Any] = {}
            first_line: dict[str, int] = {}
            while not isinstance(key_event := loader.get_event(), mapping_end):
                key_line = key_event.start_mark.line + 1
                key = node(key_event, (*path, "<key>"), depth + 1)
                if not isinstance(key, str):
                    fail(key_line, f"mapping keys must be strings, got {shown(key)}")
                    key = repr(key)
                value_path = (*path, key)
                if key in first_line:
                    fail(key_line, f"duplicate key {shown(key)} (first at line {first_line[key]})")
                    node(loader.get_event(), (*path, "<duplicate>"), depth + 1)
                    continue
                first_line[key] = key_line
                doc.lines[value_path] = key_line
                mapping[key] = node(loader.get_event(), value_path, depth + 1)
            return mapping
        raise _refuse(name, [*problems, f"{name}:{line}: unexpected YAML event {type(event).__name__}"])

    def number(value: str, kind: type[int] | type[float], line: int) -> int | float | None:
        """int/float of YAML text, refusing what no KB figure needs: huge, infinite or NaN.

        Long digit strings are refused before int() (which raises past 4,300 digits).
        """
        if kind is int and len(value) > _MAX_DIGITS and len(value.lstrip("+-").lstrip("0")) > _MAX_DIGITS:
            converted: int | float = math.inf
        else:
            converted = kind(value)
        if not -MAX_MAGNITUDE <= converted <= MAX_MAGNITUDE:  # also false for NaN
            fail(line, f"number {shown(value)} is out of range (over {MAX_MAGNITUDE:.0e})")
            return None
        return converted

    def scalar(event: Any, tag: str | None, path: Loc, line: int) -> Any:
        value: str = event.value
        if event.style == '"' and (bad := _rx().escaped.search(value)):  # "\e[31m", "\u202e", "\r" …
            code = ord(bad.group())
            fail(line, f"forbidden character U+{code:04X} ({_NAMES.get(code) or _label(code)}), written as an escape")
            return visible(value)  # still a string, so a key does not also fail as "not a string"
        if tag is None and not event.style:  # plain scalar (style '' or None): YAML 1.2 core schema
            if value and value[0] not in _TYPED_START:
                return value
            if _rx().null.match(value):
                resolved: Any = None
            elif value in _BOOL:
                resolved = _BOOL[value]
            elif _rx().int_.match(value):
                resolved = number(value, int, line)
            elif _rx().float_.match(value):
                resolved = number(value, float, line)
            else:
                return value
            doc.plain[path] = value
            return resolved
        if tag in (None, "!", f"{_STD}str"):
            return value
        if tag == f"{_STD}int" and _rx().int_.match(value):
            return number(value, int, line)
        if tag == f"{_STD}float" and (_rx().float_.match(value) or _rx().int_.match(value)):
            return number(value, float, line)
        if tag == f"{_STD}bool" and value in _BOOL:
            return _BOOL[value]
        if tag == f"{_STD}null" and _rx().null.match(value):
            return None
        fail(line, f"{shown(value)} does not fit tag {tag}")
        return None

    try:
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            raise KnowledgeBaseInvalid(f"{name}:1: the file is empty; expected a YAML mapping")
        loader.get_event()  # document start
        doc.data = node(loader.get_event(), (), 0)
        loader.get_event()  # document end
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.peek_event()
            fail(event.start_mark.line + 1, "more than one YAML document; the KB is one document")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise _refuse(name, [*problems, f"{name}:{line}: {_yaml_problem(exc)}"]) from None
    except yaml.YAMLError as exc:  # e.g. ReaderError: a character YAML does not allow
        position = getattr(exc, "position", None)
        where = f":{len(_rx().breaks.findall(text, 0, position)) + 1}" if isinstance(position, int) else ""
        first = (str(exc).splitlines() or ["unknown error"])[0]
        raise _refuse(name, [*problems, f"{name}{where}: not valid YAML: {first}"]) from None
    except RecursionError:
        raise _refuse(name, [*problems, f"{name}: nested too deeply"]) from None
    finally:
        loader.dispose()
    if problems:
        raise _refuse(name, problems)
    if not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else f"the scalar {shown(doc.data)}"
        raise _refuse(name, [f"{name}:1: expected a mapping at the top level, got {kind}"])
    return doc


def _yaml_problem(exc: Any) -> str:
    """PyYAML's complaint in painsci's words where painsci has a rule of its own.

    libyaml (the C scanner in PyYAML 6.0.2 and later) refuses flow nesting past 1,000 levels
    while it looks ahead on a line, before the first event deeper than MAX_DEPTH reaches the
    walker; the file breaks painsci's depth rule either way, and the scanner's look-ahead never
    crosses a line break, so its line is the line the walker would have named.
    """
    problem = str(exc.problem or exc.context)
    if "nesting depth" in problem:
        return f"nested more than {MAX_DEPTH} levels deep"
    return f"not valid YAML: {problem}"


def dotted(loc: Loc) -> str:
    """('treatments', 3, 'findings', 0) -> 'treatments[3].findings[0]'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{cut(part)}" if text else cut(part)
    return text or "(top level)"


def line_of(doc: Document, loc: Loc) -> int:
    """The line of the longest prefix of `loc` that exists in the document."""
    for end in range(len(loc), -1, -1):
        line = doc.lines.get(tuple(loc[:end]))
        if line is not None:
            return line
    return 1


def validate(doc: Document, name: str) -> KnowledgeBase:
    """Strict pydantic validation plus cross-checks; every problem at once, sorted by line."""
    import json

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
        problems = cross_check(kb)
    if problems:
        ordered = sorted(problems, key=lambda p: line_of(doc, p.loc))
        lines = [f"{name}:{line_of(doc, p.loc)}: {dotted(p.loc)}: {p.message}" for p in ordered]
        if total:  # only the first errors were examined
            lines = lines[:MAX_PROBLEMS]
            lines.append(f"{name}: {total - len(lines):,} more problems not listed")
        raise _refuse(name, lines)
    return kb


def _first_errors(exc: ValidationError) -> list[dict[str, Any]]:
    """pydantic's errors, or for a file that is no KB at all (thousands) the first few, cheaply.

    `errors()` costs ~2 µs an error in Python; `json()` is serialised in Rust, and only the
    first errors are decoded from it, so 250,000 errors cost ~0.1 s instead of ~3 s.
    """
    import json

    if exc.error_count() <= _DETAILED_ERRORS:
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


def _pydantic_problems(errors: list[dict[str, Any]], doc: Document) -> list[Problem]:
    from .suggest import allowed_keys, did_you_mean

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
                message += f" (YAML read the unquoted {shown(raw)} as a {type(value).__name__}; quote it)"
            elif kind == "literal_error":
                value = error["input"] if "input" in error else _value_at(doc.data, loc)
                message = f"{shown(value)} is not allowed; {text.lower()}"
        problems.setdefault(loc, Problem(loc, message))
    return list(problems.values())


def load(option: str | None = None) -> Store:
    """The validated KB: from the cache when its content hash matches, else read and validate."""
    path = locate(option)
    raw = read_bytes(path)
    key = cache.key_for(raw)
    cached = cache.read(key, lambda: load_uncached(raw, str(path)))
    if cached is not None:
        return cached
    kb = load_uncached(raw, str(path))
    cache.write(key, kb)
    return Store.from_kb(kb)


def load_uncached(raw: bytes, name: str) -> KnowledgeBase:
    """Decode, parse and validate; `name` (usually the path as given) starts every message."""
    name = visible(name)
    text = decode(raw, name)
    return validate(parse(text, name), name)
