"""The validated-KB cache: a restricted pickle per KB content hash, in the user cache directory.

The key covers the KB bytes, the KB schema version, the package version and the Python version,
so an edited KB or an upgraded painsci is never served a stale entry. A file that is truncated,
corrupt, from another version or not ours is ignored (and replaced); a cache directory that
cannot be written is ignored too: the cache only ever saves time, it never changes an answer.
Unpickling is restricted to painsci's own model classes, so a planted file cannot run code.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import tempfile
from pathlib import Path

from . import __version__
from .models import KB_SCHEMA_VERSION, KnowledgeBase

ENV_DIR = "PAINSCI_CACHE_DIR"
ENV_OFF = "PAINSCI_NO_CACHE"
_MAGIC = b"painsci-kb-cache\n"
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
    digest.update(f"|kb{KB_SCHEMA_VERSION}|{__version__}|{sys.version_info[:2]}".encode())
    return digest.hexdigest()[:32]


class _ModelsOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> type:
        from . import models

        if module == models.__name__:
            found = getattr(models, name, None)
            if isinstance(found, type) and hasattr(found, "__dataclass_fields__"):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


def read(key: str) -> KnowledgeBase | None:
    folder = directory()
    if folder is None:
        return None
    try:
        blob = (folder / f"kb-{key}.pickle").read_bytes()
    except OSError:
        return None
    head, payload = blob[: len(_MAGIC) + 32], blob[len(_MAGIC) + 32 :]
    if head[: len(_MAGIC)] != _MAGIC or head[len(_MAGIC) :] != hashlib.sha256(payload).digest():
        return None
    try:
        kb = _ModelsOnly(io.BytesIO(payload)).load()
    except Exception:  # any failure to unpickle means "not cached", never an error for the user
        return None
    return kb if isinstance(kb, KnowledgeBase) else None


def write(key: str, kb: KnowledgeBase) -> None:
    folder = directory()
    if folder is None:
        return
    payload = pickle.dumps(kb, protocol=pickle.HIGHEST_PROTOCOL)
    blob = _MAGIC + hashlib.sha256(payload).digest() + payload
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".kb-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(blob)
            os.replace(temp, folder / f"kb-{key}.pickle")
        except BaseException:
            os.unlink(temp)
            raise
        _prune(folder)
    except OSError:
        return  # read-only, full or missing cache directory: run uncached


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("kb-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in entries[_KEEP:]:
        stale.unlink(missing_ok=True)
