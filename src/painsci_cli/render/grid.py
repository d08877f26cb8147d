"""Lean tables: rows of wrapped cells drawn straight into rich segments.

rich's `Table` measures and renders every cell through its general machinery (about 0.15 ms
a cell here), so a list of 25,000 treatments took 15 s and 3,100 findings 6 s. The layouts painsci
draws need little of that generality: columns of fixed widths, blanks between them, a header
with a rule, a title and a note. Drawn here, a row costs a wrap per cell (fit.py) and a few
segments per line, and the output is what rich's `Table` draws for the same widths (a test
compares them character by character, styles included).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style

from ..records import Record, record
from .fit import wrap

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult

Cell = tuple[str, str]
"""A cell's text and the style of its text (over the column's)."""
Line = list[Segment]

RULE = "─"


@record
class Column(Record):
    width: int
    """Cells of text (at least 1); the column's blanks (`left`, `right`) come on top."""
    style: str = ""
    """The column's style, on its text and its blanks."""
    no_wrap: bool = False
    left: int = 0
    right: int = 0


class Drawn:
    """Lines of segments, printed as they are: a rich renderable that does no layout of its own."""

    __slots__ = ("lines",)

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        newline = Segment.line()
        for line in self.lines:
            yield from line
            yield newline


PLAIN = Style.null()
"""The style of unstyled text. Never None: rich's HTML export joins neighbouring segments of
equal style by repeated concatenation, and None would equal the style of every line break, so
a whole table became one run built in quadratic time (25,000 rows: seconds)."""


def _style(text: str) -> Style:
    return Style.parse(text) if text else PLAIN


class _Line:
    """A line being built: neighbouring pieces in one style become one segment."""

    __slots__ = ("segments", "style", "text")

    def __init__(self) -> None:
        self.segments: Line = []
        self.text = ""
        self.style = PLAIN

    def add(self, text: str, style: Style) -> None:
        if not text:
            return
        if style != self.style and self.text:
            self.segments.append(Segment(self.text, self.style))
            self.text = ""
        self.text += text
        self.style = style

    def done(self) -> Line:
        if self.text:
            self.segments.append(Segment(self.text, self.style))
        return self.segments


def line(text: str, style: str = "") -> Line:
    """One line as it is, unwrapped."""
    return [Segment(text, _style(style))] if text else []


def paragraph(text: str, width: int, style: str = "", pad: bool = False) -> list[Line]:
    """Text across the whole width, as rich prints a `Text` (padded to the width, as a table's
    title and caption are, when `pad`)."""
    shown = _style(style)
    return [[Segment(line, shown)] if line else [] for line in wrap(text, width, pad=pad)]


def rows(
    columns: Sequence[Column],
    cells: Iterable[Sequence[Cell]],
    separator: str = "",
    base: str | None = None,
    bottom: bool = False,
) -> list[Line]:
    """Each row as lines: every cell wrapped to its column, the shorter ones filled with blanks
    (below the text, or above it when `bottom`, as a header is aligned).

    `base` replaces every column's own style (a header row has the header's style).
    """
    bases = [_style(column.style if base is None else base) for column in columns]
    styles: dict[tuple[int, str], Style] = {}
    widths = [max(c.width, 1) for c in columns]
    blanks = [(" " * c.left, " " * w, " " * c.right) for c, w in zip(columns, widths, strict=True)]
    out: list[Line] = []
    for row in cells:
        wrapped = [wrap(text, w, c.no_wrap) for (text, _), c, w in zip(row, columns, widths, strict=True)]
        height = max(len(lines) for lines in wrapped)
        for i in range(height):
            line = _Line()
            for c, (lines, (_, style)) in enumerate(zip(wrapped, row, strict=True)):
                if c and separator:
                    line.add(separator, PLAIN)
                left, empty, right = blanks[c]
                k = i - (height - len(lines)) if bottom else i
                if (c, style) not in styles:
                    styles[c, style] = bases[c] + _style(style)
                line.add(left, bases[c])
                if 0 <= k < len(lines):
                    line.add(lines[k], styles[c, style])
                else:
                    line.add(empty, bases[c])
                line.add(right, bases[c])
            out.append(line.done())
    return out


def table(
    columns: Sequence[Column],
    cells: Iterable[Sequence[Cell]],
    header: Sequence[str] | None = None,
    title: str = "",
    note: str = "",
) -> Drawn:
    """rich's `Table` with box.SIMPLE_HEAD, no edge and one blank before every column but the
    first: the title above (bold), the header (bold) over a rule, the note below (dim)."""
    width = sum(c.left + max(c.width, 1) + c.right for c in columns) + len(columns) - 1
    lines = paragraph(title, width, "bold", pad=True) if title else []
    if header is not None:
        lines += rows(columns, [[(h, "") for h in header]], " ", base="bold", bottom=True)
        lines.append([Segment(RULE * width, PLAIN)])
    lines += rows(columns, cells, " ")
    if note:
        lines += paragraph(note, width, "dim", pad=True)
    return Drawn(lines)
