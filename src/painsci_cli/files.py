"""Writing a file whole or not at all: the one atomic writer (the cache and --export use it).

The bytes go to a temporary file beside the target, are flushed (and for user files synced),
then renamed over the target in one step, so a reader never sees half a file and a failure
leaves no litter. Errors are OSError; each caller decides what a failure means.
"""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path


def write_atomically(path: Path, data: bytes, *, private: bool = False, sync: bool = True) -> None:
    """Replace `path` with `data` in one step.

    private: keep mkstemp's 0600 (the cache); otherwise the user's umask applies, as for any
    file they create (an export).
    """
    import tempfile  # lazily: the cache module is on the completion fast path

    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:64]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            if not private:
                os.fchmod(out.fileno(), 0o666 & ~_umask())
            out.write(data)
            out.flush()
            if sync:
                os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
