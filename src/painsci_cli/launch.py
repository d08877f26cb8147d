"""The console entry point: the edge where every expected failure becomes one line and an exit code.

Shell completion is answered here before the CLI (and Typer) is imported, from the treatment
names alone, because the shell runs painsci on every TAB.
"""

from __future__ import annotations

import os
import sys

from .errors import EXIT_USAGE, PainsciError

EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


def main() -> None:
    if os.environ.get("_PAINSCI_COMPLETE"):
        from .complete import answer

        if answer():
            return
    sys.exit(run(sys.argv[1:]))


def run(argv: list[str]) -> int:
    """Run the CLI and return its exit code; never lets a known failure escape as a traceback."""
    try:
        from .cli import app

        result = app(args=argv, prog_name="painsci", standalone_mode=False)
        sys.stdout.flush()
        return result if isinstance(result, int) else 0
    except PainsciError as exc:
        _stderr(*exc.lines)
        return exc.exit_code
    except KeyboardInterrupt:
        _stderr("painsci: interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as exc:
        usage = _click_usage_error(exc)
        if usage is None:
            raise
        _stderr(usage[0])
        return usage[1]


def _click_usage_error(exc: Exception) -> tuple[str, int] | None:
    """Typer's vendored click raises its own exception types; recognise them by their interface."""
    if type(exc).__name__ == "Abort":
        return "painsci: interrupted", EXIT_INTERRUPTED
    format_message = getattr(exc, "format_message", None)
    code = getattr(exc, "exit_code", None)
    if not callable(format_message) or not isinstance(code, int):
        return None
    from .charset import visible

    message = " ".join(visible(str(format_message())).split())
    ctx = getattr(exc, "ctx", None)
    command = getattr(ctx, "command_path", "painsci") if ctx is not None else "painsci"
    return f"painsci: {message} (see '{command} --help')", code or EXIT_USAGE


def _silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so the interpreter's final flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _stderr(*lines: str) -> None:
    try:
        sys.stderr.write("".join(line + "\n" for line in lines))
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
