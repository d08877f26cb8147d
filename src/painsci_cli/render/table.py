"""Terminal output with rich: tables when they fit, a stacked layout when they do not.

All KB text goes in as `rich.text.Text` on a console with markup, emoji and highlighting off, so
`[bold]`, `[/]` or `:warning:` in the data print literally. A table is only drawn when every
column can hold its longest word; otherwise each row is stacked as label/value lines, so a
number is never folded or ellipsised on a narrow terminal.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..views import OutputDoc, PlotDoc
from .fit import longest_word, wrapped_lines
from .layout import BEST, Section, sections

if TYPE_CHECKING:  # the themes are only needed for --export
    from rich.terminal_theme import TerminalTheme

    from . import Surface


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


def _cell(text: str) -> Text:
    return Text(text, style="bold green" if text.endswith(BEST) else "")


def column_widths(part: Section, width: int) -> list[int] | None:
    """Widths that fit `width` with no word broken, or None when no such widths exist.

    Every column gets its longest word; the space left is shared in proportion to how much more
    each column would like. Explicit widths make rich's layout exact (its own collapsing can
    overshoot by a few cells and crop the last column).
    """
    columns = len(part.columns)
    budget = width - (2 * columns - 2)  # a separator and one space of padding between columns; no edges
    cells = [[part.columns[i], *(row[i] for row in part.rows)] for i in range(columns)]
    natural = [max(cell_len(line) for text in texts for line in text.splitlines() or [""]) for texts in cells]
    minimum = [natural[i] if i in part.nowrap else longest_word(texts) for i, texts in enumerate(cells)]
    if sum(minimum) > budget:
        return None
    if sum(natural) <= budget:
        return natural
    fewest = _fewest_lines(cells, minimum, natural, budget)
    if fewest is not None:
        minimum = fewest
    spare = budget - sum(minimum)
    wants = [n - m for n, m in zip(natural, minimum, strict=True)]
    shares = [spare * w // sum(wants) for w in wants]
    for i in sorted(range(columns), key=lambda i: wants[i] - shares[i], reverse=True)[: spare - sum(shares)]:
        shares[i] += 1
    return [m + extra for m, extra in zip(minimum, shares, strict=True)]


BALANCED_ROWS = 400
"""Tables with more rows than this skip the line balancing below (its cost grows with the rows)."""


def _fewest_lines(cells: list[list[str]], minimum: list[int], natural: list[int], budget: int) -> list[int] | None:
    """Widths under which no row takes more lines than it must: the smallest k such that every
    cell fits in k lines within the budget, each column as narrow as that allows."""
    if len(cells[0]) > BALANCED_ROWS:
        return None
    distinct = [sorted(set(column), key=len, reverse=True) for column in cells]
    for k in (1, 2, 3):
        widths = [_width_for(texts, k, low, high) for texts, low, high in zip(distinct, minimum, natural, strict=True)]
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


def grid_table(part: Section, widths: list[int] | None = None) -> Table:
    table = Table(
        title=Text(part.title, style="bold"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_header=any(part.columns) and not part.key_value,
        show_edge=False,
        pad_edge=False,
        padding=(0, 0, 0, 1),
        expand=False,
    )
    for i, column in enumerate(part.columns):
        style = "bold" if part.key_value and i == 0 else ""
        table.add_column(
            Text(column),
            overflow="fold",
            style=style,
            width=widths[i] if widths else None,
            no_wrap=part.key_value and i == 0,
        )
    for row in part.rows:
        table.add_row(*(_cell(cell) for cell in row))
    if part.note:
        table.caption = Text(part.note, style="dim")
        table.caption_justify = "left"
    return table


def stacked(part: Section) -> RenderableType:
    """One block per row: column names as labels. Used when the table cannot fit the width."""
    blocks: list[RenderableType] = [Text(part.title, style="bold")]
    labels = part.columns if any(part.columns) else tuple("" for _ in part.columns)
    for row in part.rows:
        block = Table.grid(padding=(0, 1))
        block.add_column(style="bold", no_wrap=True)
        block.add_column(overflow="fold")
        if part.key_value:
            block.add_row(Text(row[0]), _cell(row[1]))
        else:
            for label, cell in zip(labels, row, strict=True):
                block.add_row(Text(label), _cell(cell))
            blocks.append(Text(""))
        blocks.append(block)
    if part.note:
        blocks.append(Text(part.note, style="dim"))
    return Group(*blocks)


def renderables(
    console: Console, doc: OutputDoc, detail: str = "card", wanted: tuple[str, ...] = ()
) -> list[RenderableType]:
    if isinstance(doc, PlotDoc):
        from . import plot

        return plot.renderables(console, doc)
    out: list[RenderableType] = []
    for part in sections(doc, detail, wanted):
        if not part.rows:
            out += [Text(part.title, style="bold"), Text(part.note or "", style="dim"), Text("")]
            continue
        if part.key_value:
            out.append(grid_table(part))
            continue
        widths = column_widths(part, console.width)
        if part.brief and (widths is None or _lines_needed(part, widths) > 2):
            out.append(blocks(part))
        else:
            out.append(grid_table(part, widths) if widths else stacked(part))
    return out


def _lines_needed(part: Section, widths: list[int]) -> int:
    if len(part.rows) > BALANCED_ROWS:
        return 1  # too many rows to measure cheaply: the table decides
    pairs = (zip(row, widths, strict=True) for row in part.rows)
    return max((wrapped_lines(cell, w) for pair in pairs for cell, w in pair), default=1)


def blocks(part: Section) -> RenderableType:
    """Each row as a two-line block: an aligned first column (marks) beside the next cells, then
    the rest under them with a hanging indent. A narrow terminal keeps a list scannable this way
    instead of stacking every field of every row."""
    first, rest = part.brief[0], part.brief[1:]
    grid = Table.grid(padding=(0, 2, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(Text(part.columns[first[0]], style="bold"), Text(""))
    for row in part.rows:
        head = Text(row[first[1]], style="bold")
        for i in first[2:]:
            head.append("  " + row[i])
        grid.add_row(Text(row[first[0]]), head)
        for line in rest:
            parts: list[str] = []
            for i in line:
                if part.columns[i] == "certainty" and parts:
                    parts[-1] += f" ({row[i]})"  # the certainty qualifies the figure before it
                else:
                    parts.append(row[i] if i == line[0] else f"{part.columns[i]} {row[i]}")
            grid.add_row(Text(""), Text(" · ".join(parts)))
    out: list[RenderableType] = [Text(part.title, style="bold"), grid]
    if part.note:
        out += [Text(""), Text(part.note, style="dim")]
    return Group(*out)


def render(doc: OutputDoc, console: Console, detail: str = "card", wanted: tuple[str, ...] = ()) -> None:
    for item in renderables(console, doc, detail, wanted):
        console.print(item)


def text(docs: Sequence[OutputDoc], surface: Surface) -> str:
    """The documents drawn as the terminal shows them, one after another, as one string."""
    buffer = io.StringIO()
    console = make_console(surface.color, surface.width, file=buffer)
    for i, doc in enumerate(docs):
        if i:
            buffer.write("\n")
        render(doc, console, surface.detail, surface.sections)
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
    for doc in docs:
        render(doc, console, surface.detail, surface.sections)
    theme = SVG_EXPORT_THEME if kind == "svg" else DEFAULT_TERMINAL_THEME
    if not color:
        theme = _monochrome(theme)
    if kind == "svg":
        return console.export_svg(title="painsci", theme=theme, code_format=_svg_format())
    return console.export_html(theme=theme, inline_styles=True)
