"""The console entry point.

Ctrl-C is handled first thing, before any import that takes time: it exits 130 quietly at any
moment (a second Ctrl-C during clean-up exits at once). Then the standard streams are made safe
(stdio.py: closed descriptors, full disks, non-blocking or vanished readers). Shell completion
is answered before the CLI (and Typer) is imported, from the treatment names alone, because the
shell runs painsci on every TAB. Everything else goes to `cli.app`.

The process then ends with `os._exit` once stdout and stderr are flushed: tearing down the
interpreter (dropping every module and the objects of a loaded KB) costs 12-16 ms, more than
any single part of a lookup, and painsci registers no exit handlers and leaves no files open
(exports are renamed into place before the command returns). For the same reason the cyclic
garbage collector is off: importing Typer and rich allocates enough objects to trigger several
collections (4-8 ms) in a process that lives a tenth of a second; reference counting still frees
everything that is not in a cycle.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from typing import TYPE_CHECKING

from .errors import EXIT_INTERRUPTED, PainsciError

if TYPE_CHECKING:
    from collections.abc import Callable


def _exit_at_once(signum: int, frame: object) -> None:
    os._exit(EXIT_INTERRUPTED)


def _interrupted(signum: int, frame: object) -> None:
    """The first Ctrl-C unwinds (temporary files are removed); a second one does not wait."""
    signal.signal(signal.SIGINT, _exit_at_once)
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGINT, _interrupted)
    try:
        code = _main()
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    except Exception as exc:
        if not _interrupt_inside(exc):
            raise
        code = EXIT_INTERRUPTED
    _exit_now(code)


def _interrupt_inside(exc: BaseException) -> bool:
    """A Ctrl-C that Python wrapped in another exception: Python 3.11 turns one raised while a class
    is being created (in a dataclass field's __set_name__, say) into "RuntimeError: Error calling
    __set_name__", with the KeyboardInterrupt as its cause."""
    seen: set[int] = set()
    cause = exc.__cause__ or exc.__context__
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def _main() -> int:
    import gc

    from . import stdio

    gc.disable()
    stdio.adopt()
    completing = False
    if os.environ.get("_PAINSCI_COMPLETE"):
        from .complete import answer, requested

        completing = requested() == "complete"
        if requested() is None:  # `_PAINSCI_COMPLETE=1` left exported: no request, an ordinary run
            del os.environ["_PAINSCI_COMPLETE"]
        elif completing and _never_fails(answer):
            return 0
    from .cli import run

    try:
        if completing:
            _never_fails(lambda: run(sys.argv[1:]))
            return 0
        run(sys.argv[1:])
    except SystemExit as exc:
        if isinstance(exc.code, str):  # sys.exit("message"): print it, as the interpreter would
            _stderr(exc.code)
            return 1
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


def _never_fails(complete: Callable[[], object]) -> object:
    """A completion request: any failure offers no candidates instead of a traceback in the shell."""
    try:
        return complete()
    except (SystemExit, Exception):
        return True


def _exit_now(code: int) -> None:
    """Flush what is buffered (a failure here is reported like any failed write) and leave."""
    signal.signal(signal.SIGINT, _exit_at_once)
    try:
        sys.stdout.flush()
    except PainsciError as exc:  # stdio.StdoutWriter: the reader left, or the disk is full
        _stderr(*exc.lines)
        code = code or exc.exit_code
    except (OSError, ValueError, AttributeError):
        pass
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.flush()
    os._exit(code)


def _stderr(*lines: str) -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write("".join(line + "\n" for line in lines))
