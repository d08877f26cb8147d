"""Terminal output with rich: tables when they fit, a stacked layout when they do not.

All KB text goes in as plain strings drawn by grid.py into segments on a console with markup,
emoji and highlighting off, so `[bold]`, `[/]` or `:warning:` in the data print literally. A table
is only drawn when every column can hold its longest figure; otherwise each row is stacked as
label/value lines, and below that (a terminal narrower than a figure, or COLUMNS=0) each value is
printed on a line of its own, unwrapped: a number is never folded, ellipsised or left out.
Every layout costs time in proportion to its text, and a cell shows at most fit.CELL_CAP
characters (with a note where the rest is).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from rich.console import Console, RenderableType
from rich.text import Text

from ..views import OutputDoc, PlotDoc
from . import grid
from .fit import CELL_CAP, capped, longest_word, natural, wrapped_lines
from .grid import Cell, Column, Drawn
from .layout import BEST, Section, plot_sections, sections

if TYPE_CHECKING:  # the themes are only needed for --export
    from rich.terminal_theme import TerminalTheme

    from . import Surface

MIN_WIDTH = 20
"""Below this many columns nothing is wrapped: every section is printed in the plain stacked form."""
UNLIMITED = 1_000_000
"""The console width the plain form is printed at: no line of it is ever cropped."""
GAP = 2
"""Blank cells between two columns of a table (a separator and a blank) or of the two-line blocks."""
LABEL_GAP = 1
"""… and between a label and its value in the stacked rows."""
BLOCK_ROOM = 30
"""The fewest columns the text of a two-line block may have; with less, rows are stacked."""
NARROW_FLOOR = 8
"""In the label: value layouts (the fallbacks of a narrow terminal) words longer than this may
fold; figures never do."""


def make_console(color: bool, width: int | None = None, file: IO[str] | None = None, record: bool = False) -> Console:
    """A console that draws into `file` (a string buffer), in colour only when asked.

    Without an explicit width rich reads COLUMNS or the terminal's size, as it would on stdout.
    """
    return Console(
        file=file if file is not None else io.StringIO(),
        width=width,
        force_terminal=color,
        color_system="auto" if color else None,
        no_color=not color,
        markup=False,
        emoji=False,
        highlight=False,
        record=record,
        soft_wrap=False,
    )


def _cell(text: str) -> Cell:
    return (text, "bold green" if text.endswith(BEST) else "")


def column_widths(part: Section, width: int) -> list[int] | None:
    """Widths that fit `width` with no figure broken, or None when no such widths exist.

    Every column gets its longest word; the space left is shared in proportion to how much more
    each column would like.
    """
    columns = len(part.columns)
    budget = width - GAP * (columns - 1)
    cells = [[part.columns[i], *(row[i] for row in part.rows)] for i in range(columns)]
    wanted = [natural(texts) for texts in cells]
    minimum = [wanted[i] if i in part.nowrap else longest_word(texts) for i, texts in enumerate(cells)]
    if sum(minimum) > budget:
        return None
    if sum(wanted) <= budget:
        return wanted
    fewest = _fewest_lines(cells, minimum, wanted, budget) if _balanced(part) else None
    if fewest is not None:
        minimum = fewest
    spare = budget - sum(minimum)
    wants = [n - m for n, m in zip(wanted, minimum, strict=True)]
    shares = [spare * w // sum(wants) for w in wants]
    for i in sorted(range(columns), key=lambda i: wants[i] - shares[i], reverse=True)[: spare - sum(shares)]:
        shares[i] += 1
    return [m + extra for m, extra in zip(minimum, shares, strict=True)]


BALANCED_ROWS = 400
"""Tables with more rows than this skip the line balancing below (its cost grows with the rows)."""
BALANCED_CHARACTERS = 60_000
"""… and so do tables with more text than this (400 rows of capped cells would be 10 MB)."""


def _balanced(part: Section) -> bool:
    if len(part.rows) > BALANCED_ROWS:
        return False
    return sum(len(text) for row in part.rows for text in row) <= BALANCED_CHARACTERS


def _fewest_lines(cells: list[list[str]], minimum: list[int], wanted: list[int], budget: int) -> list[int] | None:
    """Widths under which no row takes more lines than it must: the smallest k such that every
    cell fits in k lines within the budget, each column as narrow as that allows."""
    distinct = [sorted(set(column), key=len, reverse=True) for column in cells]
    for k in (1, 2, 3):
        widths = [_width_for(texts, k, low, high) for texts, low, high in zip(distinct, minimum, wanted, strict=True)]
        if sum(widths) <= budget:
            return widths
    return None


def _width_for(texts: list[str], lines: int, low: int, high: int) -> int:
    """The narrowest width in [low, high] at which every text wraps to at most `lines` lines."""
    while low < high:
        middle = (low + high) // 2
        if all(wrapped_lines(text, middle) <= lines for text in texts):
            high = middle
        else:
            low = middle + 1
    return low


def drawn_table(part: Section, widths: list[int]) -> Drawn:
    """The section as a table: header, rule, a row per record, the note under it."""
    columns = [Column(w, left=1 if i else 0) for i, w in enumerate(widths)]
    header = part.columns if any(part.columns) else None
    return grid.table(columns, [[_cell(c) for c in row] for row in part.rows], header, part.title, part.note or "")


def _label_width(labels: list[str], values: list[str], width: int, gap: int = GAP) -> tuple[int, bool] | None:
    """The label column of a two-column layout, and whether it keeps its labels on one line:
    its natural width when the values still get room for their longest figure, else about a
    third of the width, wrapping the labels; None when even that leaves a figure no room."""
    whole = natural(labels)
    least, room = longest_word(labels, NARROW_FLOOR), longest_word(values, NARROW_FLOOR)
    if whole + gap + room <= width:
        return whole, True
    if least + gap + room > width:
        return None
    share = max((width - gap) // 3, longest_word(labels))  # a third, or room for whole words
    return max(least, min(whole, share, width - gap - room)), False


def key_value(part: Section, width: int) -> Drawn | None:
    """Label: value rows, labels in bold; the labels wrap before a value loses its room."""
    labels, values = [row[0] for row in part.rows], [row[1] for row in part.rows]
    found = _label_width(labels, values, width)
    if found is None:
        return None
    label, whole = found
    columns = [Column(label, "bold", no_wrap=whole), Column(min(natural(values), width - GAP - label), left=1)]
    cells = [[_cell(row[0]), _cell(row[1])] for row in part.rows]
    return grid.table(columns, cells, None, part.title, part.note or "")


def stacked(part: Section, width: int) -> Drawn | None:
    """One block per row, the column names as labels: for a table too wide for the terminal."""
    labels = list(part.columns)
    found = _label_width(labels, [cell for row in part.rows for cell in row], width, LABEL_GAP)
    if found is None or not any(labels):
        return None
    label, whole = found
    lines = grid.paragraph(part.title, width, "bold")
    for row in part.rows:
        lines.append([])
        value = Column(min(natural(list(row)), width - LABEL_GAP - label))
        columns = [Column(label, "bold", no_wrap=whole, right=LABEL_GAP), value]
        lines += grid.rows(columns, [[(name, ""), _cell(cell)] for name, cell in zip(labels, row, strict=True)])
    if part.note:
        lines += grid.paragraph(part.note, width, "dim")
    return Drawn(lines)


def blocks(part: Section, width: int) -> Drawn | None:
    """Each row as a two-line block: an aligned first column (marks) beside the next cells, then
    the rest under them with a hanging indent. A narrow terminal keeps a list scannable this way
    instead of stacking every field of every row."""
    first, rest = part.brief[0], part.brief[1:]
    marks: list[Cell] = []
    texts: list[Cell] = []
    for row, style in ((part.columns, "bold"), *((row, "") for row in part.rows)):
        header = row is part.columns  # the header says what each line of a block holds
        marks.append((row[first[0]], style))
        texts.append(("  ".join(row[i] for i in first[1:]), "bold"))
        for line in rest:
            parts: list[str] = []
            for i in line:
                if part.columns[i] == "certainty" and parts:
                    parts[-1] += f" ({row[i]})"  # the certainty qualifies the figure before it
                else:
                    parts.append(row[i] if i == line[0] or header else f"{part.columns[i]} {row[i]}")
            marks.append(("", ""))
            texts.append((" · ".join(parts), style))
    aligned = natural([text for text, _ in marks])
    room = width - aligned - GAP
    if room < max(BLOCK_ROOM, longest_word([text for text, _ in texts])):
        return None
    columns = [Column(aligned, no_wrap=True, right=GAP), Column(min(natural([t for t, _ in texts]), room))]
    lines = grid.paragraph(part.title, width, "bold")
    lines += grid.rows(columns, zip(marks, texts, strict=True))
    if part.note:
        lines += [[], *grid.paragraph(part.note, width, "dim")]
    return Drawn(lines)


def plain(part: Section) -> Drawn:
    """The plain stacked form, for a terminal too narrow for any other: the title, then each label
    on a line and its value under it, unwrapped (the terminal folds what it must; no figure is
    split by painsci or run into its label)."""
    lines = [grid.line(part.title, "bold")]
    labels = part.columns if any(part.columns) and not part.key_value else ("",) * len(part.columns)
    for row in part.rows:
        pairs = [(row[0], row[1])] if part.key_value else list(zip(labels, row, strict=True))
        if not part.key_value:
            lines.append([])
        for label, value in pairs:
            if label:
                lines.append(grid.line(label, "bold"))
            lines += [grid.line("  " + text if label else text, _cell(value)[1]) for text in value.split("\n")]
    if part.note:
        lines += [[], grid.line(part.note, "dim")]
    return Drawn(lines)


def section(part: Section, width: int) -> RenderableType:
    """The section laid out for `width` columns: the first of table, two-line blocks, stacked
    rows and the plain form that keeps every figure whole."""
    if width < max(MIN_WIDTH, longest_word([part.title, part.note or ""], floor=1)):
        return plain(part)
    if not part.rows:
        note = grid.paragraph(part.note or "", width, "dim")
        return Drawn([*grid.paragraph(part.title, width, "bold"), *note, []])
    if part.key_value:
        return key_value(part, width) or plain(part)
    widths = column_widths(part, width)
    if part.brief and (widths is None or _lines_needed(part, widths) > 2):
        return blocks(part, width) or stacked(part, width) or plain(part)
    if widths is not None:
        return drawn_table(part, widths)
    return stacked(part, width) or plain(part)


def _lines_needed(part: Section, widths: list[int]) -> int:
    if not _balanced(part):
        return 1  # too much to measure cheaply: the table decides
    pairs = (zip(row, widths, strict=True) for row in part.rows)
    return max((wrapped_lines(cell, w) for pair in pairs for cell, w in pair), default=1)


def shown(part: Section, limit: int = CELL_CAP) -> Section:
    """The section with every text cut to `limit` characters (fit.capped), so no single text, however
    long, makes the layout cost more than a screenful would."""
    texts = [part.title, part.note or "", *part.columns, *(cell for row in part.rows for cell in row)]
    if all(len(text) <= limit for text in texts):
        return part
    fields = {name: getattr(part, name) for name in Section.__record_fields__}
    fields.update(
        title=capped(part.title, limit),
        columns=tuple(capped(c, limit) for c in part.columns),
        rows=tuple(tuple(capped(c, limit) for c in row) for row in part.rows),
        note=None if part.note is None else capped(part.note, limit),
    )
    return Section(**fields)


def renderables(
    console: Console, doc: OutputDoc, detail: str = "card", wanted: tuple[str, ...] = (), width: int | None = None
) -> list[RenderableType]:
    """What the console prints for `doc`, laid out for `width` columns (the console's own width
    unless given: the plain form is printed on a wider console, since rich draws nothing at 0)."""
    width = console.width if width is None else width
    if isinstance(doc, PlotDoc):
        if width >= MIN_WIDTH:
            from . import plot

            return plot.renderables(console, doc)
        return [plain(shown(part)) for part in plot_sections(doc)]
    return [section(shown(part), width) for part in sections(doc, detail, wanted)]


def render(
    doc: OutputDoc, console: Console, detail: str = "card", wanted: tuple[str, ...] = (), width: int | None = None
) -> None:
    for item in renderables(console, doc, detail, wanted, width):
        console.print(item, crop=not isinstance(item, Drawn))  # a Drawn is as wide as it must be


def text(docs: Sequence[OutputDoc], surface: Surface) -> str:
    """The documents drawn as the terminal shows them, one after another, as one string."""
    buffer = io.StringIO()
    console = make_console(surface.color, surface.width, file=buffer)
    width = console.width
    if width < MIN_WIDTH:  # COLUMNS=0 or a sliver: the plain form, which rich must not crop
        console = make_console(surface.color, UNLIMITED, file=buffer)
    for i, doc in enumerate(docs):
        if i:
            buffer.write("\n")
        render(doc, console, surface.detail, surface.sections, width)
    return buffer.getvalue()


def _svg_format() -> str:
    """rich's SVG template without its web-font URLs, so an export never fetches anything, and
    with xml:space="preserve", without which some renderers (librsvg, so GNOME and many
    converters) drop the leading blanks of a text run and shift bars off their axis."""
    from rich._export_format import CONSOLE_SVG_FORMAT

    template = re.sub(r'(src: local\("[^"]*"\)),\s*url\([^;]*;', r"\1;", CONSOLE_SVG_FORMAT)
    return template.replace('<svg class="rich-terminal"', '<svg xml:space="preserve" class="rich-terminal"', 1)


def _monochrome(theme: TerminalTheme) -> TerminalTheme:
    """The theme with every ANSI colour drawn in the foreground colour: --no-color for a file.

    rich records styles before it strips colour, so a no-colour console alone would not do.
    """
    from rich.terminal_theme import TerminalTheme

    foreground = theme.foreground_color
    shade = (foreground.red, foreground.green, foreground.blue)
    background = theme.background_color
    return TerminalTheme((background.red, background.green, background.blue), shade, [shade] * 8, [shade] * 8)


def export(docs: Sequence[OutputDoc], kind: str, surface: Surface, width: int) -> str:
    """The very renderables the terminal shows, recorded at a fixed width as SVG or HTML.

    rich escapes every character of text it exports (`<`, `>`, `&`, quotes), and KB text only
    ever enters as `Text` on a console with markup off, so no KB string can become a tag.
    """
    from rich.terminal_theme import DEFAULT_TERMINAL_THEME, SVG_EXPORT_THEME

    color = surface.color
    console = make_console(color, width=width, file=io.StringIO(), record=True)
    page = surface.page
    if page is not None:  # provenance heads every exported page
        console.print(Text(page.title, style="bold"))
        console.print(Text(page.line()))
        console.print(Text(page.not_advice))
        console.print(Text(""))
    for doc in docs:
        render(doc, console, surface.detail, surface.sections)
    theme = SVG_EXPORT_THEME if kind == "svg" else DEFAULT_TERMINAL_THEME
    if not color:
        theme = _monochrome(theme)
    title = page.title if page is not None else "painsci"
    if kind == "svg":
        return console.export_svg(title=title, theme=theme, code_format=_svg_format())
    return console.export_html(theme=theme, inline_styles=True, code_format=_html_format(title))


def _html_format(title: str) -> str:
    """rich's HTML template with a <title>, escaped for HTML and for str.format."""
    import html

    from rich._export_format import CONSOLE_HTML_FORMAT

    named = html.escape(title, quote=True).replace("{", "{{").replace("}", "}}")
    charset = '<meta charset="UTF-8">'
    return CONSOLE_HTML_FORMAT.replace(charset, f"{charset}\n<title>{named}</title>", 1)
