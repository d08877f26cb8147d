"""Pins render/__init__.py, plain.py, markdown.py, json_doc.py and bib.py on small documents.

render() dispatches every Format member (a loop over the enum, so a new member cannot be
half-wired); plain output has one header row and folds tabs and newlines inside cells; Markdown
escapes pipes, backslashes and tag-like `<` but keeps "6 to < 12"; JSON is compact or indented
and ASCII-only; BibTeX and RIS exist only for sources documents. (table.py and layout.py are
tested elsewhere.)
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from painsci_cli.errors import UsageError
from painsci_cli.models import Authors, Source
from painsci_cli.records import to_plain
from painsci_cli.render import (
    EXPORT_WIDTH,
    Format,
    Surface,
    bib,
    csv_out,
    format_for_suffix,
    json_doc,
    markdown,
    plain,
    render,
)
from painsci_cli.render.layout import Section
from painsci_cli.render.records import DataTable
from painsci_cli.views import ExplainDoc, OutputDoc, SearchDoc, SearchHit, SourcesDoc

TRIAL = Source(
    "cherkin-2011",
    "trial",
    Authors(("Cherkin DC", "Sherman KJ")),
    2011,
    "A comparison of {massage}",
    journal="Ann Intern Med",
    pmid="21727288",
    doi="10.7326/x",
)
GUIDELINE = Source(
    "nvl-2017",
    "guideline",
    Authors(("BÄK, KBV, AWMF",), organisation=True),
    None,
    "NVL Kreuzschmerz",
    url="https://example.org",
    note="expired\n2022",
)
SOURCES = SourcesDoc(1, 1, "0.1.0", "2026-11-22", kind="sources", treatment=None, sources=(TRIAL, GUIDELINE))
SEARCH = SearchDoc(
    1, 1, "0.1.0", "2026-11-22", kind="search", query="sham", hits=(SearchHit("tens", "TENS", "caveat", "sham TENS"),)
)


def is_table(text: str) -> bool:
    return text.startswith("Sources") and "cherkin-2011" in text and "─" in text


def is_plain(text: str) -> bool:
    return text.startswith("id\tkind\tauthors\tyear\ttitle\tjournal\tpmid\tdoi\turl\ncherkin-2011\t")


def is_csv(text: str) -> bool:
    return text.startswith("id,kind,authors,year,title,journal,pmid,doi,url\r\ncherkin-2011,")


def is_json(text: str) -> bool:
    try:
        return bool(json.loads(text) == to_plain(SOURCES))
    except json.JSONDecodeError:
        return False


def is_markdown(text: str) -> bool:
    return text.startswith("## Sources\n\n| id | citation | identifiers |\n|---|---|---|\n| cherkin-2011 |")


def is_svg(text: str) -> bool:
    return text.startswith("<svg") and "cherkin-2011" in text


def is_html(text: str) -> bool:
    return text.startswith("<!DOCTYPE html>") and "cherkin-2011" in text


def is_bibtex(text: str) -> bool:
    return text.startswith("@article{cherkin-2011,\n")


def is_ris(text: str) -> bool:
    return text.startswith("TY  - JOUR\nID  - cherkin-2011\n")


RECOGNISED: dict[Format, Callable[[str], bool]] = {
    Format.table: is_table,
    Format.plain: is_plain,
    Format.csv: is_csv,
    Format.json: is_json,
    Format.markdown: is_markdown,
    Format.svg: is_svg,
    Format.html: is_html,
    Format.bibtex: is_bibtex,
    Format.ris: is_ris,
}


def test_every_format_is_recognised_here() -> None:
    assert set(RECOGNISED) == set(Format)


@pytest.mark.parametrize("fmt", list(Format))
def test_render_dispatches_every_format(fmt: Format) -> None:
    text = render([SOURCES], fmt, Surface()).text
    assert RECOGNISED[fmt](text), text[:300]
    assert text.endswith("\n")
    for other, recognised in RECOGNISED.items():
        if other is not fmt:
            assert not recognised(text), f"{fmt} output looks like {other}"


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_has_its_suffixes(fmt: Format) -> None:
    for suffix in fmt.suffixes:
        assert format_for_suffix(suffix) is fmt
        assert format_for_suffix(suffix.upper()) is fmt
    assert (fmt.suffixes == ()) is (fmt is Format.table)


def test_format_values_are_what_format_takes() -> None:
    assert [f.value for f in Format] == ["table", "plain", "csv", "json", "markdown", "svg", "html", "bibtex", "ris"]


@pytest.mark.parametrize("suffix", ["", ".pdf", ".yaml", ".markdown", "md", ".jsonl"])
def test_unknown_suffixes(suffix: str) -> None:
    assert format_for_suffix(suffix) is None


def test_several_documents_follow_one_another_but_data_is_one_table() -> None:
    assert render([SOURCES, SEARCH], Format.markdown, Surface()).text == (
        markdown.render(SOURCES) + "\n" + markdown.render(SEARCH)
    )
    for fmt in (Format.plain, Format.csv):
        with pytest.raises(UsageError, match=f"--format {fmt.value} prints one table"):
            render([SOURCES, SOURCES], fmt, Surface())


def test_json_prints_one_document() -> None:
    with pytest.raises(UsageError) as caught:
        render([SOURCES, SEARCH], Format.json, Surface())
    assert caught.value.lines == (
        "painsci: --json prints one document; ask for each separately (e.g. painsci plot … --json)",
    )


def test_json_is_indented_for_a_terminal_only() -> None:
    assert render([SEARCH], Format.json, Surface(terminal=True)).text == json_doc.render(SEARCH, indent=True)
    assert render([SEARCH], Format.json, Surface(terminal=False)).text == json_doc.render(SEARCH, indent=False)


def test_exports_have_a_fixed_width() -> None:
    assert EXPORT_WIDTH == 100
    svg = render([SEARCH], Format.svg, Surface(width=40)).text
    assert svg == render([SEARCH], Format.svg, Surface(width=200)).text


# --------------------------------------------------------------------------- plain


def test_plain_is_one_header_row_then_one_row_per_record() -> None:
    table = DataTable(("outcome", "figure"), (("pain", "MD -1"), ("function", "MD -2")), ("a note",))
    assert plain.render(table) == "outcome\tfigure\npain\tMD -1\nfunction\tMD -2\n"
    rendered = render([SEARCH], Format.plain, Surface())
    assert rendered.text == "treatment\tname\tfield\texcerpt\ntens\tTENS\tcaveat\tsham TENS\n"
    assert rendered.notes == ()


def test_a_remark_is_a_note_not_a_row() -> None:
    empty = SearchDoc(1, 1, "0.1.0", "r", kind="search", query="zz", hits=())
    rendered = render([empty], Format.plain, Surface())
    assert rendered.text == "treatment\tname\tfield\texcerpt\n"
    assert rendered.notes == ("no treatment mentions 'zz'",)


def test_plain_folds_tabs_and_newlines_inside_cells() -> None:
    table = DataTable(("a", "b"), (("x\ty", "1\n2\r\n3"),))
    assert plain.render(table) == "a\tb\nx y\t1 2 3\n"


def test_csv_quotes_what_needs_quoting() -> None:
    table = DataTable(("a", "b"), (('say "hi", then', "1\n2"),))
    assert csv_out.render(table) == 'a,b\r\n"say ""hi"", then","1\n2"\r\n'
    assert list(csv.reader(io.StringIO(csv_out.render(table)))) == [["a", "b"], ['say "hi", then', "1\n2"]]


@given(st.lists(st.text(), min_size=1, max_size=4))
def test_plain_rows_always_have_one_line_and_one_cell_per_column(cells: list[str]) -> None:
    table = DataTable(tuple(f"c{i}" for i in range(len(cells))), (tuple(cells),))
    lines = plain.render(table).split("\n")
    assert len(lines) == 3 and lines[-1] == ""
    assert lines[1].count("\t") == len(cells) - 1


@given(st.lists(st.text(), min_size=1, max_size=4))
def test_csv_round_trips_any_cells(cells: list[str]) -> None:
    table = DataTable(tuple(f"c{i}" for i in range(len(cells))), (tuple(cells),))
    parsed = list(csv.reader(io.StringIO(csv_out.render(table), newline="")))
    assert parsed == [list(table.columns), cells]


# --------------------------------------------------------------------------- markdown


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("plain", "plain"),
        ("a|b", "a\\|b"),
        ("back\\slash", "back\\\\slash"),
        ("\\|", "\\\\\\|"),
        ("<b>bold</b>", "&lt;b>bold&lt;/b>"),
        ("<script>", "&lt;script>"),
        ("<!-- x -->", "&lt;!-- x -->"),
        ("<?php", "&lt;?php"),
        ("6 to < 12 months", "6 to < 12 months"),
        ("p <0.05", "p <0.05"),
        ("a<3", "a<3"),
        ("x\ty\nz", "x y z"),
        ("", " "),
        ("   ", " "),
    ],
)
def test_markdown_cells_are_escaped(text: str, cell: str) -> None:
    assert markdown.section(Section("T", ("c",), ((text,),))).split("\n")[-1] == f"| {cell} |"


def test_markdown_section() -> None:
    part = Section("Effects", ("outcome", "figure"), (("pain", "MD -1"),), note="from 2 trials")
    assert markdown.section(part) == (
        "## Effects\n\n| outcome | figure |\n|---|---|\n| pain | MD -1 |\n\n_from 2 trials_"
    )


def test_markdown_escapes_titles_and_headers() -> None:
    part = Section("A|B <i>", ("x|y",), (("1",),))
    assert markdown.section(part) == "## A\\|B &lt;i>\n\n| x\\|y |\n|---|\n| 1 |"


def test_markdown_key_value_section_gets_an_empty_header() -> None:
    part = Section("Overview", ("", ""), (("category", "passive"),), key_value=True)
    assert markdown.section(part) == "## Overview\n\n|   |   |\n|---|---|\n| category | passive |"


def test_markdown_section_without_rows_has_no_table() -> None:
    assert markdown.section(Section("Search: x", ("a", "b"), (), note="nothing")) == "## Search: x\n\n\n_nothing_"


def test_markdown_header_has_as_many_columns_as_the_rows() -> None:
    lines = markdown.section(Section("Explanation", ("",), (("A paragraph.",),))).split("\n")
    header, rule, row = lines[2:5]
    assert header.count("|") == rule.count("|") == row.count("|")


@given(st.text())
def test_markdown_cells_never_break_the_table(text: str) -> None:
    row = markdown.section(Section("T", ("c",), ((text,),))).split("\n")[-1]
    assert "\n" not in row
    unescaped_pipes = re.findall(r"(?<!\\)(?:\\\\)*\|", row[1:-1])
    assert unescaped_pipes == [], row
    assert re.search(r"<[A-Za-z/!?]", row) is None


# --------------------------------------------------------------------------- json


def test_json_compact() -> None:
    text = json_doc.render(SEARCH, indent=False)
    assert text == (
        '{"schema_version":1,"schema_minor":1,"painsci_version":"0.1.0","kb_reviewed":"2026-11-22","kind":"search",'
        '"query":"sham","hits":[{"treatment":"tens","name":"TENS","field":"caveat","excerpt":"sham TENS"}]}\n'
    )


def test_json_indented() -> None:
    text = json_doc.render(SEARCH, indent=True)
    assert text.startswith('{\n  "schema_version": 1,\n  "schema_minor": 1,\n  "painsci_version": "0.1.0",\n')
    assert json.loads(text) == json.loads(json_doc.render(SEARCH, indent=False))


@pytest.mark.parametrize("indent", [True, False])
def test_json_is_ascii_only(indent: bool) -> None:
    doc = ExplainDoc(1, 1, "0.1.0", "2026-11-22", kind="explanation", treatment="t", text="BÄK \u202e 😀 \x1b")
    text = json_doc.render(doc, indent=indent)
    assert text.isascii()
    assert "\\u00c4" in text and "\\u202e" in text and "\\ud83d\\ude00" in text and "\\u001b" in text
    assert json.loads(text)["text"] == "BÄK \u202e 😀 \x1b"


def test_json_follows_the_terminal_when_not_told(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    assert json_doc.render(SEARCH) == json_doc.render(SEARCH, indent=True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False, raising=False)
    assert json_doc.render(SEARCH) == json_doc.render(SEARCH, indent=False)


# --------------------------------------------------------------------------- bib


def test_bibtex_entry() -> None:
    assert bib.bibtex_entry(TRIAL) == (
        "@article{cherkin-2011,\n"
        "  author = {Cherkin DC and Sherman KJ},\n"
        "  title = {A comparison of \\{massage\\}},\n"
        "  journal = {Ann Intern Med},\n"
        "  year = {2011},\n"
        "  doi = {10.7326/x},\n"
        "  pmid = {21727288}\n"
        "}"
    )


def test_bibtex_entry_of_a_guideline_without_a_year() -> None:
    assert bib.bibtex_entry(GUIDELINE) == (
        "@misc{nvl-2017,\n"
        "  author = {{BÄK, KBV, AWMF}},\n"
        "  title = {NVL Kreuzschmerz},\n"
        "  url = {https://example.org},\n"
        "  note = {expired 2022}\n"
        "}"
    )


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("a}b", "a\\}b"),
        ("{x}", "\\{x\\}"),
        ("a\\}", "a\\textbackslash{}\\}"),
        ("\\end{", "\\textbackslash{}end\\{"),
        ("67% & #1 $5 a_b", "67\\% \\& \\#1 \\$5 a\\_b"),
    ],
)
def test_bibtex_fields_cannot_be_closed_early(text: str, safe: str) -> None:
    entry = bib.bibtex_entry(Source("s", "article", Authors(("A",)), 2020, text))
    assert f"  title = {{{safe}}}," in entry


@pytest.mark.parametrize(
    ("kind", "bibtex", "ris"),
    [
        ("trial", "article", "JOUR"),
        ("systematic_review", "article", "JOUR"),
        ("meta_analysis", "article", "JOUR"),
        ("guideline", "misc", "GEN"),
        ("article", "misc", "ELEC"),
    ],
)
def test_entry_types(kind: str, bibtex: str, ris: str) -> None:
    source = Source("s", kind, Authors(("A",)), 2020, "T")  # type: ignore[arg-type]
    assert bib.bibtex_entry(source).startswith(f"@{bibtex}{{s,\n")
    assert bib.ris_entry(source).startswith(f"TY  - {ris}\n")


def test_ris_entry() -> None:
    assert bib.ris_entry(GUIDELINE) == (
        "TY  - GEN\nID  - nvl-2017\nAU  - BÄK, KBV, AWMF\nTI  - NVL Kreuzschmerz\n"
        "UR  - https://example.org\nN1  - expired 2022\nER  - "
    )
    assert bib.ris_entry(TRIAL).split("\n")[5:9] == [
        "JO  - Ann Intern Med",
        "PY  - 2011",
        "DO  - 10.7326/x",
        "AN  - PMID:21727288",
    ]


def test_et_al_is_not_an_author() -> None:
    source = Source("s", "trial", Authors(("Cherkin DC", "Sherman KJ"), et_al=True), 2011, "T")
    assert "  author = {Cherkin DC and Sherman KJ and others}," in bib.bibtex_entry(source)
    assert [line for line in bib.ris_entry(source).splitlines() if line.startswith("AU")] == [
        "AU  - Cherkin DC",
        "AU  - Sherman KJ",
    ]


@pytest.mark.parametrize(("fmt", "kind"), [(Format.bibtex, "bibtex"), (Format.ris, "ris")])
@pytest.mark.parametrize("doc", [SEARCH, ExplainDoc(1, 1, "0.1.0", "r", kind="explanation", treatment="t", text="x")])
def test_citations_only_for_sources_documents(fmt: Format, kind: str, doc: OutputDoc) -> None:
    with pytest.raises(UsageError) as caught:
        render([doc], fmt, Surface())
    assert caught.value.lines == (f"painsci: --format {kind} is for citations: use it with 'painsci sources'",)


def test_a_mixed_list_of_documents_is_refused_too() -> None:
    with pytest.raises(UsageError):
        render([SOURCES, SEARCH], Format.bibtex, Surface())


def test_entries_are_separated_by_a_blank_line() -> None:
    assert render([SOURCES], Format.bibtex, Surface()).text == (
        bib.bibtex_entry(TRIAL) + "\n\n" + bib.bibtex_entry(GUIDELINE) + "\n"
    )
    expected = bib.ris_entry(TRIAL) + "\n\n" + bib.ris_entry(GUIDELINE) + "\n"
    assert render([SOURCES], Format.ris, Surface()).text == expected
