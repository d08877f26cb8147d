"""The process edges: standard streams that are closed, full, non-blocking or gone, and Ctrl-C.

`adopt()` runs first thing in launch.py, before anything heavy is imported:

- a closed stdin, stdout or stderr (`>&-`, `2>&-` under cron) is reopened on /dev/null, so no
  file painsci opens later can take its descriptor number; stdout is reopened read-only, so
  output to it fails cleanly (exit 74) instead of vanishing or landing in another file;
- stdout becomes a text stream over `StdoutWriter`, the one place bytes reach descriptor 1:
  it writes every byte or raises, looping over partial writes and waiting (select) when a
  non-blocking descriptor is full; a reader that went away is OutputClosed (exit 141, quiet),
  any other failure (ENOSPC on a full disk, EIO, EBADF) is OutputFailed (one line, exit 74).
  Neither is an OSError, so nothing between a write and edge.py (click's own EPIPE handling,
  which exits 1) can swallow it.
"""

from __future__ import annotations

import io
import os
import sys

from .errors import OutputClosed, OutputFailed


class StdoutWriter(io.RawIOBase):
    """Descriptor 1, written whole or not at all; after a failure it discards quietly."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self.fd = fd
        self.failed = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.fd

    def isatty(self) -> bool:
        try:
            return os.isatty(self.fd)
        except OSError:
            return False

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(data).cast("B")
        size = len(view)
        if self.failed:
            return size  # already reported once: the rest goes nowhere
        while view:
            try:
                view = view[os.write(self.fd, view) :]
            except BlockingIOError:  # a non-blocking pipe or terminal that is full: wait, never cut
                import select

                select.select([], [self.fd], [])
            except BrokenPipeError:
                self.failed = True
                raise OutputClosed() from None
            except OSError as exc:
                self.failed = True
                reason = exc.strerror or type(exc).__name__
                raise OutputFailed(f"painsci: cannot write to standard output: {reason}") from None
        return size


def _reopen_if_closed(fd: int, flags: int) -> bool:
    """Put /dev/null on a closed descriptor; True if it was closed."""
    try:
        os.fstat(fd)
        return False
    except OSError:
        pass
    try:
        null = os.open(os.devnull, flags)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
    except OSError:
        pass
    return True


def adopt() -> None:
    """Make the standard streams safe to use (see the module docstring)."""
    _reopen_if_closed(0, os.O_RDONLY)
    _reopen_if_closed(1, os.O_RDONLY)  # read-only: writing fails (EBADF) and is reported
    if _reopen_if_closed(2, os.O_WRONLY) or sys.stderr is None:
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
    previous = sys.stdout
    encoding = getattr(previous, "encoding", None) or "utf-8"
    raw = StdoutWriter(1)
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(raw, buffer_size=64 * 1024),
        encoding=encoding,
        errors="backslashreplace",
        line_buffering=raw.isatty(),
    )
