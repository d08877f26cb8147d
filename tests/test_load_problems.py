"""Pins load/problems.py: how every refusal of a knowledge base is worded and bounded.

refuse() lists at most twenty problems then counts the rest, escapes every line and cuts it at
500 characters; cut() and shown() quote input safely; dotted() spells a location.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from painsci_cli.charset import FORBIDDEN
from painsci_cli.errors import KnowledgeBaseInvalid
from painsci_cli.load.problems import MAX_LINE, MAX_PROBLEMS, MAX_SHOWN, cut, dotted, refuse, shown


def test_the_limits() -> None:
    assert (MAX_PROBLEMS, MAX_SHOWN, MAX_LINE) == (20, 60, 500)


@pytest.mark.parametrize(("count", "kept"), [(0, 0), (1, 1), (20, 20), (21, 21)])
def test_up_to_twenty_one_lines_are_kept_whole(count: int, kept: int) -> None:
    lines = [f"kb.yaml:{i}: problem {i}" for i in range(count)]
    error = refuse("kb.yaml", lines)
    assert isinstance(error, KnowledgeBaseInvalid)
    assert error.lines == tuple(lines[:kept])


@pytest.mark.parametrize(("count", "rest"), [(22, "2"), (100, "80"), (12_345, "12,325")])
def test_more_lines_are_counted_after_the_first_twenty(count: int, rest: str) -> None:
    lines = [f"kb.yaml:{i}: problem {i}" for i in range(count)]
    error = refuse("kb.yaml", lines)
    assert error.lines == (*lines[:20], f"kb.yaml: {rest} more problems not listed")


def test_refuse_returns_the_error_for_the_caller_to_raise() -> None:
    error = refuse("kb.yaml", ["kb.yaml:1: x"])
    assert error.exit_code == 65
    with pytest.raises(KnowledgeBaseInvalid):
        raise error


@pytest.mark.parametrize(
    ("line", "escaped"),
    [
        ("kb.yaml:1: \x1b[31mred", "kb.yaml:1: \\u001b[31mred"),
        ("kb.yaml:1: two\nlines", "kb.yaml:1: two\\nlines"),
        ("kb.yaml:1: \u202eevil", "kb.yaml:1: \\u202eevil"),
        ("kb.yaml:1: tab\tcr\r", "kb.yaml:1: tab\\tcr\\r"),
        ("kb.yaml:1: Bäk", "kb.yaml:1: Bäk"),
    ],
)
def test_every_line_is_escaped(line: str, escaped: str) -> None:
    assert refuse("kb.yaml", [line]).lines == (escaped,)


@pytest.mark.parametrize(("length", "cut_off"), [(499, False), (500, False), (501, True), (100_000, True)])
def test_a_line_is_cut_at_500_characters(length: int, cut_off: bool) -> None:
    [line] = refuse("kb.yaml", ["x" * length]).lines
    assert line == ("x" * 500 + "…" if cut_off else "x" * length)


def test_a_line_is_cut_before_it_is_escaped() -> None:
    [line] = refuse("kb.yaml", ["\x1b" * 600]).lines
    assert line == "\\u001b" * 500 + "…"


@given(st.lists(st.text(), max_size=30))
def test_refused_lines_are_always_bounded_and_safe(lines: list[str]) -> None:
    refused = refuse("kb.yaml", lines).lines
    assert len(refused) <= MAX_PROBLEMS + 1
    for line in refused:
        assert not FORBIDDEN.search(line)
        assert "\n" not in line and "\r" not in line
        assert len(line) <= 6 * MAX_LINE + 1


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("abc", "abc"),
        ("x" * 60, "x" * 60),
        ("x" * 61, "x" * 60 + "…"),
        ("\x1b", "\\u001b"),
        ("a\nb", "a\\nb"),
    ],
)
def test_cut(text: str, result: str) -> None:
    assert cut(text) == result


def test_cut_takes_a_limit() -> None:
    assert cut("abcdef", 2) == "ab…"


@pytest.mark.parametrize(
    ("value", "result"),
    [
        ("NO", "'NO'"),
        (1, "1"),
        (1.5, "1.5"),
        (None, "None"),
        (True, "True"),
        (["a"], "['a']"),
        ({"a": 1}, "{'a': 1}"),
        ("x" * 100, "'" + "x" * 59 + "…"),
        ("\x1b", "'\\x1b'"),  # repr already spells it as an escape
        ("\u202e", "'\\u202e'"),  # repr keeps it raw; the escape is visible()'s
    ],
)
def test_shown_quotes_a_value_as_its_repr(value: object, result: str) -> None:
    assert shown(value) == result


@pytest.mark.parametrize(
    ("loc", "spelt"),
    [
        ((), "(top level)"),
        (("reviewed",), "reviewed"),
        (("treatments", 3), "treatments[3]"),
        (("treatments", 3, "findings", 0), "treatments[3].findings[0]"),
        (("treatments", 3, "findings", 0, "effect", "ci95", "lower"), "treatments[3].findings[0].effect.ci95.lower"),
        ((0,), "[0]"),
        ((0, "a"), "[0].a"),
        (("a", "b\x1bc"), "a.b\\u001bc"),
        (("k" * 70,), "k" * 60 + "…"),
        (("<key>",), "<key>"),
    ],
)
def test_dotted(loc: tuple[str | int, ...], spelt: str) -> None:
    assert dotted(loc) == spelt
