"""Pins render/table.py and render/grid.py: the terminal layout at any width, and what it costs.

- grid.py draws what rich's `Table` draws for the same widths, character by character and style
  by style (generated sections), so the lean tables change nothing a reader sees.
- Narrow terminals never lose a value (issue 17, item 20): at every width from 0 to 200 every
  figure printed at 200 columns is printed whole; below the minimum width, or when a figure
  would not fit, a section falls back to the plain stacked form; COLUMNS=0 prints it too.
- The layout's cost grows with its text, not faster (item 19): compared between a table and
  one four times as long, never against a clock; a cell shows at most fit.CELL_CAP characters.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text
from typer.testing import Result

from helpers import BUNDLED, LINEAR, growth, hang_guard
from painsci_cli import documents
from painsci_cli.documents import ListFilter
from painsci_cli.load import load_uncached
from painsci_cli.load.store import Store
from painsci_cli.render import Surface, fit, grid, table
from painsci_cli.render.layout import BEST, Section, sections
from painsci_cli.views import OutputDoc

Invoke = Callable[..., Result]

# --------------------------------------------------------------------------- the same as rich


def _padded_first_column() -> bool:
    """rich 13 counts a column's left blank into its explicit width even for the first column,
    which pad_edge=False draws without it: its tables came out one cell wider than asked (and
    cropped at the terminal's edge). The lean tables draw what rich 14 and later draw."""
    probe = Table(pad_edge=False, padding=(0, 0, 0, 1))
    probe.add_column()
    return probe._get_padding_width(0) == 1


PADDED_FIRST_COLUMN = _padded_first_column()


def rich_table(part: Section, widths: list[int]) -> Table:
    """How table.py drew a section with rich before the lean tables (the oracle)."""
    if PADDED_FIRST_COLUMN:
        widths = [widths[0] - 1, *widths[1:]]
    drawn = Table(
        title=Text(part.title, style="bold") if part.title else None,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_header=any(part.columns) and not part.key_value,
        show_edge=False,
        pad_edge=False,
        padding=(0, 0, 0, 1),
        expand=False,
    )
    for i, column in enumerate(part.columns):
        first = part.key_value and i == 0
        drawn.add_column(Text(column), overflow="fold", style="bold" if first else "", width=widths[i], no_wrap=first)
    for row in part.rows:
        drawn.add_row(*(Text(cell, style="bold green" if cell.endswith(BEST) else "") for cell in row))
    if part.note:
        drawn.caption = Text(part.note, style="dim")
        drawn.caption_justify = "left"
    return drawn


def lean_table(part: Section, widths: list[int]) -> grid.Drawn:
    if part.key_value:
        columns = [grid.Column(widths[0], "bold", no_wrap=True), grid.Column(widths[1], left=1)]
        cells = [[table._cell(row[0]), table._cell(row[1])] for row in part.rows]
        return grid.table(columns, cells, None, part.title, part.note or "")
    return table.drawn_table(part, widths)


def styled(renderable: object, width: int = 300) -> list[tuple[str, Style]]:
    """Every character drawn, with its style: what a terminal shows, however it is segmented."""
    console = Console(file=io.StringIO(), width=width, force_terminal=True, color_system="truecolor")
    out = []
    for segment in console.render(renderable):  # type: ignore[arg-type]
        for character in segment.text:
            out.append((character, segment.style or Style.null()))
    return out


PIECES = [*"ab cd-1.,[]", "\n", "\t", "  ", "日本", "é", "\u00a0", "(best)", "SMD -0.32 [-0.61, -0.02]", "x" * 30]
WORDS = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)


@st.composite
def sections_and_widths(draw: st.DrawFn) -> tuple[Section, list[int]]:
    key_value = draw(st.booleans())
    columns = 2 if key_value else draw(st.integers(1, 4))
    header = tuple(draw(WORDS) for _ in range(columns))
    rows = tuple(tuple(draw(WORDS) for _ in range(columns)) for _ in range(draw(st.integers(1, 4))))
    widths = [draw(st.integers(1, 25)) for _ in range(columns)]
    if key_value:
        widths[0] = max(widths[0], fit.natural([row[0] for row in rows]))  # labels on one line
    part = Section(draw(WORDS), header, rows, draw(st.one_of(st.none(), WORDS)), key_value=key_value)
    return part, widths


@settings(max_examples=200, deadline=None)
@given(sections_and_widths())
def test_lean_tables_draw_what_rich_draws(found: tuple[Section, list[int]]) -> None:
    part, widths = found
    assert styled(lean_table(part, widths)) == styled(rich_table(part, widths))


def test_a_narrow_bundled_table_is_drawn_as_rich_drew_it() -> None:
    part = sections(DOCS["compare massage tens"])[0]
    for width in (100, 80, 60):
        widths = table.column_widths(part, width)
        assert widths is not None
        assert styled(table.drawn_table(part, widths)) == styled(rich_table(part, widths))


# --------------------------------------------------------------------------- the bundled KB's documents


def _documents() -> dict[str, tuple[OutputDoc, str]]:
    store = Store.from_kb(load_uncached(BUNDLED.read_bytes(), "treatments.yaml"))
    massage, acupuncture = store.treatment("massage"), store.treatment("acupuncture")
    return {
        "show massage": (documents.treatment_doc(store, massage), "card"),
        "show acupuncture --full": (documents.treatment_doc(store, acupuncture), "full"),
        "show massage --full": (documents.treatment_doc(store, massage), "full"),
        "list": (documents.list_doc(store, ListFilter()), "card"),
        "compare massage tens": (documents.compare_doc(store, ["massage", "tens"]), "card"),
        "compare six": (
            documents.compare_doc(store, ["massage", "tens", "acupuncture", "heat", "yoga", "spinal-manipulation"]),
            "card",
        ),
        "explain massage": (documents.explain_doc(store, massage), "card"),
        "findings": (documents.findings_doc(store), "card"),
    }


BUILT = _documents()
DOCS = {name: doc for name, (doc, _) in BUILT.items()}


def drawn(name: str, width: int) -> str:
    doc, detail = BUILT[name]
    return table.text([doc], Surface(width=width, detail=detail))


NUMBER = re.compile(r"[\d.,;:%/()\[\]+\-−]*\d[\d.,;:%/()\[\]+\-−]*")
"""The test's own idea of a figure: a whole token of digits and punctuation with a digit in it."""


def figure_tokens(text: str) -> Counter[str]:
    return Counter(token for token in text.split() if NUMBER.fullmatch(token))


WIDE = {name: figure_tokens(drawn(name, 200)) for name in BUILT}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(BUILT)), st.integers(0, 200))
def test_every_figure_is_printed_whole_at_every_width(name: str, width: int) -> None:
    narrow = figure_tokens(drawn(name, width))
    missing = WIDE[name] - narrow
    assert not missing, (name, width, sorted(missing)[:5])


@pytest.mark.parametrize("width", [0, 1, 5, 19, 20, 21, 30, 45, 60])
@pytest.mark.parametrize("name", sorted(BUILT))
def test_every_figure_whole_at_the_widths_that_broke(name: str, width: int) -> None:
    assert not WIDE[name] - figure_tokens(drawn(name, width)), (name, width)


@pytest.mark.parametrize("width", [60, 80, 100, 120])
@pytest.mark.parametrize("name", sorted(BUILT))
def test_no_line_is_wider_than_the_terminal(name: str, width: int) -> None:
    widest = max(cell_len(line) for line in drawn(name, width).splitlines())
    assert widest <= width, (name, width, widest)


def values(doc: OutputDoc, detail: str) -> Iterator[str]:
    for part in sections(doc, detail):
        for row in part.rows:
            yield from row


def characters(text: str) -> str:
    return "".join(text.split())


def in_order(needles: list[str], haystack: str) -> bool:
    """Every needle's characters occur in `haystack` in this order (other text may come between)."""
    at = 0
    for character in "".join(needles):
        at = haystack.find(character, at) + 1
        if not at:
            return False
    return True


@pytest.mark.parametrize("width", [0, 1, 10, 19, 25, 45, 60, 100])
@pytest.mark.parametrize("name", ["compare massage tens", "show massage", "list", "explain massage", "findings"])
def test_no_value_is_lost_at_any_width(name: str, width: int) -> None:
    """Every character of every value is printed (at 45 columns compare printed names and no
    value); below the minimum width each value also comes whole and in order."""
    doc, detail = BUILT[name]
    out = drawn(name, width)
    shown = [characters(value) for value in values(doc, detail)]
    assert not Counter("".join(shown)) - Counter(characters(out))
    if width < table.MIN_WIDTH:
        assert in_order(shown, characters(out))


@pytest.mark.parametrize("width", [0, 1, 19])
def test_below_the_minimum_width_each_value_is_a_line_of_its_own(width: int) -> None:
    out = drawn("compare massage tens", width).splitlines()
    at = out.index("bottom line (chronic)")
    assert out[at + 1 : at + 5] == [
        "Massage",
        "  very uncertain",
        "Transcutaneous electrical nerve stimulation (TENS)",
        "  little or no better than sham",
    ]
    assert (
        "  SMD -0.2 [-0.58, 0.18] vs mixed, about 0.4 to 0.5 points better on pain 0-10 (95% CI 0.4 worse to 1.5 "
        "better) (certainty not rated)"  # an interval from worse to better: no share of the individual change
    ) in out


def test_a_section_whose_figure_cannot_fit_is_printed_plain() -> None:
    doi = "10.7326/0003-4819-146-11-200706050-00007"
    part = Section("Sources", ("id", "identifiers"), (("x", f"DOI {doi}"),))
    out = io.StringIO()
    table.make_console(False, 30, file=out).print(table.section(part, 30), crop=False)
    assert out.getvalue().splitlines()[-2:] == ["identifiers", f"  DOI {doi}"]


@pytest.mark.parametrize("columns", ["0", "1", "45", "200"])
def test_compare_at_any_columns_prints_every_value(invoke: Invoke, columns: str) -> None:
    result = invoke("compare", "massage", "tens", "--format", "table", env={"COLUMNS": columns})
    assert result.exit_code == 0, result.stderr
    doc = json.loads(invoke("compare", "massage", "tens", "--json").stdout)
    figures = "".join(characters(f) for row in doc["treatments"] for f in row["answer_figures"].values())
    assert len(figures) > 40
    assert not Counter(figures) - Counter(characters(result.stdout))
    for token in WIDE["compare massage tens"]:
        assert token in result.stdout.split(), (columns, token)


# --------------------------------------------------------------------------- cost


def rows_of(count: int) -> Section:
    rows = tuple(
        (f"Treatment {i}", "may help a little", f"SMD -0.{i % 90:02d} [-0.61, -0.02] vs usual care", "low", "na")
        for i in range(count)
    )
    columns = ("treatment", "bottom line (chronic)", "key figure", "certainty", "NVL")
    return Section("Treatments", columns, rows, "A note.", nowrap=(4,), brief=((4, 0, 1), (2, 3)))


def layout(part: Section, width: int, cap: bool = True) -> str:
    out = io.StringIO()
    console = table.make_console(False, max(width, table.MIN_WIDTH), file=out)
    console.print(table.section(table.shown(part) if cap else part, width), crop=False)
    return out.getvalue()


@pytest.mark.parametrize("width", [200, 100, 50, 30, 0])
def test_a_table_costs_in_proportion_to_its_rows(width: int) -> None:
    """A table, two-line blocks, stacked rows and the plain form, by width."""
    with hang_guard():
        assert growth(lambda part: layout(part, width), rows_of, 500) < LINEAR


@pytest.mark.parametrize("kind", ["svg", "html"])
def test_an_export_costs_in_proportion_to_its_rows(kind: str) -> None:
    """rich's HTML export joins runs of equally styled segments by repeated concatenation: the
    lean tables' segments must not make one run of a whole table."""

    def exported(part: Section) -> str:
        console = table.make_console(False, 100, record=True)
        console.print(table.section(part, 100), crop=False)
        return console.export_svg() if kind == "svg" else console.export_html()

    with hang_guard():
        assert growth(exported, rows_of, 2_500) < LINEAR


def test_one_long_text_costs_no_more_than_its_cap() -> None:
    def shown(text: str) -> str:
        return layout(Section("Massage", ("field", "value"), (("what it is", text),), key_value=True), 100)

    with hang_guard():
        out = shown("Soft tissue, 12.5% of 0-10 points. " * 225_000)  # 7.8 MB
        assert "more characters: --json or --format markdown prints the whole text]" in " ".join(out.split())
        assert len(out) < 2 * fit.CELL_CAP
        assert growth(shown, lambda n: "1" + ".,:" * n + "x", 250_000) < LINEAR


@pytest.mark.parametrize("size", [48_000, 100_000])
def test_the_longest_words_are_laid_out_in_linear_time(size: int) -> None:
    """Even without the cap: a word of digits and punctuation in a table, a label and a title."""

    def word(size: int) -> str:
        return "1" + ".,:" * (size // 3) + "x"

    def sections(text: str) -> list[Section]:
        return [
            Section(text, ("treatment", "key figure"), ((text, "MD -1.0"), ("TENS", text))),
            Section("Card", ("field", "value"), ((text, "MD -1.0"), ("why", text)), key_value=True),
        ]

    with hang_guard():
        for part in sections(word(size)):
            assert "MD -1.0" in layout(part, 100, cap=False)
        for i in range(2):
            assert growth(lambda text, i=i: layout(sections(text)[i], 100, cap=False), word, size // 4) < LINEAR
