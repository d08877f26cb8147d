"""Writing a file whole or not at all: the atomic writer of --export (the cache has its own,
relative to its checked folder descriptor: load/cache.py).

The bytes go to a temporary file beside the target, are flushed (and for user files synced),
then renamed over the target in one step, so a reader never sees half a file and a failure
leaves no litter. Errors are OSError; each caller decides what a failure means.
"""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path

TEMPORARY_STEM = 64
"""Bytes of the target's name kept in the temporary file's name: a legal 255-byte name must
leave room for the dot, the random part and the suffix."""


def write_atomically(path: Path, data: bytes, *, sync: bool = True, mode: int | None = None) -> None:
    """Replace `path` with `data` in one step.

    mode: the permissions of the file being replaced, so a 0600 file stays 0600; without one the
    user's umask applies, as for any file they create.
    """
    import tempfile

    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{_stem(path.name)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), mode if mode is not None else 0o666 & ~_umask())
            out.write(data)
            out.flush()
            if sync:
                os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


def _stem(name: str) -> str:
    """The start of `name`, at most TEMPORARY_STEM bytes once encoded, cut between characters."""
    stem = name[:TEMPORARY_STEM]
    while len(os.fsencode(stem)) > TEMPORARY_STEM:
        stem = stem[:-1]
    return stem


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
