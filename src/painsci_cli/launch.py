"""The console entry point.

Shell completion is answered here before the CLI (and Typer) is imported, from the treatment
names alone, because the shell runs painsci on every TAB. Everything else goes to `cli.app`.

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
import gc
import os
import sys

from .errors import EXIT_OUTPUT_CLOSED


def main() -> None:
    gc.disable()
    if os.environ.get("_PAINSCI_COMPLETE"):
        from .complete import answer

        if answer():
            _exit_now(0)
    from .cli import run

    try:
        run(sys.argv[1:])
        code = 0
    except SystemExit as exc:
        if isinstance(exc.code, str):  # sys.exit("message"): print it, as the interpreter would
            sys.stderr.write(exc.code + "\n")
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    _exit_now(code)


def _exit_now(code: int) -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left before the last buffered bytes: quiet, like a pipe should
        code = code or EXIT_OUTPUT_CLOSED
    except (OSError, ValueError):
        pass
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)
