"""Pins edge.py: every failure leaves as one escaped stderr line and its documented exit code.

click's own usage errors are recognised by name and interface and worded once ("painsci: …
(see 'painsci CMD --help')"), cut at MAX_MESSAGE characters; painsci's errors print their
lines; Ctrl-C is 130; anything unexpected is not swallowed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
import typer
from typer.testing import Result

from helpers import MINI
from painsci_cli import cli
from painsci_cli.charset import FORBIDDEN
from painsci_cli.edge import MAX_MESSAGE, click_failure, stderr
from painsci_cli.errors import KnowledgeBaseInvalid

Invoke = Callable[..., Result]

# --------------------------------------------------------------------------- click_failure, on stand-ins


class UsageError(Exception):
    """Stands in for click's UsageError: recognised by interface, not by type."""

    def __init__(self, message: str, exit_code: Any = 2, ctx: Any = None) -> None:
        super().__init__(message)
        self.message, self.exit_code, self.ctx = message, exit_code, ctx

    def format_message(self) -> str:
        return self.message


def context(path: str, options: tuple[str, ...] = ()) -> SimpleNamespace:
    params = [SimpleNamespace(opts=[o], secondary_opts=[]) for o in options]
    return SimpleNamespace(command_path=path, command=SimpleNamespace(params=params))


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            UsageError("Missing argument 'TREATMENT'.", 2, context("painsci show")),
            ("painsci: Missing argument 'TREATMENT'. (see 'painsci show --help')", 2),
        ),
        (UsageError("bad", 2, None), ("painsci: bad (see 'painsci --help')", 2)),
        (UsageError("bad", 2, context("")), ("painsci: bad (see 'painsci --help')", 2)),
        (UsageError("bad", 0, None), ("painsci: bad (see 'painsci --help')", 2)),  # never exit 0 on a failure
        (UsageError("bad", 1, None), ("painsci: bad (see 'painsci --help')", 1)),
        (
            UsageError("runs   of  spaces", 2, None),
            ("painsci: runs of spaces (see 'painsci --help')", 2),
        ),
        (
            UsageError("two\nlines\tand tabs", 2, None),  # escaped before spaces are folded: still one line
            ("painsci: two\\nlines\\tand tabs (see 'painsci --help')", 2),
        ),
        (
            UsageError("\x1b[31mred\u202e", 2, None),
            ("painsci: \\u001b[31mred\\u202e (see 'painsci --help')", 2),
        ),
    ],
)
def test_click_failures_are_worded_once(error: Exception, expected: tuple[str, int]) -> None:
    assert click_failure(error) == expected


@pytest.mark.parametrize(("length", "cut"), [(MAX_MESSAGE, False), (MAX_MESSAGE + 1, True), (10_000, True)])
def test_long_messages_are_cut(length: int, cut: bool) -> None:
    found = click_failure(UsageError("x" * length))
    assert found == (f"painsci: {'x' * min(length, MAX_MESSAGE)}{'…' if cut else ''} (see 'painsci --help')", 2)


def test_max_message() -> None:
    assert MAX_MESSAGE == 200


def test_abort_is_an_interruption() -> None:
    class Abort(RuntimeError):
        pass

    assert click_failure(Abort()) == ("painsci: interrupted", 130)


def test_no_args_is_help_prints_the_help() -> None:
    class NoArgsIsHelpError(UsageError):
        pass

    assert click_failure(NoArgsIsHelpError("Usage: painsci [OPTIONS]\n\n  Help.\n\n")) == (
        "Usage: painsci [OPTIONS]\n\n  Help.",
        2,
    )


@pytest.mark.parametrize(
    ("typed", "options", "message"),
    [
        ("--jsn", ("--json", "--plain"), "No such option: --jsn (Possible options: --json)"),
        ("--nosuch", ("--json",), "No such option: --nosuch"),
        ("--expor", ("--export", "-x"), "No such option: --expor (Possible options: --export, --help)"),
        ("-j", ("--json",), "No such option: -j"),
        ("--hel", (), "No such option: --hel (Possible options: --help)"),
    ],
)
def test_no_such_option_is_worded_here(typed: str, options: tuple[str, ...], message: str) -> None:
    class NoSuchOption(UsageError):
        def __init__(self) -> None:
            super().__init__("click's own wording", 2, context("painsci show", options))
            self.option_name = typed

    assert click_failure(NoSuchOption()) == (f"painsci: {message} (see 'painsci show --help')", 2)


@pytest.mark.parametrize(
    "error",
    [
        ValueError("x"),
        RuntimeError("x"),
        UsageError("x", exit_code="2"),  # not an int: not click's interface
        SimpleNamespace(exit_code=2),
    ],
    ids=["value-error", "runtime-error", "str-exit-code", "no-format-message"],
)
def test_other_exceptions_are_not_click_failures(error: Any) -> None:
    assert click_failure(error) is None


def test_stderr_writes_one_line_per_argument(capsys: pytest.CaptureFixture[str]) -> None:
    stderr("a", "b")
    assert capsys.readouterr() == ("", "a\nb\n")


def test_stderr_to_a_closed_stream_is_silent(monkeypatch: pytest.MonkeyPatch) -> None:
    class Closed:
        def write(self, text: str) -> int:
            raise BrokenPipeError

        def flush(self) -> None:
            raise ValueError("I/O operation on closed file")

    monkeypatch.setattr(sys, "stderr", Closed())
    assert stderr("lost") is None


# --------------------------------------------------------------------------- on the command line


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("show",), "painsci: Missing argument 'TREATMENT'. (see 'painsci show --help')"),
        (("compare",), "painsci: Missing argument 'TREATMENT...'. (see 'painsci compare --help')"),
        (("show", "massage", "--nosuch"), "painsci: No such option: --nosuch (see 'painsci show --help')"),
        (
            ("show", "massage", "--jsn"),
            "painsci: No such option: --jsn (Possible options: --json) (see 'painsci show --help')",
        ),
        (
            ("show", "massage", "--expor", "x.md"),
            "painsci: No such option: --expor (Possible options: --export, --help) (see 'painsci show --help')",
        ),
        (("show", "massage", "-x"), "painsci: No such option: -x (see 'painsci show --help')"),
        (
            ("list", "--sort", "size"),
            "painsci: Invalid value for '--sort': 'size' is not one of 'name', 'bottom-line', 'effect', 'certainty'. "
            "(see 'painsci list --help')",
        ),
        (("nosuch",), "painsci: No such command 'nosuch'. (see 'painsci --help')"),
        (("shw",), "painsci: No such command 'shw'. Did you mean 'show'? (see 'painsci --help')"),
        (("--data", "", "list"), "painsci: --data needs the path of a knowledge base file"),
        (("--data", "  ", "list"), "painsci: --data needs the path of a knowledge base file"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(invoke: Invoke, args: tuple[str, ...], line: str) -> None:
    result = invoke("--data", str(MINI), *args) if args[0] != "--data" else invoke(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == line + "\n"


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("list", "--sort"), "painsci: Option '--sort' requires an argument. (see 'painsci list --help')"),
        (
            ("show", "massage", "--section"),
            "painsci: Option '--section' requires an argument. (see 'painsci show --help')",
        ),
        (("findings", "--format"), "painsci: Option '--format' requires an argument. (see 'painsci findings --help')"),
    ],
)
def test_an_option_without_its_value_points_at_its_commands_help(
    invoke: Invoke, args: tuple[str, ...], line: str
) -> None:
    result = invoke("--data", str(MINI), *args)
    assert result.exit_code == 2
    assert result.stderr == line + "\n"


def test_a_global_option_without_its_value_points_at_the_top_level_help(invoke: Invoke) -> None:
    result = invoke("--data")
    assert result.exit_code == 2
    assert result.stderr == "painsci: Option '--data' requires an argument. (see 'painsci --help')\n"


def test_an_option_without_its_value_exits_2(invoke: Invoke) -> None:
    result = invoke("--data", str(MINI), "list", "--sort")
    assert result.exit_code == 2
    assert result.stderr.startswith("painsci: Option '--sort' requires an argument. (see 'painsci ")


def test_a_long_value_is_cut_in_the_message(invoke: Invoke) -> None:
    value = "x" * 500
    result = invoke("--data", str(MINI), "list", "--sort", value)
    full = f"Invalid value for '--sort': '{value}' is not one of 'name', 'bottom-line', 'effect', 'certainty'."
    assert result.exit_code == 2
    assert result.stderr == f"painsci: {full[:MAX_MESSAGE]}… (see 'painsci list --help')\n"


@pytest.mark.parametrize(
    "args",
    [
        ("show", "massage", "--\x1b[31m"),
        ("show", "massage", "--a\nb"),
        ("show", "massage", "\x1b[2J", "x\ny"),
        ("list", "--sort", "\u202e\x9b"),
        ("glossary", "a", "b\rc"),
    ],
)
def test_typed_text_is_escaped_in_the_one_line(invoke: Invoke, args: tuple[str, ...]) -> None:
    result = invoke("--data", str(MINI), *args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("painsci: ")
    assert not FORBIDDEN.search(result.stderr)
    assert "\r" not in result.stderr


def test_an_unknown_option_is_escaped_exactly(invoke: Invoke) -> None:
    result = invoke("--data", str(MINI), "show", "massage", "--\x1b[31m")
    assert result.stderr == "painsci: No such option: --\\u001b[31m (see 'painsci show --help')\n"


def test_bare_painsci_prints_the_help_on_stderr_and_exits_2(invoke: Invoke) -> None:
    result = invoke()
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Usage: painsci [OPTIONS] COMMAND [ARGS]...\n")
    assert result.stderr.rstrip().endswith("schema    JSON Schema of the KB format, or of the --json output.")


def test_painsci_errors_print_every_line_and_their_code(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(option: str | None = None) -> None:
        raise KnowledgeBaseInvalid("kb.yaml:1: first", "kb.yaml:2: second")

    monkeypatch.setattr(cli, "load", broken)
    result = invoke("list")
    assert (result.exit_code, result.stdout, result.stderr) == (65, "", "kb.yaml:1: first\nkb.yaml:2: second\n")


def test_ctrl_c_exits_130_quietly(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(option: str | None = None) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "load", interrupted)
    result = invoke("show", "massage")
    assert result.exit_code == 130
    assert result.stdout == ""
    assert result.stderr in ("", "painsci: interrupted\n", "\npainsci: interrupted\n")  # by typer release


def test_an_unexpected_exception_is_not_swallowed(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    def bug(option: str | None = None) -> None:
        raise RuntimeError("a real bug")

    monkeypatch.setattr(cli, "load", bug)
    result = invoke("list")
    assert isinstance(result.exception, RuntimeError)
    assert result.exit_code == 1


def test_without_standalone_mode_the_code_is_returned(capsys: pytest.CaptureFixture[str]) -> None:
    group = typer.main.get_command(cli.app)
    assert group.main(["--data", str(MINI), "glossary", "mcid", "--json"], standalone_mode=False) == 0
    assert capsys.readouterr().out.startswith('{"schema_version":')
    assert group.main(["--data", str(MINI), "show", "nosuch"], standalone_mode=False) == 2
    assert capsys.readouterr().err == "painsci: unknown treatment 'nosuch' (see 'painsci list')\n"


def test_a_terminal_that_cannot_encode_gets_escapes_not_a_crash() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "painsci_cli", "--data", str(MINI), "search", "Bäk€"],
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    assert b"B\\xe4k\\u20ac" in done.stderr  # "no treatment mentions …" is a note, on stderr
