"""Find, strictly read, validate and cache the knowledge base: the one way a KB gets in.

    locate   --data, PAINSCI_DATA or the bundled file
    read     the byte and character screen (size cap, regular file, UTF-8, no control characters)
    events   YAML events to plain data with lines (the only yaml import)
    validate strict pydantic plus the cross-record rules (rules.py), as FILE:LINE messages
    cache    the validated KB, one verified pickle per treatment; store: treatments on demand

Hostile input is refused here, before anything reaches a model or a terminal. A lookup normally
costs one file read, one hash and one unpickle; yaml and pydantic are imported only when the
cache misses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import locate as locating  # the module keeps its name; its function is locating.locate
from .read import decode, read_bytes

if TYPE_CHECKING:  # the package is imported by the completion fast path: keep it light
    from ..models import KnowledgeBase
    from .store import Store

__all__ = ["load", "load_uncached", "read_bytes"]


def load(option: str | None = None) -> Store:
    """The validated KB: from the cache when its content hash matches, else read and validate."""
    from . import cache
    from .store import Store

    path = locating.locate(option)
    raw = read_bytes(path)
    key = cache.key_for(raw)
    cached = cache.read(key, lambda: load_uncached(raw, str(path)))
    if cached is not None:
        return cached
    kb = load_uncached(raw, str(path))
    store = Store.from_kb(kb, keep=lambda phase, rows: cache.write_rows(key, phase, rows))
    cache.write(key, kb, store)
    return store


def load_uncached(raw: bytes, name: str) -> KnowledgeBase:
    """Decode, parse and validate; `name` (usually the path as given) starts every message."""
    from ..charset import visible_path
    from .events import parse
    from .validate import validate

    name = visible_path(name)
    return validate(parse(decode(raw, name), name), name)
