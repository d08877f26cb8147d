"""The validated-KB cache: a restricted pickle per KB content hash, in the user cache directory.

The key covers the KB bytes, the KB schema version, the package version and the Python version,
so an edited KB or an upgraded painsci is never served a stale entry. A file that is truncated,
corrupt, from another version or not ours is ignored (and replaced); a cache directory that
cannot be written is ignored too: the cache only ever saves time, it never changes an answer.
Unpickling is restricted to painsci's own model classes, so a planted file cannot run code.

Beside each entry, a small JSON file holds just the treatment names, so shell completion can
answer without importing the model (see complete.py). This module imports no model at load time
for the same reason.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import KB_SCHEMA_VERSION, __version__
from ..files import write_atomically

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..models import KnowledgeBase, Treatment
    from .store import Store

ENV_DIR = "PAINSCI_CACHE_DIR"
ENV_OFF = "PAINSCI_NO_CACHE"
_MAGIC = b"painsci-kb-cache 2\n"
_DIGEST = 32
RULES = 5
"""Bump when the loader's rules or this file's format change, so nothing cached under older rules
is served (the package version alone does not move between development builds)."""
_KEEP = 8
"""Entries kept; older ones are pruned on write so the directory cannot grow without bound."""


def directory() -> Path | None:
    """PAINSCI_CACHE_DIR, else $XDG_CACHE_HOME/painsci, else ~/.cache/painsci; None when disabled."""
    if os.environ.get(ENV_OFF):
        return None
    explicit = os.environ.get(ENV_DIR)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "painsci"


def key_for(raw: bytes) -> str:
    digest = hashlib.sha256(raw)
    digest.update(f"|kb{KB_SCHEMA_VERSION}|rules{RULES}|{__version__}|{sys.version_info[:2]}".encode())
    return digest.hexdigest()[:32]


class _ModelsOnly(pickle.Unpickler):
    """Unpickles painsci's own record classes and nothing else (no builtins, no callables)."""

    def find_class(self, module: str, name: str) -> Any:
        from .. import models
        from . import store

        owner = {models.__name__: models, store.__name__: store}.get(module)
        found = getattr(owner, name, None) if owner else None
        if isinstance(found, type) and hasattr(found, "__dataclass_fields__"):
            return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


def _unpickle(blob: bytes, entry: Any) -> Any:
    """One verified entry of a cache file; raises on any mismatch (callers treat it as a miss)."""
    offset, length = entry
    digest, payload = blob[offset : offset + _DIGEST], blob[offset + _DIGEST : offset + length]
    if len(payload) != length - _DIGEST or hashlib.sha256(payload).digest() != digest:
        raise ValueError("corrupt cache entry")
    return _restricted(payload)


def _restricted(payload: bytes) -> Any:
    import io

    return _ModelsOnly(io.BytesIO(payload)).load()


def read(key: str, recover: Callable[[], KnowledgeBase]) -> Store | None:
    """The cached store for this KB, or None; only the registries are unpickled up front."""
    folder = directory()
    if folder is None:
        return None
    try:
        blob = (folder / f"kb-{key}.cache").read_bytes()
        if not blob.startswith(_MAGIC):
            return None
        start = len(_MAGIC) + 8
        size = int.from_bytes(blob[len(_MAGIC) : start], "big")
        entries = _restricted(blob[start : start + size])  # plain dicts, lists and ints only
        body = blob[start + size :]
        from .store import Core, Directory

        core, listing = _unpickle(body, entries["core"]), _unpickle(body, entries["directory"])
        if not isinstance(core, Core) or not isinstance(listing, Directory):
            return None
        treatments = entries["treatments"]
    except Exception:  # truncated, corrupt, foreign or unreadable: a miss, never an error
        return None
    from .store import Store

    return Store(core, listing, _fetcher(body, treatments), recover)


def _fetcher(body: bytes, treatments: dict[str, Any]) -> Callable[[str], Treatment]:
    def fetch(treatment_id: str) -> Treatment:
        from ..models import Treatment
        from .store import DamagedEntry

        try:
            found = _unpickle(body, treatments[treatment_id])
        except Exception as exc:
            raise DamagedEntry(treatment_id) from exc
        if not isinstance(found, Treatment):
            raise DamagedEntry(treatment_id)
        return found

    return fetch


def read_names(key: str) -> tuple[list[str], Mapping[str, str]] | None:
    """(treatment ids, normalised name -> id) for completion, or None when not cached.

    A plain text file: ids, a blank line, then name<TAB>id lines. The names are parsed only if
    completion asks for them (when no id matches), so a TAB on a large KB splits one short list.
    """
    folder = directory()
    payload = _verified(folder / f"names-{key}.txt") if folder else None
    if payload is None:
        return None
    try:
        text = payload.decode()
    except UnicodeDecodeError:
        return None
    ids_part, _, names_part = text.partition("\n\n")
    return ids_part.split("\n"), _LazyNames(names_part)


class _LazyNames(Mapping[str, str]):
    __slots__ = ("_parsed", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._parsed: dict[str, str] | None = None

    def _names(self) -> dict[str, str]:
        if self._parsed is None:
            self._parsed = dict(line.split("\t", 1) for line in self._text.split("\n") if "\t" in line)
        return self._parsed

    def __getitem__(self, name: str) -> str:
        return self._names()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())


def write(key: str, kb: KnowledgeBase) -> None:
    """Store the validated KB: registries, directory and one verified pickle per treatment."""
    from .store import directory_of, split_core

    folder = directory()
    if folder is None:
        return
    listing = directory_of(kb)
    parts = {"core": split_core(kb), "directory": listing}
    body = bytearray()
    entries: dict[str, Any] = {}
    treatments: dict[str, list[int]] = {}
    for name, value in [*parts.items(), *((t.id, t) for t in kb.treatments)]:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        where = [len(body), _DIGEST + len(payload)]
        body += hashlib.sha256(payload).digest() + payload
        if name in parts:
            entries[name] = where
        else:
            treatments[name] = where
    entries["treatments"] = treatments
    header = pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)
    blob = _MAGIC + len(header).to_bytes(8, "big") + header + bytes(body)
    names = "\n".join(listing.ids) + "\n\n" + "\n".join(f"{n}\t{i}" for n, i in listing.names.items())
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / f"kb-{key}.cache", blob, private=True, sync=False)
        write_atomically(folder / f"names-{key}.txt", _MAGIC + _checked(names.encode()), private=True, sync=False)
        _prune(folder)
    except OSError:
        return  # read-only, full or missing cache directory: run uncached


def _checked(payload: bytes) -> bytes:
    return hashlib.sha256(payload).digest() + payload


def _verified(path: Path) -> bytes | None:
    """The payload of a small cache file whose magic and checksum match, else None."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    head, payload = blob[: len(_MAGIC) + _DIGEST], blob[len(_MAGIC) + _DIGEST :]
    if head[: len(_MAGIC)] != _MAGIC or head[len(_MAGIC) :] != hashlib.sha256(payload).digest():
        return None
    return payload


def _prune(folder: Path) -> None:
    for pattern in ("kb-*.cache", "names-*.txt"):
        entries = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in entries[_KEEP:]:
            stale.unlink(missing_ok=True)
