"""Find, strictly read, validate and cache the knowledge base. The only module that imports yaml.

Hostile input is refused here, before anything reaches a model or a terminal: a size cap,
strict UTF-8, no control or bidi/format characters anywhere in the file, no anchors, aliases or
custom tags, no duplicate keys, bounded nesting, and YAML 1.2 scalar rules (so `NO` stays a
string). Every problem is reported as `FILE:LINE: path.to.field: message`, all at once.

Validated knowledge bases are cached (see `cache.py`), so a lookup normally costs one file read,
one hash and one unpickle; yaml and pydantic are imported only when the cache misses.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cache
from .charset import FORBIDDEN
from .errors import KnowledgeBaseInvalid, KnowledgeBaseUnreadable
from .models import KnowledgeBase, Loc, Problem, cross_check

if TYPE_CHECKING:
    from pydantic import ValidationError

MAX_BYTES = 8 * 1024 * 1024
"""Larger files are refused unread: the real KB is ~0.2 MB, a 2,000-treatment one ~4 MB."""
MAX_DEPTH = 24
"""The schema nests at most ~9 levels; deeper input is hostile (and C recursion is finite)."""
ENV_DATA = "PAINSCI_DATA"

_NAMES = {0x1B: "ESC", 0x00: "NUL", 0x7F: "DEL", 0x202E: "RIGHT-TO-LEFT OVERRIDE", 0x200B: "ZERO WIDTH SPACE"}

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {f"{_STD}{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")} | {"!"}


def bundled_path() -> Path:
    """The KB inside the wheel, or at the repository root for an editable install."""
    here = Path(__file__).resolve().parent
    packaged = here / "data" / "treatments.yaml"
    return packaged if packaged.exists() else here.parents[1] / "data" / "treatments.yaml"


def locate(option: str | None) -> Path:
    """--data wins over PAINSCI_DATA, which wins over the bundled KB."""
    chosen = option or os.environ.get(ENV_DATA)
    return Path(chosen) if chosen else bundled_path()


@dataclass(slots=True)
class Document:
    """Plain data read from YAML plus the line of every node, for error locations."""

    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    plain: dict[Loc, str] = field(default_factory=dict)
    """Raw text of unquoted scalars YAML read as non-strings, for "quote it" hints."""


def read_bytes(path: Path) -> bytes:
    """Refuse anything but a readable regular file under the size cap, without blocking on FIFOs."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise KnowledgeBaseUnreadable(f"{path}: knowledge base not found") from None
    except OSError as exc:
        raise KnowledgeBaseUnreadable(f"{path}: cannot read knowledge base: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise KnowledgeBaseUnreadable(f"{path}: is a directory, not a knowledge base file")
    if not stat.S_ISREG(info.st_mode):
        raise KnowledgeBaseUnreadable(f"{path}: not a regular file (a FIFO, socket or device?)")
    if info.st_size > MAX_BYTES:
        raise KnowledgeBaseInvalid(f"{path}: {info.st_size:,} bytes is over the {MAX_BYTES:,}-byte limit")
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise KnowledgeBaseUnreadable(f"{path}: cannot read knowledge base: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise KnowledgeBaseInvalid(f"{path}: over the {MAX_BYTES:,}-byte limit")
    return raw


def decode(raw: bytes, name: str) -> str:
    """Strict UTF-8 (a leading BOM is allowed and dropped), then the character screen."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise KnowledgeBaseInvalid(
            f"{name}:{line}: not valid UTF-8 (byte 0x{raw[exc.start]:02X}); save the file as UTF-8"
        ) from None
    problems = []
    for match in FORBIDDEN.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        code = ord(match.group())
        label = _NAMES.get(code, "control character" if code < 0xA0 else "invisible format character")
        problems.append(f"{name}:{line}: forbidden character U+{code:04X} ({label})")
        if len(problems) >= 20:
            problems.append(f"{name}: further forbidden characters not listed")
            break
    if problems:
        raise KnowledgeBaseInvalid(*problems)
    return text


def parse(text: str, name: str) -> Document:
    """YAML events to plain data, refusing what the KB never needs (anchors, aliases, tags …)."""
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    doc = Document(data=None)
    problems: list[str] = []

    def fail(line: int, message: str) -> None:
        problems.append(f"{name}:{line}: {message}")

    def node(path: Loc, depth: int) -> Any:
        event = loader.get_event()
        line = event.start_mark.line + 1
        doc.lines.setdefault(path, line)
        if depth > MAX_DEPTH:
            raise KnowledgeBaseInvalid(f"{name}:{line}: nested more than {MAX_DEPTH} levels deep")
        if isinstance(event, yaml.AliasEvent):
            fail(line, f"alias *{event.anchor} not allowed (anchors and aliases are refused)")
            return None
        if getattr(event, "anchor", None):
            fail(line, f"anchor &{event.anchor} not allowed (anchors and aliases are refused)")
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _ALLOWED_TAGS:
            fail(line, f"tag {tag} not allowed")
            tag = None
        if isinstance(event, yaml.ScalarEvent):
            return scalar(event, tag, path)
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            while not loader.check_event(yaml.SequenceEndEvent):
                items.append(node((*path, len(items)), depth + 1))
            loader.get_event()
            return items
        if isinstance(event, yaml.MappingStartEvent):
            mapping: dict[str, Any] = {}
            first_line: dict[str, int] = {}
            while not loader.check_event(yaml.MappingEndEvent):
                key_event = loader.peek_event()
                key_line = key_event.start_mark.line + 1
                key = node((*path, "<key>"), depth + 1)
                if not isinstance(key, str):
                    fail(key_line, f"mapping keys must be strings, got {key!r}")
                    key = repr(key)
                value_path = (*path, key)
                if key in first_line:
                    fail(key_line, f"duplicate key {key!r} (first at line {first_line[key]})")
                    node((*path, "<duplicate>"), depth + 1)
                    continue
                first_line[key] = key_line
                doc.lines[value_path] = key_line
                mapping[key] = node(value_path, depth + 1)
            loader.get_event()
            return mapping
        raise KnowledgeBaseInvalid(f"{name}:{line}: unexpected YAML event {type(event).__name__}")

    def scalar(event: Any, tag: str | None, path: Loc) -> Any:
        value: str = event.value
        if tag is None and not event.style:  # plain scalar (style '' or None): YAML 1.2 core schema
            if _NULL.match(value):
                resolved: Any = None
            elif value in _BOOL:
                resolved = _BOOL[value]
            elif _INT.match(value):
                resolved = int(value)
            elif _FLOAT.match(value):
                resolved = float(value)
            else:
                return value
            doc.plain[path] = value
            return resolved
        if tag in (None, "!", f"{_STD}str"):
            return value
        try:
            if tag == f"{_STD}int":
                return int(value)
            if tag == f"{_STD}float":
                return float(value)
        except ValueError:
            fail(event.start_mark.line + 1, f"{value!r} is not a valid {tag.rsplit(':', 1)[-1]}")
            return None
        if tag == f"{_STD}bool" and value in _BOOL:
            return _BOOL[value]
        if tag == f"{_STD}null":
            return None
        fail(event.start_mark.line + 1, f"{value!r} does not fit tag {tag}")
        return None

    try:
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            raise KnowledgeBaseInvalid(f"{name}:1: the file is empty; expected a YAML mapping")
        loader.get_event()  # document start
        doc.data = node((), 0)
        loader.get_event()  # document end
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.peek_event()
            fail(event.start_mark.line + 1, "more than one YAML document; the KB is one document")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise KnowledgeBaseInvalid(f"{name}:{line}: not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise KnowledgeBaseInvalid(f"{name}: not valid YAML: {exc}") from None
    except RecursionError:
        raise KnowledgeBaseInvalid(f"{name}: nested too deeply") from None
    finally:
        loader.dispose()
    if problems:
        raise KnowledgeBaseInvalid(*problems)
    if not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else f"the scalar {doc.data!r}"
        raise KnowledgeBaseInvalid(f"{name}:1: expected a mapping at the top level, got {kind}")
    return doc


def dotted(loc: Loc) -> str:
    """('treatments', 3, 'findings', 0) -> 'treatments[3].findings[0]'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
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
    try:
        kb = adapter.validate_json(json.dumps(doc.data), strict=True)
    except ValidationError as exc:
        problems = _pydantic_problems(exc, doc)
    else:
        problems = cross_check(kb)
    if problems:
        ordered = sorted(problems, key=lambda p: line_of(doc, p.loc))
        raise KnowledgeBaseInvalid(*(f"{name}:{line_of(doc, p.loc)}: {dotted(p.loc)}: {p.message}" for p in ordered))
    return kb


def _pydantic_problems(exc: ValidationError, doc: Document) -> list[Problem]:
    from .suggest import allowed_keys, did_you_mean

    problems: dict[Loc, Problem] = {}
    for error in exc.errors(include_url=False):
        loc: Loc = tuple(error["loc"])
        kind = error["type"]
        text = error["msg"]
        if loc and loc[-1] in ("int", "float") and kind in ("int_type", "float_type", "int_from_float"):
            loc = loc[:-1]  # one error per member of `int | float`: report once, as a number
            text = "Input should be a number"
        if kind in ("unexpected_keyword_argument", "extra_forbidden"):
            key = str(loc[-1])
            hint = did_you_mean(key, allowed_keys(KnowledgeBase, loc[:-1]))
            message = f"unknown field {key!r}" + (f"; did you mean {hint!r}?" if hint else "")
        elif kind in ("missing_keyword_argument", "missing"):
            message = f"required field {str(loc[-1])!r} is missing"
        else:
            message = text
            raw = doc.plain.get(loc)
            if raw is not None and kind in ("string_type", "str_type"):
                message += f" (YAML read the unquoted {raw!r} as a {type(error['input']).__name__}; quote it)"
            elif kind == "literal_error":
                message = f"{error['input']!r} is not allowed; {text.lower()}"
        problems.setdefault(loc, Problem(loc, message))
    return list(problems.values())


def load(option: str | None = None) -> KnowledgeBase:
    """The validated KB: from the cache when its content hash matches, else read and validate."""
    path = locate(option)
    raw = read_bytes(path)
    key = cache.key_for(raw)
    cached = cache.read(key)
    if cached is not None:
        return cached
    kb = load_uncached(raw, str(path))
    cache.write(key, kb)
    return kb


def load_uncached(raw: bytes, name: str) -> KnowledgeBase:
    text = decode(raw, name)
    return validate(parse(text, name), name)
