"""Pins render/fit.py and the cost of every regular expression painsci applies to KB text (issue 17).

Costs are compared, never timed against a clock: each case runs on an input and on one four times
as long, and the ratio of the two CPU costs must stay near 4 (linear), far from 16 (quadratic).
The old greedy figure pattern, fed the same kind of word, is measured too, so the test is shown to
catch what it is for. `wrap` is compared with rich's own wrapping on generated text.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from helpers import LINEAR, REPO, growth, guideline, hang_guard, treatment
from painsci_cli import charset, plain_words, rules
from painsci_cli.load import events
from painsci_cli.render import bib, fit, markdown


def hostile(size: int) -> str:
    """A digit, then `.,:` (in both the middle and the closing class of the old pattern), then a
    letter that makes the match fail: every split of the run was tried."""
    return "1" + ".,:" * (size // 3) + "x"


GREEDY_FIGURE = re.compile(r"[(\[]*[-+−]?\d[\d.,%:/-]*[)\];,:.]*")
"""The pattern table.py used before issue 17."""


def test_the_measure_catches_a_quadratic_pattern() -> None:
    with hang_guard():
        assert growth(GREEDY_FIGURE.fullmatch, hostile, 1_500) > LINEAR


@pytest.mark.parametrize("size", [48_000, 100_000])
def test_telling_a_figure_is_linear_on_the_longest_words(size: int) -> None:
    """The word the old pattern took 15 s (48 KB) and 58 s (100 KB) on, in painsci list."""
    with hang_guard():
        assert growth(fit.is_figure, hostile, size // 4) < LINEAR
        assert growth(lambda word: fit.is_figure(word[: fit.FIGURE_MAX]), hostile, size // 4) < LINEAR
        assert not fit.is_figure(hostile(size))


@pytest.mark.parametrize(
    "word",
    [
        *("-4.0", "(95%", "-1.8)", "1.5%", "0-100", "[-0.61,", "-0.02]", "12:30", "1/2", "−0.3", "2017;", "(3.4)."),
        *("2017;166(7):514-530).", "10.7326/0003-4819-146-11-200706050-00007", "+2", "1.,:" * 12),
    ],
)
def test_figures(word: str) -> None:
    assert fit.is_figure(word)


@pytest.mark.parametrize("word", ["RDQ-23", "x1", "-", "(", "10-week", "1.5x", "", "(.)", "1" * (fit.FIGURE_MAX + 1)])
def test_not_figures(word: str) -> None:
    assert not fit.is_figure(word)


@given(st.text(alphabet="()[]-+−0123456789.,%:/;x", max_size=30))
def test_every_figure_of_the_old_pattern_is_still_one(word: str) -> None:
    if GREEDY_FIGURE.fullmatch(word):
        assert fit.is_figure(word)


# --------------------------------------------------------------------------- every regex on KB text

PATTERNS: dict[str, tuple[Callable[[str], object], Callable[[int], str]]] = {
    "word": (lambda s: [m.span() for m in fit._WORD.finditer(s)], lambda n: "ab " * (n // 3)),
    "markdown: entity look-ahead": (lambda s: markdown._SYNTAX.sub(markdown._escape, s), lambda n: "&" + "a" * n),
    "markdown: every trigger": (
        lambda s: markdown._SYNTAX.sub(markdown._escape, s),
        lambda n: "&#a<b*www.x@y:" * (n // 14),
    ),
    "bibtex": (lambda s: bib._LATEX_SPECIAL.sub("", s), lambda n: "%&#$" * (n // 4)),
    "forbidden characters": (charset.forbidden().search, lambda n: "a" * n),
    "yaml null": (events._rx().null.match, lambda n: "null" * (n // 4)),
    "yaml int": (events._rx().int_.match, lambda n: "1" * n + "x"),
    "yaml float": (events._rx().float_.match, lambda n: "1" * n + "." + "1" * n + "e" + "1" * n + "x"),
    "yaml escapes": (events._rx().escaped.search, lambda n: "\\" * n),
    "date": (rules._DATE.fullmatch, lambda n: "2024-" * (n // 5)),
    "et al.": (rules._ET_AL.fullmatch, lambda n: "et" + " " * n + "x"),
    "patient text: a run of spaces": (plain_words.plain, lambda n: "a" + " " * n + "b"),
    "patient text: open brackets": (plain_words.plain, lambda n: "(CI 1 " * (n // 6)),
    "patient text: a long bracket": (plain_words.plain, lambda n: "(" + "1 " * (n // 2)),
    "patient text: years in brackets": (plain_words.plain, lambda n: "(Doe 2017 " * (n // 10)),
    "patient text: sentence ends": (plain_words.SENTENCE_END.findall, lambda n: "a." + " " * n + "b"),
    "patient text: swaps": (plain_words.plain, lambda n: "1" * n + " randomised"[: n % 3]),
    "guideline country": (
        lambda s: plain_words.guideline_name(dataclasses.replace(guideline("g", "G"), issuer=s)),
        lambda n: "(a) " * (n // 4),
    ),
    "treatment name": (
        lambda s: plain_words.patient_name(treatment("t", s)),
        lambda n: "(" * (n // 2) + " " * (n // 2) + "(x)",
    ),
}


@pytest.mark.parametrize("name", list(PATTERNS))
def test_no_regex_on_kb_text_grows_faster_than_its_input(name: str) -> None:
    apply, make = PATTERNS[name]
    with hang_guard():
        assert growth(apply, make, 25_000) < LINEAR, name


AUDITED = {
    "charset.py": 1,  # FORBIDDEN_CLASS: one character class
    "load/events.py": 4,  # null, int, float (anchored, one way to match), escaped (a class)
    "rules.py": 2,  # _DATE (fixed widths), _ET_AL
    "plain_words.py": 8,  # the ABBR test (bounded), country, swaps (literal words), STATISTICS and
    # CITATION (each starts at a "(" and runs to the next bracket), gap closing, SENTENCE_END
    "render/bib.py": 1,  # a class
    "render/markdown.py": 1,  # classes and fixed-length look-arounds, one look-ahead over [A-Za-z0-9]+
    "render/fit.py": 1,  # _WORD: a run of one class
    "render/table.py": 1,  # rich's SVG template, not KB text
}


def test_every_regex_in_src_is_audited() -> None:
    """A new regular expression fails here until it is added to PATTERNS above (and this count)."""
    found: dict[str, int] = {}
    package = REPO / "src" / "painsci_cli"
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                if isinstance(owner, ast.Name) and owner.id == "re" and node.func.attr != "escape":
                    name = path.relative_to(package).as_posix()
                    found[name] = found.get(name, 0) + 1
    assert found == AUDITED


# --------------------------------------------------------------------------- wrapping like rich

CONSOLE = Console(file=io.StringIO(), width=200, markup=False, emoji=False, highlight=False)
PIECES = [*"ab cd-1.,[]", "\n", "\t", "  ", "日本", "é", "\u00a0", "\u3000"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=300)
@given(TEXT, st.integers(1, 30))
def test_wrap_breaks_where_rich_does(text: str, width: int) -> None:
    ours = fit.wrap(text, width)
    theirs = [line.plain for line in Text(text).wrap(CONSOLE, width, justify="left", overflow="fold")]
    assert ours == theirs
    assert all(cell_len(line) == width for line in ours)
    unpadded = [line.plain for line in Text(text).wrap(CONSOLE, width, overflow="fold")]
    assert fit.wrap(text, width, pad=False) == unpadded


def test_wrap_folds_a_long_word_in_linear_time() -> None:
    with hang_guard():
        assert growth(lambda s: fit.wrap(s, 37), lambda n: "1" * n, 25_000) < LINEAR
        assert growth(lambda s: fit.wrap(s, 37), lambda n: "ab " * (n // 3), 25_000) < LINEAR


def test_tabs_expand_as_rich_expands_them() -> None:
    for line in ("a\tb", "abcdefgh\tx", "\t\t", "日本\tx", "abcdefg\t"):
        text = Text(line)
        text.expand_tabs(8)
        assert fit.expand_tabs(line) == text.plain


# --------------------------------------------------------------------------- widths and the cap


def test_longest_word_keeps_figures_whole_and_floors_the_rest() -> None:
    assert fit.longest_word(["a " + "x" * 40]) == fit.WORD_FLOOR
    assert fit.longest_word(["SMD -0.32 [-0.61, -0.02]"]) == 7
    assert fit.longest_word(["10.7326/0003-4819-146-11-200706050-00007"]) == 40
    assert fit.longest_word(["   [-0.61,"]) == 10  # rich folds the blanks before a first word with it
    assert fit.longest_word(["x" * 40], floor=8) == 8
    assert fit.longest_word([]) == 1


def test_longest_word_is_linear() -> None:
    with hang_guard():
        assert growth(lambda s: fit.longest_word([s]), hostile, 25_000) < LINEAR
        assert growth(lambda s: fit.longest_word([s]), lambda n: "1. " * (n // 3), 25_000) < LINEAR


def test_a_short_text_is_not_capped() -> None:
    text = "x " * (fit.CELL_CAP // 2)
    assert fit.capped(text) == text


def test_a_long_text_is_cut_at_a_space_with_a_note() -> None:
    words = ["SMD", "-0.32", "[-0.61,", "-0.02]", "in", "trials"]
    text = " ".join(words[i % len(words)] for i in range(2 * fit.CELL_CAP))
    shown = fit.capped(text)
    head, note = shown.split(" … [")
    assert text.startswith(head) and text[len(head)] == " "  # cut between words: no figure split
    assert len(head) <= fit.CELL_CAP
    assert note == f"{len(text) - len(head):,} more characters: --json or --format markdown prints the whole text]"


def test_one_huge_word_is_cut_at_the_limit() -> None:
    word = "1" * 7_800_000
    shown = fit.capped(word)
    assert shown.startswith("1" * fit.CELL_CAP + " … [7,796,000 more characters")
