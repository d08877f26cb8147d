"""Odd command lines: exit 2 with one escaped line on stderr, never a traceback or a raw escape."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import Result

from helpers import MINI
from painsci_cli.charset import FORBIDDEN

Invoke = Callable[..., Result]

LONG = "x" * 10_000
ESCAPES = [
    "\x1b[31mmassage\x1b[0m",  # ANSI colour
    "\x1b]8;;https://evil.example\x07massage\x1b]8;;\x07",  # OSC 8 hyperlink
    "\x1b]0;pwned\x07",  # OSC 0: set the window title
    "\x1b[2J\x1b[H",  # clear the screen
    "\u202emassage",  # RIGHT-TO-LEFT OVERRIDE
    "\u2066massage\u2069",  # bidi isolate
    "mass\u200bage",  # ZERO WIDTH SPACE
    "mass\nage",  # a newline would make two lines of one error
    "mass\rage",  # a carriage return would overwrite the line
    "\x9b31m",  # C1 CSI
    "mass\x00age",
    "\udcff",  # an undecodable byte in argv (surrogateescape)
]
NAMES = ["nosuch", "", "   ", LONG, "[bold]massage[/]", "[/]", "[link=https://evil.example]x[/link]", ":warning:"]


def usage_error(result: Result) -> str:
    """The one stderr line of a usage error, checked for everything that must never be in it."""
    assert result.exit_code == 2, (result.exit_code, result.stderr, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert not FORBIDDEN.search(result.stderr), repr(result.stderr)
    [line] = result.stderr.splitlines()
    assert line.startswith("painsci: "), line
    return line


def run(invoke: Invoke, *args: str) -> Result:
    return invoke("--data", str(MINI), *args)


@pytest.mark.parametrize(
    ("command", "name"),
    [(command, name) for command in ("show", "explain", "sources") for name in NAMES + ESCAPES],
)
def test_unknown_treatment(invoke: Invoke, command: str, name: str) -> None:
    line = usage_error(run(invoke, command, name))
    assert len(line) < 300


@pytest.mark.parametrize("name", ESCAPES)
def test_escapes_in_a_name_are_echoed_escaped(invoke: Invoke, name: str) -> None:
    line = usage_error(run(invoke, "show", name))
    if "\x1b" in name:
        assert "\\u001b" in line


def test_ten_thousand_character_name_is_shortened(invoke: Invoke) -> None:
    line = usage_error(run(invoke, "show", LONG))
    assert line.startswith("painsci: unknown treatment 'xxxx")
    assert "…'" in line


@pytest.mark.parametrize("name", NAMES[:3] + ESCAPES[:5])
def test_compare_with_unknown_name(invoke: Invoke, name: str) -> None:
    usage_error(run(invoke, "compare", "massage", name))


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["massage"], "painsci: compare takes 2 to 6 treatments, got 1"),
        (["massage"] * 7, "painsci: compare takes 2 to 6 treatments, got 7"),
        (["massage", "massage"], "painsci: the same treatment was named twice"),
        (["massage", "Massage Therapy"], "painsci: the same treatment was named twice"),
    ],
)
def test_compare_counts(invoke: Invoke, names: list[str], expected: str) -> None:
    assert usage_error(run(invoke, "compare", *names)) == expected


def test_compare_with_nothing(invoke: Invoke) -> None:
    usage_error(run(invoke, "compare"))


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--format", "xml"],
        ["list", "--format", ""],
        ["list", "--format", "[bold]"],
        ["list", "--format", "\x1b[31m"],
        ["list", "-f"],
        ["list", "--sort", "size"],
        ["list", "--sort", ""],
        ["list", "--sort", "\x1b[2J"],
        ["list", "--category", "x"],
        ["list", "--category", ""],
        ["list", "--category", "PASSIVE "],
        ["list", "--min-certainty", "very low"],
        ["list", "--min-certainty", "[bold]"],
        ["list", "--min-certainty", LONG],
        ["list", "--guideline", "x"],
        ["list", "--guideline", "nvl="],
        ["list", "--guideline", "nvl=maybe"],
        ["list", "--guideline", "nvl=for=against"],
        ["list", "--guideline", "nice=for"],
        ["list", "--guideline", "\u202envl=for"],
        ["list", "--guideline", f"{LONG}=for"],
        ["list", "--no-color=3"],
        ["list", "--json=yes"],
        ["show", "massage", "--format", "table", "--format"],
        ["sources", "--format", "xml"],
        ["sources", "--format", "bibtex", "--json"],
        ["sources", "--format", "ris", "--plain"],
        ["glossary", "no-such-term"],
        ["glossary", "\x1b]0;pwned\x07"],
        ["search", ""],
        ["search", "   "],
        ["search"],
        ["show"],
        ["show", "massage", "relaxation-massage"],
        ["shw", "massage"],
        ["show", "massage", "--jsn"],
        ["--data"],
        ["list", "--", "--json"],
    ],
    ids=repr,
)
def test_wrong_option_values(invoke: Invoke, args: list[str]) -> None:
    usage_error(run(invoke, *args))


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--json", "--plain"], "painsci: conflicting output options: --format json and --format plain"),
        (
            ["--json", "--format", "markdown"],
            "painsci: conflicting output options: --format json and --format markdown",
        ),
        (["--plain", "--format", "table"], "painsci: conflicting output options: --format plain and --format table"),
        (["-f", "json", "--plain"], "painsci: conflicting output options: --format json and --format plain"),
    ],
)
@pytest.mark.parametrize("command", [["show", "massage"], ["list"], ["compare", "massage", "usual-care"]])
def test_conflicting_options(invoke: Invoke, command: list[str], options: list[str], expected: str) -> None:
    assert usage_error(run(invoke, *command, *options)) == expected


def test_agreeing_options_are_not_a_conflict(invoke: Invoke) -> None:
    result = run(invoke, "show", "massage", "--json", "--format", "json")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("query", [*ESCAPES[:4], "[bold]x[/]", ":warning:", LONG])
def test_search_echoes_its_query_escaped(invoke: Invoke, query: str) -> None:
    result = run(invoke, "search", query, "--format", "table")
    if not query.strip():
        usage_error(result)
        return
    assert result.exit_code == 0, result.stderr
    assert not FORBIDDEN.search(result.stdout), repr(result.stdout[:200])


def test_long_invalid_choice_is_shortened(invoke: Invoke) -> None:
    assert len(usage_error(run(invoke, "list", "--format", LONG))) < 300
