"""The edge: a known failure becomes its stderr line and its documented exit code, once.

Errors are raised deep (errors.py) and handled only here, in the group every command runs in;
click's own usage errors are recognised by their interface and worded the same way. Nothing
here knows what a command does.

The edge is also where argv enters: `run_only` builds only the command the line names.
"""

# No `from __future__ import annotations`: Typer evaluates annotations at run time.

import contextlib
import os
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from .charset import visible
from .errors import EXIT_INTERRUPTED, EXIT_USAGE, PainsciError


class PainsciGroup(TyperGroup):
    """The edge: a known failure becomes its stderr lines and its documented exit code."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        for stream in (sys.stdout, sys.stderr):  # a byte the terminal cannot encode is shown, not fatal
            with contextlib.suppress(AttributeError, ValueError, OSError):
                stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            code = result if isinstance(result, int) else 0
        except PainsciError as exc:
            stderr(*exc.lines)
            code = exc.exit_code
        except Exception as exc:
            usage = click_failure(exc)
            if usage is None:
                raise
            stderr(usage[0])
            code = usage[1]
        if standalone_mode:
            sys.exit(code)
        return code

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            _name_the_command(exc, self, ctx)
            raise


def _name_the_command(exc: Exception, group: TyperGroup, ctx: Any) -> None:
    """click's option parser raises some usage errors ("Option '--sort' requires an argument.")
    without a context, which would send the reader to 'painsci --help'; the command being parsed
    is the one the group was about to run, so the error gets that command's context."""
    name = getattr(ctx, "invoked_subcommand", None)
    if not hasattr(exc, "format_message") or getattr(exc, "ctx", True) is not None or not name:
        return
    command = group.get_command(ctx, name)
    if command is not None:
        exc.ctx = command.context_class(command, info_name=name, parent=ctx)  # type: ignore[attr-defined]


MAX_MESSAGE = 200
"""Characters of a usage error kept: a 10,000-character argument must not become the message."""


def click_failure(exc: Exception) -> tuple[str, int] | None:
    """Typer's vendored click raises its own types; recognise them by name and interface."""
    if type(exc).__name__ == "Abort":
        return "painsci: interrupted", EXIT_INTERRUPTED
    if type(exc).__name__ == "NoArgsIsHelpError":  # bare `painsci`: the help text, as click would
        return str(getattr(exc, "format_message", lambda: "")()).rstrip(), EXIT_USAGE
    format_message = getattr(exc, "format_message", None)
    code = getattr(exc, "exit_code", None)
    if not callable(format_message) or not isinstance(code, int):
        return None
    text = _no_such_option(exc) if type(exc).__name__ == "NoSuchOption" else str(format_message())
    message = " ".join(visible(text).split())
    if len(message) > MAX_MESSAGE:
        message = message[:MAX_MESSAGE] + "…"
    ctx = getattr(exc, "ctx", None)
    command = getattr(ctx, "command_path", None) or "painsci"
    return f"painsci: {message} (see '{command} --help')", code or EXIT_USAGE


def _no_such_option(exc: Exception) -> str:
    """Worded here, not by click: typer 0.26.0-0.26.7 printed its suggestion as a tuple's repr."""
    from .suggest import close_matches

    name = str(getattr(exc, "option_name", ""))
    command = getattr(getattr(exc, "ctx", None), "command", None)
    known = [opt for param in getattr(command, "params", ()) for opt in (*param.opts, *param.secondary_opts)]
    known += ["--help", "-h"]
    matches = sorted(close_matches(name, [o for o in known if o.startswith("--")]))
    return f"No such option: {name}" + (f" (Possible options: {', '.join(matches)})" if matches else "")


def stderr(*lines: str) -> None:
    try:
        sys.stderr.write("".join(line + "\n" for line in lines))
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # stderr gone too: the exit code still tells
        pass


def run_only(app: typer.Typer, argv: list[str]) -> None:
    """Run the app, building only the command the command line asks for.

    Typer turns every registered command's signature into click parameters before parsing
    (~0.5 ms each); a lookup needs one. Help, completion and anything unusual get the full app.
    """
    wanted = _requested_command(argv)
    if wanted is not None and not os.environ.get("_PAINSCI_COMPLETE"):
        chosen = [c for c in app.registered_commands if _command_name(c) == wanted]
        if chosen:
            app.registered_commands = chosen
    app(args=argv, prog_name="painsci")


def _command_name(info: Any) -> str:
    callback = info.callback
    return str(info.name or (callback.__name__.lower().replace("_", "-") if callback else ""))


def _requested_command(argv: list[str]) -> str | None:
    """The subcommand named on the line, or None for help, version or anything unclear."""
    rest = list(argv)
    while rest:
        word = rest.pop(0)
        if word == "--data":
            if not rest:
                return None
            rest.pop(0)
        elif word.startswith("--data="):
            continue
        elif word.startswith("-"):
            return None  # --help, --version, -h, or an option we do not know: let Typer decide
        else:
            return None if {"--help", "-h"} & set(rest) else word
    return None
