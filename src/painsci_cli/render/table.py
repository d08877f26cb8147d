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
from .layout import BEST, Section, sections

if TYPE_CHECKING:  # the themes are only needed for --export
    from rich.terminal_theme import TerminalTheme


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


FIGURE = re.compile(r"[(\[]*[-+−]?\d[\d.,%:/-]*[)\];,:.]*")
"""A number with its punctuation ("-4.0", "(95%", "-1.8)", "1.5%", "0-100"): never split."""
WORD_FLOOR = 16
"""Other words longer than this may be folded: a 36-letter id must not force a stacked layout."""


def longest_word(texts: list[str]) -> int:
    """The narrowest a column may be: every figure whole, other words up to WORD_FLOOR wide."""
    widest = 1
    for text in texts:
        for word in text.split():
            size = cell_len(word)
            widest = max(widest, size if FIGURE.fullmatch(word) else min(size, WORD_FLOOR))
    return widest


def column_widths(part: Section, width: int) -> list[int] | None:
    """Widths that fit `width` with no word broken, or None when no such widths exist.

    Every column gets its longest word; the space left is shared in proportion to how much more
    each column would like. Explicit widths make rich's layout exact (its own collapsing can
    overshoot by a few cells and crop the last column).
    """
    columns = len(part.columns)
    budget = width - (3 * columns + 1)  # padding 1+1 per column, separators, two edges
    cells = [[part.columns[i], *(row[i] for row in part.rows)] for i in range(columns)]
    minimum = [longest_word(texts) for texts in cells]
    natural = [max(cell_len(line) for text in texts for line in text.splitlines() or [""]) for texts in cells]
    if sum(minimum) > budget:
        return None
    if sum(natural) <= budget:
        return natural
    spare = budget - sum(minimum)
    wants = [n - m for n, m in zip(natural, minimum, strict=True)]
    shares = [spare * w // sum(wants) for w in wants]
    for i in sorted(range(columns), key=lambda i: wants[i] - shares[i], reverse=True)[: spare - sum(shares)]:
        shares[i] += 1
    return [m + extra for m, extra in zip(minimum, shares, strict=True)]


def grid_table(part: Section, widths: list[int] | None = None) -> Table:
    table = Table(
        title=Text(part.title, style="bold"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_header=any(part.columns) and not part.key_value,
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


def renderables(console: Console, doc: OutputDoc) -> list[RenderableType]:
    if isinstance(doc, PlotDoc):
        from . import plot

        return plot.renderables(console, doc)
    out: list[RenderableType] = []
    for part in sections(doc):
        if not part.rows:
            out += [Text(part.title, style="bold"), Text(part.note or "", style="dim"), Text("")]
            continue
        if part.key_value:
            out.append(grid_table(part))
            continue
        widths = column_widths(part, console.width)
        out.append(grid_table(part, widths) if widths else stacked(part))
    return out


def render(doc: OutputDoc, console: Console) -> None:
    for item in renderables(console, doc):
        console.print(item)


def text(docs: Sequence[OutputDoc], color: bool, width: int | None = None) -> str:
    """The documents drawn as the terminal shows them, one after another, as one string."""
    buffer = io.StringIO()
    console = make_console(color, width, file=buffer)
    for i, doc in enumerate(docs):
        if i:
            buffer.write("\n")
        render(doc, console)
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


def export(docs: Sequence[OutputDoc], kind: str, color: bool, width: int) -> str:
    """The very renderables the terminal shows, recorded at a fixed width as SVG or HTML.

    rich escapes every character of text it exports (`<`, `>`, `&`, quotes), and KB text only
    ever enters as `Text` on a console with markup off, so no KB string can become a tag.
    """
    from rich.terminal_theme import DEFAULT_TERMINAL_THEME, SVG_EXPORT_THEME

    console = make_console(color, width=width, file=io.StringIO(), record=True)
    for doc in docs:
        render(doc, console)
    theme = SVG_EXPORT_THEME if kind == "svg" else DEFAULT_TERMINAL_THEME
    if not color:
        theme = _monochrome(theme)
    if kind == "svg":
        return console.export_svg(title="painsci", theme=theme, code_format=_svg_format())
    return console.export_html(theme=theme, inline_styles=True)
