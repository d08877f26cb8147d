"""Pins errors.py: each failure's documented exit code and its exact wording.

printable() makes user input safe to echo (escaped, quoted, cut at 60 characters); one_of()
lists suggestions as a person would; each error class words its one stderr line.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from painsci_cli import errors
from painsci_cli.charset import FORBIDDEN
from painsci_cli.errors import (
    AmbiguousName,
    CannotWrite,
    EmptyName,
    KnowledgeBaseInvalid,
    KnowledgeBaseUnreadable,
    OutputClosed,
    PainsciError,
    UnknownGuideline,
    UnknownName,
    UsageError,
    one_of,
    printable,
)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("EXIT_OK", 0),
        ("EXIT_USAGE", 2),
        ("EXIT_INVALID_KB", 65),
        ("EXIT_KB_UNREADABLE", 66),
        ("EXIT_CANNOT_WRITE", 73),
        ("EXIT_INTERRUPTED", 130),
        ("EXIT_OUTPUT_CLOSED", 141),
    ],
)
def test_documented_exit_codes(name: str, code: int) -> None:
    assert getattr(errors, name) == code


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (PainsciError("x"), 2),
        (UsageError("x"), 2),
        (KnowledgeBaseInvalid("x"), 65),
        (KnowledgeBaseUnreadable("x"), 66),
        (CannotWrite("x"), 73),
        (OutputClosed(), 141),
        (EmptyName(), 2),
        (AmbiguousName("m", ["a", "b"]), 2),
        (UnknownName("m", []), 2),
        (UnknownGuideline("m", ["a"]), 2),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_each_error_carries_its_exit_code(error: PainsciError, code: int) -> None:
    assert error.exit_code == code
    assert isinstance(error, PainsciError)


@pytest.mark.parametrize("kind", [EmptyName, AmbiguousName, UnknownName, UnknownGuideline])
def test_name_errors_are_usage_errors(kind: type) -> None:
    assert issubclass(kind, UsageError)


def test_an_error_keeps_its_lines_in_order() -> None:
    error = KnowledgeBaseInvalid("kb.yaml:1: first", "kb.yaml:9: second")
    assert error.lines == ("kb.yaml:1: first", "kb.yaml:9: second")
    assert error.args == error.lines


def test_output_closed_prints_nothing() -> None:
    assert OutputClosed().lines == ()


# --------------------------------------------------------------------------- printable and one_of


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("massage", "'massage'"),
        ("", "''"),
        ("a" * 60, "'" + "a" * 60 + "'"),
        ("a" * 61, "'" + "a" * 60 + "…'"),
        ("\x1b[31mred", "'\\u001b[31mred'"),
        ("two\nlines", "'two\\nlines'"),
        ("tab\there", "'tab\\there'"),
        ("cr\rhere", "'cr\\rhere'"),
        ("\u202eevil", "'\\u202eevil'"),
        ("\udcff", "'\\udcff'"),
        ("Bäk ü €", "'Bäk ü €'"),
        ("it's", "'it's'"),  # quotes are not escaped: the text is only ever echoed
    ],
)
def test_printable(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_printable_cuts_before_escaping() -> None:
    # 60 ESC characters become 360 visible ones: the limit counts what was typed.
    assert printable("\x1b" * 61) == "'" + "\\u001b" * 60 + "…'"


def test_printable_takes_a_limit() -> None:
    assert printable("abcdef", limit=3) == "'abc…'"
    assert printable("abc", limit=3) == "'abc'"


@given(st.text())
def test_printable_is_one_safe_line(text: str) -> None:
    shown = printable(text)
    assert shown.startswith("'")
    assert shown.endswith("'")
    assert not FORBIDDEN.search(shown)
    assert "\n" not in shown and "\r" not in shown and "\t" not in shown
    shown.encode("utf-8")


@pytest.mark.parametrize(
    ("options", "listed"),
    [
        (["tens"], "'tens'"),
        (["tens", "pens"], "'tens' or 'pens'"),
        (["a", "b", "c"], "'a', 'b' or 'c'"),
        (["a", "b", "c", "d"], "'a', 'b', 'c' or 'd'"),
        (["\x1b"], "'\\u001b'"),
    ],
)
def test_one_of(options: list[str], listed: str) -> None:
    assert one_of(options) == listed


# --------------------------------------------------------------------------- wording


def test_empty_name_wording() -> None:
    assert EmptyName().lines == ("painsci: empty treatment name; try 'painsci list'",)


@pytest.mark.parametrize(
    ("candidates", "line"),
    [
        (["a", "b"], "painsci: 'x' matches 2 treatments: 'a', 'b'; type more of the name"),
        (["a", "b", "c"], "painsci: 'x' matches 3 treatments: 'a', 'b', 'c'; type more of the name"),
        (["a", "b", "c", "d"], "painsci: 'x' matches 4 treatments: 'a', 'b', 'c' and 1 more; type more of the name"),
        (
            ["a", "b", "c", "d", "e", "f"],
            "painsci: 'x' matches 6 treatments: 'a', 'b', 'c' and 3 more; type more of the name",
        ),
    ],
)
def test_ambiguous_name_shows_three_candidates_and_counts_the_rest(candidates: list[str], line: str) -> None:
    error = AmbiguousName("x", candidates)
    assert error.lines == (line,)
    assert error.candidates == candidates
    assert error.name == "x"


def test_ambiguous_name_escapes_the_typed_text() -> None:
    assert AmbiguousName("\x1b]0;t\x07", ["a", "b"]).lines == (
        "painsci: '\\u001b]0;t\\u0007' matches 2 treatments: 'a', 'b'; type more of the name",
    )


@pytest.mark.parametrize(
    ("suggestions", "line"),
    [
        ([], "painsci: unknown treatment 'tns' (see 'painsci list')"),
        (["tens"], "painsci: unknown treatment 'tns'; did you mean 'tens'? (see 'painsci list')"),
        (["tens", "pens"], "painsci: unknown treatment 'tns'; did you mean 'tens' or 'pens'? (see 'painsci list')"),
    ],
)
def test_unknown_name_wording(suggestions: list[str], line: str) -> None:
    error = UnknownName("tns", suggestions)
    assert error.lines == (line,)
    assert (error.name, error.suggestions) == ("tns", suggestions)


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("cdc", "painsci: unknown guideline 'cdc'; choose one of nvl-2017, nice-ng59"),
        ("", "painsci: --guideline needs a guideline name before '=' (e.g. nice=against)"),
        ("   ", "painsci: --guideline needs a guideline name before '=' (e.g. nice=against)"),
        ("a\nb", "painsci: unknown guideline 'a\\nb'; choose one of nvl-2017, nice-ng59"),
    ],
)
def test_unknown_guideline_wording(name: str, line: str) -> None:
    error = UnknownGuideline(name, ["nvl-2017", "nice-ng59"])
    assert error.lines == (line,)
    assert error.choices == ["nvl-2017", "nice-ng59"]
    assert error.candidates == []


def test_a_guideline_prefix_shared_by_several_lists_them_all() -> None:
    error = UnknownGuideline("\x1bn", ["nvl-2017", "nice-ng59", "who-2023"], ["nvl-2017", "nice-ng59"])
    assert error.lines == (
        "painsci: guideline '\\u001bn' matches 2 guidelines: 'nvl-2017', 'nice-ng59'; type more of the name",
    )
    assert error.exit_code == 2
