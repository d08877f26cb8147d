"""`--format markdown`: tables to paste into notes, with every piece of Markdown syntax in KB text
escaped, as rigorously as the HTML export escapes tags.

KB text must reach the reader as the characters typed, never as a link, an image, emphasis, code,
strike-through, raw HTML or an entity: `![x](https://…)` stays text (a viewer never fetches a
remote image), `[x](javascript:…)` is no link. CommonMark lets a backslash escape any ASCII
punctuation; painsci escapes what can open syntax inside a line (a cell, a heading or the note
line never starts a block: whitespace, newlines included, is folded to single spaces first):

- `\\` `` ` `` `*` `_` `[` `]` `~` `|` with a backslash (`|` would also end a table cell);
- `<` before a letter, `/`, `!` or `?` (a tag, an autolink) as `&lt;`, so "6 to < 12 months"
  keeps its plain `<`; `&` that would start an entity (`&amp;`, `&#58;`) as `&amp;`;
- the pieces GitHub's extended autolinks look for: the `:` of `scheme://`, the `.` after `www`,
  and `@` between word characters, so a bare URL or address stays text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..views import ExplainDoc, OutputDoc
from .layout import Section, sections

if TYPE_CHECKING:
    from ..provenance import Provenance
    from . import Surface

_SYNTAX = re.compile(
    r"[\\`*_\[\]~|]"  # inline syntax and the cell separator
    r"|<(?=[A-Za-z/!?])"  # a tag or an autolink
    r"|&(?=#?[A-Za-z0-9]+;)"  # an entity
    r"|(?<=[A-Za-z]):(?=//)|(?<=[Ww]{3})\.|(?<=\w)@(?=\w)"  # extended autolinks: URL, www., e-mail
)
_REPLACEMENTS = {"<": "&lt;", "&": "&amp;"}


def _escape(match: re.Match[str]) -> str:
    found = match.group()
    return _REPLACEMENTS.get(found) or "\\" + found


def cell(text: str) -> str:
    """KB text as Markdown inline content: one line, every piece of syntax escaped."""
    return _SYNTAX.sub(_escape, " ".join(text.split())) or " "


def section(part: Section) -> str:
    lines = [f"## {cell(part.title)}", ""]
    if part.rows:
        width = max(len(part.columns), *(len(row) for row in part.rows))
        columns = part.columns if any(part.columns) else ("",) * width  # unnamed: as wide as the rows
        lines.append("| " + " | ".join(cell(c) for c in columns) + " |")
        lines.append("|" + "---|" * len(columns))
        lines.extend("| " + " | ".join(cell(c) for c in row) + " |" for row in part.rows)
    if part.note:
        lines += ["", f"_{cell(part.note)}_"]
    return "\n".join(lines)


def render(doc: OutputDoc, surface: Surface | None = None) -> str:
    if isinstance(doc, ExplainDoc):
        return explanation(doc)
    detail, wanted = (surface.detail, surface.sections) if surface else ("card", ())
    return "\n\n".join(section(part) for part in sections(doc, detail, wanted)) + "\n"


def explanation(doc: ExplainDoc) -> str:
    """`explain` as prose: a heading, then one paragraph per part (never a one-cell table)."""
    paragraphs = doc.paragraphs or (doc.text,)
    return "\n\n".join([f"## {cell(doc.treatment)} ({cell(doc.phase)} pain)", *(cell(p) for p in paragraphs)]) + "\n"


def page_header(page: Provenance) -> str:
    """An exported page's first lines: its title, where it comes from, and that it is not advice."""
    return f"# {cell(page.title)}\n\n_{cell(page.line())}_\n\n**{cell(page.not_advice)}**\n\n"
