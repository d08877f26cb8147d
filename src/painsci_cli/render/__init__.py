"""Renderers: every output format, chosen in one place, all consuming the same documents.

`render(docs, fmt, surface)` is the one dispatch: a `Format` member in, text out. Where the text
goes (a terminal, a pipe, a file named by --export) is output.py's business, not a renderer's.
Adding a format is a member here, its case in `render`, and its module.

Only `table.py` (and `plot.py`) import rich; `json_doc`, `plain`, `markdown` and `bib` use the
standard library alone, so piped and `--json` output never pays rich's import cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, assert_never

from ..errors import UsageError
from ..records import Record, record
from ..views import OutputDoc

if TYPE_CHECKING:
    from ..provenance import Provenance

EXPORT_WIDTH = 100
"""Recorded console width of SVG and HTML: fixed, so a file does not depend on the terminal."""


class Format(StrEnum):
    """Output formats; the value is what --format takes, `suffixes` what --export recognises."""

    table = "table"
    plain = "plain"
    csv = "csv"
    json = "json"
    markdown = "markdown"
    svg = "svg"
    html = "html"
    bibtex = "bibtex"
    ris = "ris"

    @property
    def suffixes(self) -> tuple[str, ...]:
        return _SUFFIXES[self]


_SUFFIXES: dict[Format, tuple[str, ...]] = {
    Format.table: (),
    Format.plain: (".txt", ".tsv"),
    Format.csv: (".csv",),
    Format.json: (".json",),
    Format.markdown: (".md",),
    Format.svg: (".svg",),
    Format.html: (".html", ".htm"),
    Format.bibtex: (".bib",),
    Format.ris: (".ris",),
}


def format_for_suffix(suffix: str) -> Format | None:
    """The format a file name's suffix asks for (case-insensitive), or None."""
    wanted = suffix.lower()
    return next((f for f in Format if wanted in f.suffixes), None)


@record
class Surface(Record):
    """What a renderer may know about where its text goes, and which view was asked for."""

    color: bool = False
    terminal: bool = False
    """A person is reading (a terminal): JSON is indented, tables take the terminal's width."""
    width: int | None = None
    """Columns for tables; None lets rich read COLUMNS or the terminal."""
    detail: str = "card"
    """show: "card" (one screen) or "full" (the whole record)."""
    sections: tuple[str, ...] = ()
    """show --section NAME …: only these parts."""
    page: Provenance | None = None
    """An exported page: its title, date, KB review date, version and not-medical-advice line
    head the Markdown, SVG and HTML (None on the screen and in a pipe)."""


@record
class Rendered(Record):
    text: str
    notes: tuple[str, ...] = ()
    """Remarks for the person, not the data (stderr): what a filter read, that nothing matched."""


def render(docs: Sequence[OutputDoc], fmt: Format, surface: Surface) -> Rendered:
    """The documents in one format, one after another (compare, then its plot)."""
    match fmt:
        case Format.table:
            from . import table

            return Rendered(table.text(docs, surface))
        case Format.plain | Format.csv:
            from . import csv_out, plain
            from .records import table_of

            if len(docs) > 1:
                raise UsageError(
                    f"painsci: --format {fmt.value} prints one table; ask for each separately (e.g. painsci plot …)"
                )
            data = table_of(docs[0], surface.detail, surface.sections)
            return Rendered((plain if fmt is Format.plain else csv_out).render(data), data.notes)
        case Format.json:
            from . import json_doc

            if len(docs) > 1:
                raise UsageError(
                    "painsci: --json prints one document; ask for each separately (e.g. painsci plot … --json)"
                )
            return Rendered(json_doc.render(docs[0], indent=surface.terminal))
        case Format.markdown:
            from . import markdown

            body = "\n".join(markdown.render(doc, surface) for doc in docs)
            return Rendered(markdown.page_header(surface.page) + body if surface.page else body)
        case Format.svg | Format.html:
            from . import table

            return Rendered(table.export(docs, fmt.value, surface, EXPORT_WIDTH))
        case Format.bibtex | Format.ris:
            from . import bib

            return Rendered(bib.render(docs, fmt.value))
        case _:
            assert_never(fmt)
